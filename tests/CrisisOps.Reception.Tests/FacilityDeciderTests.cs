using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;

namespace CrisisOps.Reception.Tests;

public class FacilityDeciderTests
{
    [Fact]
    public void A_registered_centre_offers_its_capacity_per_category_and_is_not_reported_as_a_registration_point()
    {
        var registered = new FacilitySpec().Single<FacilityRegistered>(Centre(capacity: new Places(100, 40, 10, 5)));
        Assert.Equal(new Places(100, 40, 10, 5), registered.After.Free);
        Assert.Equal(FacilityStatus.Open, registered.After.Status);
    }

    [Fact]
    public void Registering_opening_and_closing_a_designated_crossing_point_reports_where_asylum_can_be_lodged()
    {
        var spec = new FacilitySpec();
        var registered = spec.When(CrossingPoint());
        Assert.IsType<FacilityRegistered>(registered[0]);
        Assert.True(Assert.IsType<RegistrationPointStatusChanged>(registered[1]).Open);
        spec.Given([.. registered]);

        var closed = spec.When(new CloseFacility(spec.State!.DecisionVersion, By()));
        var status = Assert.IsType<RegistrationPointStatusChanged>(closed[1]);
        Assert.False(status.Open);
        Assert.Equal("PL-BY", status.BorderSection);
        Assert.True(status.IsDesignatedCrossingPoint);
        spec.Given([.. closed]);

        Assert.True(Assert.IsType<RegistrationPointStatusChanged>(spec.When(new OpenFacility(spec.State!.DecisionVersion, By()))[1]).Open);
    }

    [Fact]
    public void A_facility_is_registered_once_and_opened_only_while_closed()
    {
        var spec = new FacilitySpec().After(Centre(open: false));
        Assert.Equal("reception.facility.unique", spec.Refused(Centre()).Rule);
        Assert.Equal(FacilityStatus.Closed, spec.State!.Figures.Status);
        var opened = spec.Single<FacilityOpened>(new OpenFacility(spec.State.DecisionVersion, By()));
        Assert.Equal(General(100), opened.After.Free);
        spec.Given(opened);
        Assert.Equal("reception.facility.status", spec.Refused(new OpenFacility(spec.State!.DecisionVersion, By())).Rule);
    }

    [Fact]
    public void Arrivals_within_the_free_places_are_recorded_with_the_figures_after_them()
    {
        var arrived = new FacilitySpec().After(Centre(capacity: new Places(100, 40, 10, 5)))
            .Single<ArrivalsRecorded>(Arrivals(new Places(30, 12, 2, 1)));
        Assert.Equal(new Places(30, 12, 2, 1), arrived.After.Occupied);
        Assert.Equal(new Places(70, 28, 8, 4), arrived.After.Free);
    }

    [Fact]
    public void Arrivals_beyond_the_free_places_of_one_category_are_refused_whole_naming_the_places_left()
    {
        var spec = new FacilitySpec().After(Centre(capacity: new Places(100, 40, 2, 5)), Arrivals(new Places(0, 0, 1, 0)));
        var refused = spec.Refused(Arrivals(new Places(10, 0, 2, 0)));
        Assert.Equal(FacilityDecider.CapacityRule, refused.Rule);
        Assert.Contains("2 unaccompanied minors reported, 1 free", refused.Message, StringComparison.Ordinal);
        Assert.Contains("free places left: general 100, families 40, unaccompanied minors 1, special needs 5", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new Places(0, 0, 1, 0), spec.State!.Figures.Occupied);
    }

    [Fact]
    public void The_last_free_place_is_given_once_and_the_facility_is_then_full()
    {
        var spec = new FacilitySpec().After(Centre(general: 3), Arrivals(2), Arrivals(1));
        Assert.Equal(FacilityStatus.Full, spec.State!.Figures.Status);
        Assert.Equal(FacilityDecider.CapacityRule, spec.Refused(Arrivals(1)).Rule);
    }

    [Fact]
    public void A_closed_facility_takes_no_arrivals_and_closes_only_when_nobody_is_there()
    {
        var spec = new FacilitySpec().After(Centre(general: 10), Arrivals(4));
        Assert.Equal("reception.facility.occupied", spec.Refused(new CloseFacility(spec.State!.DecisionVersion, By())).Rule);
        spec.After(Departures(4), new CloseFacility(spec.State!.DecisionVersion, By()));
        Assert.Equal(FacilityStatus.Closed, spec.State!.Figures.Status);
        Assert.Equal(Places.None, spec.State.Figures.Offered);
        Assert.Equal("reception.facility.closed", spec.Refused(Arrivals(1)).Rule);
        Assert.Equal("reception.facility.status", spec.Refused(new CloseFacility(spec.State.DecisionVersion, By())).Rule);
    }

    [Fact]
    public void Departures_cannot_exceed_who_is_there()
    {
        var spec = new FacilitySpec().After(Centre(general: 10), Arrivals(4));
        Assert.Equal("reception.departures.occupancy", spec.Refused(Departures(5)).Rule);
        Assert.Equal(General(1), spec.Single<DeparturesRecorded>(Departures(3)).After.Occupied);
    }

    [Fact]
    public void Strain_rises_at_85_percent_and_overflows_at_100_percent_then_falls_back_with_departures()
    {
        var spec = new FacilitySpec().After(Centre(general: 20), Arrivals(16));
        var strained = spec.When(Arrivals(1));
        var change = Assert.IsType<FacilityStrainChanged>(strained[1]);
        Assert.Equal((StrainLevel.Normal, StrainLevel.Strained, 17, 20, 0.85), (change.From, change.To, change.Occupied, change.Capacity, change.Rate));
        Assert.False(change.FollowsDecision);
        spec.Given([.. strained]);

        Assert.Equal(StrainLevel.Overflow, Assert.IsType<FacilityStrainChanged>(spec.When(Arrivals(3))[1]).To);
        spec.After(Arrivals(3));
        var relieved = Assert.IsType<FacilityStrainChanged>(spec.When(Departures(10))[1]);
        Assert.Equal((StrainLevel.Overflow, StrainLevel.Normal), (relieved.From, relieved.To));
    }

    [Fact]
    public void Thresholds_set_at_registration_replace_the_defaults()
    {
        var spec = new FacilitySpec().After(Centre(general: 10, thresholds: new StrainThresholds(0.5, 0.9)), Arrivals(4));
        Assert.Equal(StrainLevel.Strained, Assert.IsType<FacilityStrainChanged>(spec.When(Arrivals(1))[1]).To);
        spec.After(Arrivals(1));
        Assert.Equal(StrainLevel.Overflow, Assert.IsType<FacilityStrainChanged>(spec.When(Arrivals(4))[1]).To);
    }

    [Fact]
    public void Thresholds_that_could_never_fire_are_refused()
    {
        Assert.Throws<InvalidFieldException>(() => new StrainThresholds(0.9, 1.2).Validated("strain_thresholds"));
        Assert.Throws<InvalidFieldException>(() => new StrainThresholds(0.9, 0.8).Validated("strain_thresholds"));
        Assert.Throws<InvalidFieldException>(() => new StrainThresholds(0, 1).Validated("strain_thresholds"));
    }

    [Fact]
    public void Reports_do_not_move_the_decision_version_so_a_decision_read_before_them_still_stands()
    {
        var spec = new FacilitySpec().After(Centre(general: 20));
        var read = spec.State!.DecisionVersion;
        spec.After(Arrivals(10), Arrivals(7), Departures(2));
        Assert.Equal(read, spec.State!.DecisionVersion);
        Assert.True(spec.State.Version > read);
        Assert.Single(spec.When(new DeclareContingencyPlan(read, "winter", "sports hall", General(50), By())));
    }

    [Fact]
    public void A_decision_taken_on_a_stale_decision_version_is_refused()
    {
        var spec = new FacilitySpec().After(Centre(general: 20));
        var read = spec.State!.DecisionVersion;
        spec.After(new DeclareContingencyPlan(read, "winter", "sports hall", General(50), By()));
        var conflict = Assert.Throws<VersionConflictException>(() => spec.When(new ActivateContingencyPlan(read, "winter", By())));
        Assert.Contains($"not {read}", conflict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_activated_contingency_plan_adds_its_reserve_and_a_decision_that_relieves_strain_says_so()
    {
        var spec = new FacilitySpec().After(Centre(general: 20), Arrivals(20));
        spec.After(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "sports hall", General(20), By()));
        var activated = spec.When(new ActivateContingencyPlan(spec.State!.DecisionVersion, "winter", By()));
        Assert.Equal(General(40), Assert.IsType<ContingencyActivated>(activated[0]).After.Capacity);
        var strain = Assert.IsType<FacilityStrainChanged>(activated[1]);
        Assert.Equal((StrainLevel.Overflow, StrainLevel.Normal, true), (strain.From, strain.To, strain.FollowsDecision));
        spec.Given([.. activated]);
        Assert.Equal(spec.State!.Version, spec.State.DecisionVersion);
        Assert.Equal(General(20), spec.State.ActiveReserve);
        Assert.Equal("reception.contingency.active", spec.Refused(new ActivateContingencyPlan(spec.State.DecisionVersion, "winter", By())).Rule);
    }

    [Fact]
    public void A_contingency_plan_is_deactivated_only_once_its_places_are_no_longer_taken()
    {
        var spec = new FacilitySpec().After(Centre(general: 20));
        spec.After(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "sports hall", General(30), By()));
        spec.After(new ActivateContingencyPlan(spec.State!.DecisionVersion, "winter", By()), Arrivals(35));
        var refused = spec.Refused(new DeactivateContingencyPlan(spec.State!.DecisionVersion, "winter", By()));
        Assert.Equal("reception.contingency.occupied", refused.Rule);
        Assert.Contains("35 general in 20 place(s)", refused.Message, StringComparison.Ordinal);

        spec.After(Departures(15));
        var deactivated = Assert.IsType<ContingencyDeactivated>(spec.When(new DeactivateContingencyPlan(spec.State!.DecisionVersion, "winter", By()))[0]);
        Assert.Equal(General(20), deactivated.After.Capacity);
        Assert.Equal(Places.None, deactivated.After.Free);
    }

    [Fact]
    public void Contingency_plans_are_unique_per_facility_and_must_exist_to_be_activated()
    {
        var spec = new FacilitySpec().After(Centre());
        spec.After(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "sports hall", General(30), By()));
        Assert.Equal("reception.contingency.unique",
            spec.Refused(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "gym", General(5), By())).Rule);
        Assert.Throws<NotFoundException>(() => spec.When(new ActivateContingencyPlan(spec.State!.DecisionVersion, "summer", By())));
        Assert.Equal("reception.contingency.inactive",
            spec.Refused(new DeactivateContingencyPlan(spec.State!.DecisionVersion, "winter", By())).Rule);
    }
}
