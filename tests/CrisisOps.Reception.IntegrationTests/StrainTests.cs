extern alias service;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using MassTransit;
using Xunit;
using static CrisisOps.Reception.IntegrationTests.Requests;
using static CrisisOps.Testing.RunningService;
using AreaStrain = service::CrisisOps.Reception.Strain.AreaStrain;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.IntegrationTests;

/// <summary>Strain reaches RabbitMQ for the facility, its region and its country, as crisis declaration will consume it.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StrainTests(StackFixture stack) : IAsyncLifetime
{
    // A user-assigned ISO code: country figures on the shared broker are this test's own.
    private const string Country = "XS";

    private RunningService _service = null!;
    private BusProbe _probe = null!;

    public async Task InitializeAsync()
    {
        _probe = await new BusProbe().Listen<Contract.ReceptionStrainChanged>().Listen<Contract.OccupancyChanged>().StartAsync(stack.Infra);
        _service = await stack.StartReceptionAsync(TestSettings.NewSchema("rc_strain"));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _probe.DisposeAsync();
    }

    [Fact]
    public async Task A_facility_crossing_85_and_100_percent_raises_strain_for_itself_its_region_and_its_country_on_RabbitMQ()
    {
        var api = StackFixture.Client(_service);
        var ministry = As(stack.Tokens.Ministry(Country));
        var region = NewRegion(Country);
        var facility = (await api.RegisterFacilityAsync(Facility(Country, region, General(20), "Border shelter"), ministry)).Id;

        await api.ReportArrivalsAsync(People(facility, General(16)), ministry);
        await api.ReportArrivalsAsync(People(facility, General(1)), ministry);
        foreach (var (scope, id) in new[] { ("Facility", facility), ("Region", region), ("Country", Country) })
        {
            var (strained, _) = await _probe.WaitForAsync<Contract.ReceptionStrainChanged>(s => s.Scope == scope && s.ScopeId == id && s.To == "Strained");
            Assert.Equal(("Normal", 20, 17, 0.85, Country), (strained.From, strained.Capacity, strained.Occupied, strained.OccupancyRate, strained.Country));
        }

        await api.ReportArrivalsAsync(People(facility, General(3)), ministry);
        foreach (var (scope, id) in new[] { ("Facility", facility), ("Region", region), ("Country", Country) })
        {
            var (overflow, _) = await _probe.WaitForAsync<Contract.ReceptionStrainChanged>(s => s.Scope == scope && s.ScopeId == id && s.To == "Overflow");
            Assert.Equal(("Strained", 20, 1.0), (overflow.From, overflow.Occupied, overflow.OccupancyRate));
        }

        var picture = await api.GetCapacityPictureAsync(Picture(Country, region), ministry);
        Assert.Equal(StrainLevel.Overflow, Assert.Single(picture.Regions).Strain);
        Assert.Equal(StrainLevel.Overflow, picture.National.Strain);
        // The strain record is appended by the consumer, not a gRPC decision: it is chained all the same, for the audit.
        await EventChains.AssertChainedAsync(StackFixture.Store(_service), AreaStrain.StreamIdFor(Country));
    }

    [Fact]
    public async Task A_redelivered_or_late_occupancy_message_changes_nothing_for_the_strain_consumer()
    {
        var api = StackFixture.Client(_service);
        var ministry = As(stack.Tokens.Ministry(Country));
        var region = NewRegion(Country);
        var facility = (await api.RegisterFacilityAsync(Facility(Country, region, General(10), "Transit shelter"), ministry)).Id;
        await api.ReportArrivalsAsync(People(facility, General(9)), ministry);
        var (crowded, messageId) = await _probe.WaitForAsync<Contract.OccupancyChanged>(o => o.FacilityId == facility);
        await _probe.WaitForAsync<Contract.ReceptionStrainChanged>(s => s.Scope == "Region" && s.ScopeId == region && s.To == "Strained");
        await api.ReportDeparturesAsync(People(facility, General(5)), ministry);
        await _probe.WaitForAsync<Contract.ReceptionStrainChanged>(s => s.Scope == "Region" && s.ScopeId == region && s.To == "Normal");

        // RabbitMQ delivers the message of the crowded moment again (same message id), and a late copy of it behind it.
        var bus = stack.Infra.CreateBus();
        await bus.StartAsync();
        try
        {
            await bus.Publish(crowded, ctx => ctx.MessageId = messageId);
            await bus.Publish(crowded, ctx => ctx.MessageId = Guid.NewGuid());
        }
        finally
        {
            await bus.StopAsync();
        }

        // Then the shelter fills (4 + 6 of 10 places): one message at a time per queue, so its assessment follows the two
        // copies. A consumer that believed them would have put the region back to Strained first; this one judges the
        // facility views it reads, and goes from Normal straight to Overflow.
        await api.ReportArrivalsAsync(People(facility, General(6)), ministry);
        var (full, _) = await _probe.WaitForAsync<Contract.ReceptionStrainChanged>(s => s.Scope == "Region" && s.ScopeId == region && s.To == "Overflow");
        Assert.Equal("Normal", full.From);
        Assert.Equal(3, _probe.Count<Contract.ReceptionStrainChanged>(s => s.Scope == "Region" && s.ScopeId == region));
        var picture = await StackFixture.Client(_service).GetCapacityPictureAsync(Picture(Country, region), ministry);
        Assert.Equal((StrainLevel.Overflow, 10), (Assert.Single(picture.Regions).Strain, picture.Regions[0].Occupied));
    }
}
