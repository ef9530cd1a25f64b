using CrisisOps.Reception.Grpc.V1;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CrisisOps.Reception.IntegrationTests.Requests;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Reception.IntegrationTests;

[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WatchTests(StackFixture stack)
{
    [Fact]
    public async Task A_coordinator_watching_a_country_gets_its_picture_then_each_change_as_it_is_recorded()
    {
        const string country = "XW";
        await using var service = await stack.StartReceptionAsync(TestSettings.NewSchema("rc_watch"));
        var api = StackFixture.Client(service);
        var ministry = As(stack.Tokens.Ministry(country));
        var region = NewRegion(country);
        var facility = (await api.RegisterFacilityAsync(Facility(country, region, General(10), "Watched centre"), ministry)).Id;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = api.WatchCapacity(new WatchCapacityRequest { Country = country }, As(stack.Tokens.Coordinator(), timeout.Token));
        Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
        var first = watch.ResponseStream.Current;
        Assert.Empty(first.Changes);
        Assert.Equal((10, 0), (first.Picture.National.Capacity, first.Picture.National.Occupied));

        // The signal itself, not the watch's periodic re-read, must carry the change: the service hears its own contracts on the bus.
        using var signal = service.Services.GetRequiredService<ChangeFeed>().Subscribe(country);
        await api.ReportArrivalsAsync(People(facility, General(9)), ministry);
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(30), timeout.Token), "no change signal for the country within 30 s");
        var seen = new List<StreamChange>();
        CapacityChange change;
        do
        {
            Assert.True(await watch.ResponseStream.MoveNext(timeout.Token));
            change = watch.ResponseStream.Current;
            seen.AddRange(change.Changes);
        }
        while (!seen.Any(c => c.Entry.EventType == "region_strain_changed"));

        Assert.Contains(seen, c => c.StreamId == facility && c.Entry.EventType == "arrivals_recorded" && c.Entry.Summary.StartsWith("Arrivals: 9 general", StringComparison.Ordinal));
        Assert.Contains(seen, c => c.StreamId == facility && c.Entry.EventType == "facility_strain_changed");
        Assert.Equal((9, StrainLevel.Strained), (change.Picture.National.Occupied, Assert.Single(change.Picture.Regions).Strain));
    }
}
