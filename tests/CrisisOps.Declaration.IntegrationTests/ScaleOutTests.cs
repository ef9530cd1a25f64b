using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>Two instances of the service on one database, as two replicas run it: each legal end is acted on once.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ScaleOutTests(StackFixture stack)
{
    private const int Crises = 6;

    [Fact]
    public async Task Two_instances_polling_the_same_deadlines_expire_each_emergency_exactly_once()
    {
        var schema = TestSettings.NewSchema("scaleout");
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        // As in production: the async daemon (relay, log chain) in hot/cold mode, one instance working each shard.
        var hotCold = new Dictionary<string, string?> { ["EventStore:DaemonMode"] = "HotCold" };
        var poland = stack.Tokens.Ministry("PL");
        await using var probe = await new BusProbe().Listen<Contract.EmergencyExpired>().StartAsync(stack.Infra);
        await using var first = await stack.StartDeclarationAsync(schema, clock, hotCold);
        await using var second = await stack.StartDeclarationAsync(schema, clock, hotCold);
        var api = StackFixture.Client(first);
        var crises = new List<string>();
        for (var i = 0; i < Crises; i++)
        {
            var request = Requests.PolandBelarus();
            request.BorderSections.Clear();
            request.BorderSections.Add($"PL-BY-{i}");
            var declared = await api.DeclareCrisisAsync(request, As(poland));
            await api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, 1, "2021-09-02", "2021-10-01"), As(poland));
            crises.Add(declared.Result.Id);
        }

        // The legal end passes for every emergency at once; both instances poll (every 200 ms), and are made to race.
        clock.SetUtcNow(new DateTimeOffset(2021, 10, 5, 7, 30, 0, TimeSpan.Zero));
        var workers = new[] { first, second }.Select(s => s.Services.GetRequiredService<DeadlineWorker>()).ToList();
        await Task.WhenAll(workers.Select(w => w.ActOnDueDeadlinesAsync(CancellationToken.None)));
        foreach (var crisis in crises) await probe.WaitForAsync<Contract.EmergencyExpired>(e => e.CrisisId == crisis);

        await using var session = first.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var crisis in crises)
        {
            var events = await session.Events.FetchStreamAsync(crisis);
            Assert.Equal(1, events.Count(e => e.EventTypeName == "emergency_expired"));
        }

        Assert.Equal(Crises, probe.Received.Where(r => r.Message is Contract.EmergencyExpired e && crises.Contains(e.CrisisId))
            .Select(r => r.MessageId).Distinct().Count());
        Assert.Empty(await session.Query<Deadline>().Where(d => crises.Contains(d.StreamId)).ToListAsync());
    }
}
