extern alias leverages;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CrisisOps.Testing.RunningService;
using LeveragesService = leverages::CrisisOps.Leverages.LeveragesService;

namespace CrisisOps.Leverages.IntegrationTests;

[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WatchTests(StackFixture stack)
{
    [Fact]
    public async Task A_coordinator_watching_a_leverage_gets_it_then_each_decision_as_it_is_recorded()
    {
        await using var service = await RunningService.StartAsync(LeveragesService.Build,
            TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("lev_watch")));
        var api = new DiplomaticLeverages.DiplomaticLeveragesClient(service.Channel);
        var lithuania = As(stack.Tokens.Ministry("LT", "lt-mfa"));
        var proposed = await api.ProposeLeverageAsync(new ProposeLeverageRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            LeverageType = "EU-CFSP-RESTRICTIVE-MEASURES",
            Country = "LT",
            Target = new Target { Kind = TargetKind.NamedOfficial, Name = "Head of the state travel agency", Country = "BY" },
            Evidence = { "flights Baghdad-Minsk organised by the state travel agency" },
            Allies = { "PL" },
            Justification = "raise the price of instrumentalisation",
        }, lithuania);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = api.WatchLeverage(new GetLeverageRequest { LeverageId = proposed.Id }, As(stack.Tokens.Coordinator(), timeout.Token));
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        var first = watch.ResponseStream.Current;
        Assert.Null(first.Change);
        Assert.Equal((proposed.Id, 1L, LeverageStatus.Proposed), (first.Leverage.LeverageId, first.Leverage.Version, first.Leverage.Status));

        // The signal itself, not the watch's periodic re-read, must carry the change: the service hears its own contract on the bus.
        using var signal = service.Services.GetRequiredService<ChangeFeed>().Subscribe(proposed.Id);
        var recorded = await api.RecordAllyPositionAsync(new AllyPositionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            LeverageId = proposed.Id,
            ExpectedVersion = 1,
            Ally = "PL",
            Position = AllyPosition.Joined,
            Reference = "PL note verbale",
            Justification = "ally consulted",
        }, lithuania);

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), timeout.Token), "no change signal for the leverage within 30 s");
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        var change = watch.ResponseStream.Current;
        Assert.Equal(("ally_position_recorded", recorded.Version), (change.Change.EventType, change.Change.Version));
        Assert.Equal(AllyPosition.Joined, Assert.Single(change.Leverage.Allies).Position);
    }
}
