using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Messaging;
using CrisisOps.Reception.Strain;
using JasperFx.Events;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Tests;

/// <summary>People not placed are people too: counted by category, as aggregate figures, with the decision that reported them.</summary>
public class NotPlacedTests
{
    private static readonly StrainPolicy Defaults = new(StrainThresholds.Default, new Dictionary<string, StrainThresholds>(), new Dictionary<string, StrainThresholds>());

    [Fact]
    public void An_arrivals_report_beyond_the_free_places_takes_them_and_records_the_rest_as_refused_with_the_report()
    {
        var spec = new FacilitySpec().After(Centre(capacity: new Places(10, 4, 0, 0)), Arrivals(new Places(8, 0, 0, 0)));
        var decision = By();
        var events = spec.When(new RecordArrivals(new Places(5, 6, 1, 0), decision, NotPlacedOutcome.Refused));

        var placed = Assert.IsType<ArrivalsRecorded>(events[0]);
        Assert.Equal(new Places(2, 4, 0, 0), placed.People);
        Assert.Equal(StrainLevel.Overflow, Assert.IsType<FacilityStrainChanged>(events[1]).To);
        var refused = Assert.IsType<ArrivalsNotPlaced>(events[2]);
        Assert.Equal((new Places(3, 2, 1, 0), NotPlacedOutcome.Refused, (string?)null), (refused.People, refused.Outcome, refused.RedirectedTo));
        Assert.Equal(new NotPlacedFigures(new Places(3, 2, 1, 0), Places.None, Places.None), refused.NotPlaced);
        Assert.Equal(decision, refused.Decision);
        Assert.Equal(refused.NotPlaced, Assert.IsType<FacilityStrainChanged>(events[1]).NotPlaced);

        spec.Given([.. events]);
        Assert.Equal(new Places(3, 2, 1, 0), spec.State!.NotPlaced.Refused);
        Assert.Equal(new Places(10, 4, 0, 0), spec.State.Figures.Occupied);
    }

    [Fact]
    public void At_a_full_facility_everyone_reported_is_not_placed_redirected_ones_naming_where_they_went_and_decisions_are_not_made_stale()
    {
        var spec = new FacilitySpec().After(Centre(general: 10), Arrivals(10));
        var version = spec.State!.DecisionVersion;
        var redirected = spec.Single<ArrivalsNotPlaced>(new RecordArrivals(General(7), By(), NotPlacedOutcome.Redirected, "facility-2"));
        Assert.Equal(("facility-2", General(7)), (redirected.RedirectedTo, redirected.NotPlaced.Redirected));
        spec.Given(redirected);
        spec.After(new RecordArrivals(General(4), By(), NotPlacedOutcome.Waiting));

        Assert.Equal(new NotPlacedFigures(Places.None, General(7), General(4)), spec.State!.NotPlaced);
        Assert.Equal(version, spec.State.DecisionVersion);
        Assert.Equal(General(10), spec.State.Figures.Occupied);
    }

    [Fact]
    public void Without_an_outcome_a_report_beyond_the_free_places_is_still_refused_whole_and_nothing_is_counted()
    {
        var spec = new FacilitySpec().After(Centre(general: 10), Arrivals(9));
        Assert.Equal(FacilityDecider.CapacityRule, spec.Refused(Arrivals(2)).Rule);
        Assert.Equal(NotPlacedFigures.None, spec.State!.NotPlaced);
    }

    [Fact]
    public void Arrivals_that_all_fit_record_nobody_as_not_placed_whatever_the_outcome_given()
    {
        var arrived = new FacilitySpec().After(Centre(general: 10)).Single<ArrivalsRecorded>(new RecordArrivals(General(3), By(), NotPlacedOutcome.Refused));
        Assert.Equal(General(3), arrived.People);
    }

    [Fact]
    public void People_waiting_are_a_level_the_facility_reports_replacing_the_last_figure_even_when_unchanged()
    {
        var spec = new FacilitySpec().After(CrossingPoint(), new ReportWaiting(new Places(30, 10, 2, 0), By()));
        Assert.Equal(new Places(30, 10, 2, 0), spec.State!.NotPlaced.Waiting);
        var lower = spec.Single<WaitingReported>(new ReportWaiting(General(5), By()));
        Assert.Equal(General(5), lower.NotPlaced.Waiting);
        spec.Given(lower);
        Assert.Single(spec.When(new ReportWaiting(General(5), By())));
    }

    [Fact]
    public void A_region_and_its_country_carry_their_facilities_people_not_placed_and_so_does_the_strain_change_published()
    {
        var a = new FacilitySpec().After(Centre(general: 10, id: "a"), new RecordArrivals(General(14), By(), NotPlacedOutcome.Refused));
        var b = new FacilitySpec().After(Centre(general: 10, id: "b"), Arrivals(10), new ReportWaiting(new Places(0, 6, 0, 0), By()));
        var events = AreaStrain.Assess(AreaStrain.Initial, "PL", [FacilityView.From(a.State!), FacilityView.From(b.State!)], Defaults);

        var region = Assert.IsType<RegionStrainChanged>(events[0]);
        Assert.Equal(new NotPlacedFigures(General(4), Places.None, new Places(0, 6, 0, 0)), region.NotPlaced);
        var published = Assert.IsType<Contract.ReceptionStrainChanged>(new ReceptionContracts().ToContract(Event(region)));
        Assert.Equal((10, 4, 6), (published.NotPlaced!.WithoutPlace, published.NotPlaced.Refused["General"], published.NotPlaced.Waiting["Families"]));
        Assert.Equal(region.NotPlaced, Assert.IsType<CountryStrainChanged>(events[1]).NotPlaced);
    }

    [Fact]
    public void A_report_of_people_not_placed_is_published_with_the_facility_totals_and_who_reported_it()
    {
        var spec = new FacilitySpec().After(Centre(general: 10), Arrivals(10));
        var notPlaced = spec.Single<ArrivalsNotPlaced>(new RecordArrivals(General(3), By(), NotPlacedOutcome.Refused));
        var published = Assert.IsType<Contract.PeopleNotPlaced>(new ReceptionContracts().ToContract(Event(notPlaced)));
        Assert.Equal(("facility-1", "PL", "PL-PD", "Refused", 3), (published.FacilityId, published.Country, published.Region, published.Outcome, published.People["General"]));
        Assert.Equal(3, published.Figures.Refused["General"]);
        Assert.Equal(Poland.Subject, published.Decision.ActorSubject);
        Assert.Equal("reported by the facility manager", published.Decision.Justification);
    }

    [Fact]
    public void A_strain_change_recorded_before_people_not_placed_were_counted_is_published_without_the_figure()
    {
        var old = new RegionStrainChanged("PL", "PL-PD", StrainLevel.Strained, StrainLevel.Overflow, 10, 10, 1, Nov2021);
        Assert.Null(Assert.IsType<Contract.ReceptionStrainChanged>(new ReceptionContracts().ToContract(Event(old))).NotPlaced);
    }

    private static IEvent Event(object data) => new Event<object>(data);
}
