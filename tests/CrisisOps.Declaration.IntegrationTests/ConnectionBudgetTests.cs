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

        // Start-up done first: the log reader's pool bootstraps (Npgsql's type loading) when the daemon's first page, the
        // service's law_adopted, is read, and connections opened for that bootstrap are not the running share.
        await UntilLoggedAsync(schema);
        using var sampling = new CancellationTokenSource();
        var peak = SamplePeakConnectionsAsync(schema, sampling.Token);
        var statuses = await CallAsync(api, poland, callers: 32, callsEach: 8);
        await sampling.CancelAsync();
        var (most, held) = await peak;

        output.WriteLine($"{statuses.Count} calls, peak {most} connections of crisisops-{schema}:\n{held}");
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

    [Fact]
    public async Task Decisions_leave_the_services_connections_with_their_statements_prepared()
    {
        await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("prepared"), StackFixture.ClockAt(September2));
        var api = StackFixture.Client(service);

        // One caller, one after another: the pool hands its few connections round, and each of them runs the same
        // statements many times over (Npgsql prepares a statement from its fifth use on a connection).
        var statuses = await CallAsync(api, As(stack.Tokens.Ministry("PL")), callers: 1, callsEach: 60);
        var store = service.Services.GetRequiredService<IDocumentStore>();
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(CancellationToken.None);
        await using var prepared = new NpgsqlCommand("select statement from pg_prepared_statements", connection);
        var statements = new List<string>();
        await using (var reader = await prepared.ExecuteReaderAsync(CancellationToken.None))
            while (await reader.ReadAsync(CancellationToken.None)) statements.Add(reader.GetString(0));

        output.WriteLine($"{statements.Count} statement(s) prepared on a pooled connection:\n{string.Join("\n", statements.Take(10))}");
        Assert.All(statuses, s => Assert.Equal(StatusCode.OK, s));
        Assert.Equal(new ConnectionBudget().MaxAutoPrepare, new NpgsqlConnectionStringBuilder(connection.ConnectionString).MaxAutoPrepare);
        Assert.Contains(statements, s => s.Contains("mt_events", StringComparison.Ordinal));
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

    private async Task UntilLoggedAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync(CancellationToken.None);
        await using var logged = new NpgsqlCommand(
            $"select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression where name = 'log-chain:All'", connection);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Convert.ToInt64(await logged.ExecuteScalarAsync(CancellationToken.None), System.Globalization.CultureInfo.InvariantCulture) < 1)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the log chain did not take the service's first event within 60 s");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The most connections the service's store held at once, and which they were: its two pools (the calls, consumers
    /// and daemon; the Merkle log's reader). A backend counts when two samples 20 ms apart both show it: on a loaded
    /// machine PostgreSQL lists a connection Npgsql has already closed (a broken one, replaced) until its backend exits,
    /// and the reader's pool of one was seen twice in one sample that way. The migration's unpooled connection at
    /// start-up (<c>-migrator</c>) is outside the service's running share (<see cref="ConnectionBudget"/>).
    /// </summary>
    private async Task<(int Peak, string Held)> SamplePeakConnectionsAsync(string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync(CancellationToken.None);
        await using var sample = new NpgsqlCommand(
            "select pid, application_name || ': ' || coalesce(state, '') || ', ' || left(query, 60) "
            + "from pg_stat_activity where application_name in (@pool, @log)", connection);
        var name = ConnectionBudget.ApplicationNameOf(schema);
        sample.Parameters.AddWithValue("pool", name);
        sample.Parameters.AddWithValue("log", name + "-log");
        var (peak, held) = (0, "");
        var before = new Dictionary<int, string>();
        while (true)
        {
            var now = new Dictionary<int, string>();
            await using (var reader = await sample.ExecuteReaderAsync(CancellationToken.None))
            {
                while (await reader.ReadAsync(CancellationToken.None)) now[reader.GetInt32(0)] = reader.GetString(1);
            }

            var both = now.Where(c => before.ContainsKey(c.Key)).Select(c => c.Value).ToList();
            if (both.Count > peak) (peak, held) = (both.Count, string.Join("\n", both));
            before = now;
            if (ct.IsCancellationRequested) return (peak, held);
            try
            {
                await Task.Delay(20, ct);
            }
            catch (OperationCanceledException)
            {
                // One more sample after the load, then the peak.
            }
        }
    }
}
