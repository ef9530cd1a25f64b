using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Reception.IntegrationTests.Requests;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.IntegrationTests;

/// <summary>Registration points, contingency plans, the picture as of a date, and the API's refusals.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FacilityLifecycleTests(StackFixture stack) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2021, 11, 8, 9, 0, 0, TimeSpan.FromHours(1)));
    private RunningService _service = null!;
    private BusProbe _probe = null!;
    private ReceptionCapacity.ReceptionCapacityClient _api = null!;
    private CallOptions _poland;

    public async Task InitializeAsync()
    {
        _probe = await new BusProbe().Listen<Contract.RegistrationPointStatusChanged>().Listen<Contract.ContingencyActivated>()
            .StartAsync(stack.Infra);
        _service = await stack.StartReceptionAsync(TestSettings.NewSchema("rc_life"), _clock);
        _api = StackFixture.Client(_service);
        _poland = As(stack.Tokens.Ministry("PL"));
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _probe.DisposeAsync();
    }

    [Fact]
    public async Task Registering_closing_and_opening_a_designated_crossing_point_tells_the_legal_measures_service_on_RabbitMQ()
    {
        var kuznica = await _api.RegisterFacilityAsync(CrossingPoint("PL", "PL-PD", "PL-BY", "Kuźnica registration point"), _poland);
        var (registered, _) = await _probe.WaitForAsync<Contract.RegistrationPointStatusChanged>(p => p.FacilityId == kuznica.Id);
        Assert.Equal(("PL", "PL-BY", true, true), (registered.Country, registered.BorderSection, registered.IsDesignatedCrossingPoint, registered.Open));

        _clock.Advance(TimeSpan.FromHours(2));
        var closed = await _api.CloseFacilityAsync(Decision(kuznica.Id, kuznica.Version), _poland);
        await _probe.WaitForAsync<Contract.RegistrationPointStatusChanged>(p => p.FacilityId == kuznica.Id && !p.Open);
        _clock.Advance(TimeSpan.FromHours(2));
        await _api.OpenFacilityAsync(Decision(kuznica.Id, closed.Version), _poland);
        var (reopened, _) = await _probe.WaitForAsync<Contract.RegistrationPointStatusChanged>(
            p => p.FacilityId == kuznica.Id && p.Open && p.ChangedAt == _clock.GetUtcNow());
        Assert.Equal(registered.ChangedAt.AddHours(4), reopened.ChangedAt);

        var details = await _api.GetFacilityAsync(new GetFacilityRequest { FacilityId = kuznica.Id, IncludeHistory = true }, _poland);
        Assert.True(details.LodgesAsylumApplications);
        Assert.Equal(FacilityStatus.Open, details.Figures.Status);
        Assert.Equal(["facility_registered", "registration_point_status_changed", "facility_closed", "registration_point_status_changed",
            "facility_opened", "registration_point_status_changed"], details.History.Select(h => h.EventType));
        Assert.Equal(("interior-officer", "decided by the regional governor"), (details.History[2].Decision.ActorSubject, details.History[2].Decision.Justification));
    }

    [Fact]
    public async Task An_activated_contingency_plan_adds_its_places_and_is_deactivated_only_once_they_are_free()
    {
        var centre = await _api.RegisterFacilityAsync(Facility("PL", NewRegion("PL"), General(100), "Białystok centre"), _poland);
        await _api.ReportArrivalsAsync(People(centre.Id, General(100)), _poland);
        var full = await Assert.ThrowsAsync<RpcException>(async () => await _api.ReportArrivalsAsync(People(centre.Id, General(30)), _poland));
        Assert.StartsWith("reception.capacity:", full.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("activate a contingency plan", full.Status.Detail, StringComparison.Ordinal);

        var declared = await _api.DeclareContingencyPlanAsync(new DeclareContingencyPlanRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            FacilityId = centre.Id,
            ExpectedVersion = centre.Version,
            PlanCode = "winter-2021",
            Name = "sports hall beds",
            Reserve = General(50),
            Justification = "national reception contingency plan, annex 3",
        }, _poland);
        var activated = await _api.ActivateContingencyPlanAsync(Plan(centre.Id, declared.Version, "winter-2021"), _poland);
        var (onTheBus, _) = await _probe.WaitForAsync<Contract.ContingencyActivated>(c => c.PlanId == $"{centre.Id}/winter-2021");
        Assert.Equal((50, "Ministry of Interior (PL)", "Council of Ministers regulation 2021/11"),
            (onTheBus.ReserveCapacity["General"], onTheBus.Decision.Ministry, onTheBus.Decision.LegalBasis));

        var admitted = await _api.ReportArrivalsAsync(People(centre.Id, General(30)), _poland);
        Assert.Equal((150, 130, 20), (admitted.Figures.Capacity.General, admitted.Figures.Occupied.General, admitted.Figures.Free.General));

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _api.DeactivateContingencyPlanAsync(Plan(centre.Id, activated.Version, "winter-2021"), _poland));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("130 general in 100 place(s)", refused.Status.Detail, StringComparison.Ordinal);

        await _api.ReportDeparturesAsync(People(centre.Id, General(40)), _poland);
        // The departures did not move the decision version: the deactivation taken on it stands.
        await _api.DeactivateContingencyPlanAsync(Plan(centre.Id, activated.Version, "winter-2021"), _poland);
        var details = await _api.GetFacilityAsync(new GetFacilityRequest { FacilityId = centre.Id }, _poland);
        Assert.Equal((100, 90, false), (details.Figures.Capacity.General, details.Figures.Occupied.General, details.ContingencyPlans[0].Active));
    }

    [Fact]
    public async Task The_national_and_regional_picture_is_answered_now_and_as_of_a_past_date_from_the_history()
    {
        var country = "XP";
        var ministry = As(stack.Tokens.Ministry(country));
        var day1 = _clock.GetUtcNow();
        var east = await _api.RegisterFacilityAsync(Facility(country, $"{country}-EAST", new Places { General = 100, UnaccompaniedMinors = 10 }, "East centre"), ministry);
        var west = await _api.RegisterFacilityAsync(Facility(country, $"{country}-WEST", General(50), "West shelter"), ministry);
        await _api.ReportArrivalsAsync(People(east.Id, new Places { General = 40, UnaccompaniedMinors = 2 }), ministry);

        _clock.Advance(TimeSpan.FromDays(1));
        await _api.ReportArrivalsAsync(People(east.Id, new Places { General = 50, UnaccompaniedMinors = 8 }), ministry);
        var westNow = await _api.GetFacilityAsync(new GetFacilityRequest { FacilityId = west.Id }, ministry);
        await _api.CloseFacilityAsync(Decision(west.Id, westNow.DecisionVersion), ministry);

        var now = await _api.GetCapacityPictureAsync(Picture(country), ministry);
        Assert.Equal((110, 100, 10, StrainLevel.Strained), (now.National.Capacity, now.National.Occupied, now.National.Free, now.National.Strain));
        Assert.Equal((1, 1, 1), (now.National.FullFacilities + now.National.OpenFacilities, now.National.ClosedFacilities, now.Regions.Count(r => r.Occupied > 0)));
        var minors = now.National.Categories.Single(c => c.Category == Category.UnaccompaniedMinors);
        Assert.Equal((10, 10, 0, 1.0), (minors.Capacity, minors.Occupied, minors.Free, minors.OccupancyRate));

        var then = await _api.GetCapacityPictureAsync(Picture(country, asOf: day1.AddHours(12)), As(stack.Tokens.Auditor()));
        Assert.Equal((160, 42, StrainLevel.Normal), (then.National.Capacity, then.National.Occupied, then.National.Strain));
        Assert.Equal(["East centre", "West shelter"], then.Facilities.Select(f => f.Name));
        Assert.All(then.Facilities, f => Assert.Equal(FacilityStatus.Open, f.Figures.Status));
        var eastThen = Assert.Single(then.Regions, r => r.Area == $"{country}-EAST");
        Assert.Equal(2, eastThen.Categories.Single(c => c.Category == Category.UnaccompaniedMinors).Occupied);

        var before = await _api.GetCapacityPictureAsync(Picture(country, asOf: day1.AddHours(-1)), ministry);
        Assert.Empty(before.Facilities);
        Assert.Equal(0, before.National.Capacity);

        var westOnly = await _api.GetCapacityPictureAsync(Picture(country, $"{country}-WEST"), As(stack.Tokens.Coordinator()));
        Assert.Equal(110, westOnly.National.Capacity);
        Assert.Equal(FacilityStatus.Closed, Assert.Single(westOnly.Facilities).Figures.Status);
    }

    [Fact]
    public async Task A_ministry_reports_and_reads_for_its_own_country_only_and_coordinators_and_auditors_only_read()
    {
        var centre = await _api.RegisterFacilityAsync(Facility("PL", NewRegion("PL"), General(10)), _poland);
        var lithuania = As(stack.Tokens.Ministry("LT"));
        var denied = new Func<Task>[]
        {
            async () => await _api.ReportArrivalsAsync(People(centre.Id, General(1)), lithuania),
            async () => await _api.GetFacilityAsync(new GetFacilityRequest { FacilityId = centre.Id }, lithuania),
            async () => await _api.GetCapacityPictureAsync(Picture("PL"), lithuania),
            async () => await _api.RegisterFacilityAsync(Facility("PL", "PL-PD", General(10)), lithuania),
            async () => await _api.ReportArrivalsAsync(People(centre.Id, General(1)), As(stack.Tokens.Coordinator())),
            async () => await _api.GetCapacityPictureAsync(Picture("PL"), As(stack.Tokens.Partner("IOM"))),
        };
        foreach (var call in denied)
            Assert.Equal(StatusCode.PermissionDenied, (await Assert.ThrowsAsync<RpcException>(call)).StatusCode);

        Assert.Equal(10, (await _api.GetFacilityAsync(new GetFacilityRequest { FacilityId = centre.Id }, As(stack.Tokens.Auditor()))).Figures.Free.General);
        var unauthenticated = await Assert.ThrowsAsync<RpcException>(async () => await _api.GetCapacityPictureAsync(Picture("PL")));
        Assert.Equal(StatusCode.Unauthenticated, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task Malformed_requests_name_the_field_and_stale_or_unknown_facilities_are_told_apart()
    {
        async Task<RpcException> Refused(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

        var noCapacity = Facility("PL", "PL-PD", General(1));
        noCapacity.Capacity = null;
        var negative = Facility("PL", "PL-PD", new Places { Families = -2 });
        var noSection = CrossingPoint("PL", "PL-PD", "", "Terespol");
        var full = Facility("PL", "PL-PD", General(1));
        full.Status = FacilityStatus.Full;
        var badThresholds = Facility("PL", "PL-PD", General(1));
        badThresholds.StrainThresholds = new StrainThresholds { Strained = 0.9, Overflow = 1.5 };
        foreach (var (request, field) in new[]
        {
            (noCapacity, "capacity: is required"),
            (negative, "capacity.families: must not be negative"),
            (noSection, "border_section: is required for a designated crossing point"),
            (full, "status: is derived from occupancy"),
            (badThresholds, "strain_thresholds: must satisfy"),
        })
        {
            var refused = await Refused(async () => await _api.RegisterFacilityAsync(request, _poland));
            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.StartsWith(field, refused.Status.Detail, StringComparison.Ordinal);
        }

        var nobody = await Refused(async () => await _api.ReportArrivalsAsync(People("facility-x", new Places()), _poland));
        Assert.StartsWith("people: count at least one", nobody.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, (await Refused(async () => await _api.ReportArrivalsAsync(People("facility-unknown", General(1)), _poland))).StatusCode);

        var centre = await _api.RegisterFacilityAsync(Facility("PL", NewRegion("PL"), General(10)), _poland);
        await _api.CloseFacilityAsync(Decision(centre.Id, centre.Version), _poland);
        var stale = await Refused(async () => await _api.OpenFacilityAsync(Decision(centre.Id, centre.Version), _poland));
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        var closed = await Refused(async () => await _api.ReportArrivalsAsync(People(centre.Id, General(1)), _poland));
        Assert.Equal(StatusCode.FailedPrecondition, closed.StatusCode);
        Assert.StartsWith("reception.facility.closed:", closed.Status.Detail, StringComparison.Ordinal);
    }

    private static ContingencyDecisionRequest Plan(string facilityId, long version, string code) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FacilityId = facilityId,
        ExpectedVersion = version,
        PlanCode = code,
        LegalBasis = "Council of Ministers regulation 2021/11",
        Justification = "arrivals exceed the centre's places",
    };
}
