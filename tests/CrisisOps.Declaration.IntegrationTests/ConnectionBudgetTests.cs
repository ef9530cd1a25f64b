using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using Xunit.Abstractions;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>
/// The connection budget (<see cref="ConnectionBudget"/>): 32 callers at once are all served within the service's
/// share of PostgreSQL's connections, and a pool too small for them makes callers wait or hear
/// <c>RESOURCE_EXHAUSTED</c>, never <c>UNKNOWN</c> or a server-side timeout.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ConnectionBudgetTests(StackFixture stack, ITestOutputHelper output)
{
    private static readonly DateTimeOffset September2 = new(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task Thirty_two_callers_at_once_all_succeed_within_the_services_share_of_connections()
    {
        var schema = TestSettings.NewSchema("budget");
        await using var service = await stack.StartDeclarationAsync(schema, StackFixture.ClockAt(September2));
        var api = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var budget = new ConnectionBudget();

        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakConnectionsAsync(schema, sampling.Token);
        var statuses = await CallAsync(api, poland, callers: 32, callsEach: 8);
        await sampling.CancelAsync();
        var most = await peak;

        output.WriteLine($"{statuses.Count} calls, peak {most} connections of crisisops-{schema}");
        Assert.All(statuses, s => Assert.Equal(StatusCode.OK, s));
        Assert.InRange(most, 1, budget.MaxPoolSize + budget.LogReaderPoolSize);
    }

    [Fact]
    public async Task A_pool_exhausted_on_purpose_makes_callers_wait_or_hear_resource_exhausted()
    {
        // Two connections for 32 callers and the daemon, and a second to wait for one.
        var tiny = new NpgsqlConnectionStringBuilder(stack.Infra.Postgres) { MaxPoolSize = 2, Timeout = 3 }.ConnectionString;
        await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("exhaust"), StackFixture.ClockAt(September2),
            new Dictionary<string, string?> { ["ConnectionStrings:postgres"] = tiny });
        var api = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));

        var statuses = await CallAsync(api, poland, callers: 32, callsEach: 3);
        output.WriteLine("waiting for two connections: " + string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.All(statuses, s => Assert.Contains(s, new[] { StatusCode.OK, StatusCode.ResourceExhausted }));
        Assert.Contains(StatusCode.OK, statuses);

        // Both connections held for 8 s, longer than a caller may wait for one (Timeout=3): the callers meanwhile hear
        // RESOURCE_EXHAUSTED, and are served again once the connections come back.
        var store = service.Services.GetRequiredService<IDocumentStore>();
        var holders = Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var session = store.QuerySession();
            await session.QueryAsync<int>("select 1 from pg_sleep(8)", CancellationToken.None);
        }).ToList();
        await Task.Delay(300);
        var starved = await CallAsync(api, poland, callers: 32, callsEach: 1);
        await Task.WhenAll(holders);
        var after = await CallAsync(api, poland, callers: 4, callsEach: 1);

        output.WriteLine("with both held: " + string.Join(", ", starved.GroupBy(s => s).Select(g => $"{g.Key}: {g.Count()}")));
        Assert.All(starved, s => Assert.Contains(s, new[] { StatusCode.OK, StatusCode.ResourceExhausted }));
        Assert.Contains(StatusCode.ResourceExhausted, starved);
        Assert.All(after, s => Assert.Equal(StatusCode.OK, s));
    }

    private static async Task<List<StatusCode>> CallAsync(CrisisDeclaration.CrisisDeclarationClient api, CallOptions caller, int callers, int callsEach)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, callers).Select(async c =>
        {
            var mine = new List<StatusCode>();
            for (var i = 0; i < callsEach; i++)
            {
                try
                {
                    await api.RecordIndicatorAsync(Indicator($"PL-S{(c * callsEach + i) % 64}"), caller);
                    mine.Add(StatusCode.OK);
                }
                catch (RpcException e)
                {
                    mine.Add(e.StatusCode);
                }
            }

            return mine;
        }));
        return [.. statuses.SelectMany(s => s)];
    }

    private static RecordIndicatorRequest Indicator(string section) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        TargetCountry = "PL",
        BorderSection = section,
        Group = IndicatorGroup.Potential,
        Kind = "new flights",
        Level = IndicatorLevel.High,
        Evidence = "four flights a week from Baghdad",
        Source = "border guard",
        ObservedAt = Timestamp.FromDateTimeOffset(September2.AddHours(-1)),
    };

    /// <summary>The most connections the service's store held at once (its application names: calls, daemon, log reader).</summary>
    private async Task<int> SamplePeakConnectionsAsync(string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync(CancellationToken.None);
        await using var count = new NpgsqlCommand("select count(*) from pg_stat_activity where application_name like @name", connection);
        count.Parameters.AddWithValue("name", ConnectionBudget.ApplicationNameOf(schema) + "%");
        var peak = 0;
        while (!ct.IsCancellationRequested)
        {
            peak = Math.Max(peak, Convert.ToInt32(await count.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
            try
            {
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return Math.Max(peak, Convert.ToInt32(await count.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture));
    }
}
