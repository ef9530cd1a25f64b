using CrisisOps.Situation.Picture;
using CsCheck;
using Xunit;
using static CrisisOps.Situation.Tests.Histories;

namespace CrisisOps.Situation.Tests;

/// <summary>The picture's fold over the five services' integration events: given events, then this picture.</summary>
public class SituationFoldTests
{
    private static readonly ReportingCadence Cadence = ReportingCadence.Default;

    [Fact]
    public void A_declared_crisis_its_emergency_and_a_measure_show_the_crisis_at_its_stage_and_both_legal_clocks_with_total_cap_and_extensions()
    {
        var p = new PictureSpec().Given(Declaration(), Measures()).Picture;

        var crisis = p.Crises[Crisis];
        Assert.Equal(("Declared", "CrisisManagement", true, "Belarus"), (crisis.State, crisis.Stage, crisis.Qualifies, crisis.Perpetrator));
        Assert.Equal(new Provenance("declaration", Nov2021.AddMinutes(5), "PL duty officer, Ministry of Interior"), crisis.AsOf);

        var emergency = p.Clocks[$"emergency/{Crisis}"];
        Assert.Equal(("InForce", new DateOnly(2022, 2, 5), 0, (int?)1, "Constitution Art. 230"),
            (emergency.Status, emergency.TotalCapEnd, emergency.ExtensionsUsed, emergency.ExtensionsAllowed, emergency.LegalBasis));
        var measure = p.Clocks["measure/measure-1"];
        Assert.Equal((Crisis, "Constitution Art. 230(2)", new DateOnly(2022, 1, 7), 1, (int?)1, new DateOnly(2022, 2, 6)),
            (measure.CrisisId, measure.LegalBasis, measure.EndDate, measure.ExtensionsUsed, measure.ExtensionsAllowed, measure.TotalCapEnd));
        Assert.Equal("High", p.Sections["PL-BY"].Level);

        // The legal terms complete their declaration's clock; the declaration is the decision the timeline shows.
        Assert.Equal(["CrisisDeclared", "EmergencyDeclared", "CrisisStageChanged", "AlertLevelChanged", "MeasureEnacted", "MeasureExtended"],
            p.Timeline.Select(t => t.EventType));
        var enacted = p.Timeline.Single(t => t.EventType == "MeasureEnacted");
        Assert.Equal((Crisis, "PL duty officer", "Ministry of Interior", "Act of 2 September 2021"), (enacted.CrisisId, enacted.Actor, enacted.Ministry, enacted.LegalBasis));
        Assert.Equal(Crisis, p.Timeline.Single(t => t.EventType == "MeasureExtended").CrisisId);
    }

    [Fact]
    public void People_reception_could_not_place_show_per_facility_and_category_and_as_a_country_figure_with_their_own_as_of_time_and_reporter()
    {
        var p = new PictureSpec().Given(Reception()).Picture;
        var facility = p.Facilities["facility-1"];
        Assert.Equal(("Białystok reception centre", "PL-PD", 4, 6, 10), (facility.Name, facility.Region, facility.NotPlaced!.Refused["General"],
            facility.NotPlaced.Waiting["Families"], facility.NotPlaced.Total));
        Assert.Equal(("Overflow", 1.0), (p.Regions["PL-PD"].Strain, p.Regions["PL-PD"].Rate));

        var now = Nov2021.AddHours(2);
        var view = Assert.Single(SituationViews.NotPlaced(p, now, Cadence));
        Assert.Equal(("facility-1", 10, "fresh"), (view.FacilityId, view.Total, view.Freshness));
        Assert.Equal(new Provenance("reception", Nov2021.AddMinutes(12), "PL duty officer, Ministry of Interior"), view.AsOf);
        var figure = SituationViews.Figures(p, now, Cadence).Single(f => f.Name == "reception.not-placed");
        Assert.Equal((10.0, Nov2021.AddMinutes(12), "reception", "PL duty officer, Ministry of Interior", "fresh"),
            (figure.Value, figure.AsOf, figure.Source, figure.ReportedBy, figure.Freshness));
        Assert.Equal("overdue", SituationViews.Figures(p, Nov2021.AddDays(2), Cadence).Single(f => f.Name == "reception.not-placed").Freshness);
        Assert.Contains(p.Timeline, t => t.Summary == "4 arrivals not placed at Białystok reception centre: refused (4 not placed there so far)");
        Assert.Contains(p.Timeline, t => t.Summary == "6 waiting for a place at Białystok reception centre");
    }

    [Fact]
    public void Categories_read_the_same_whether_the_bus_wrote_their_names_in_camel_case_or_the_feed_as_given()
    {
        var camel = new Dictionary<string, int> { ["general"] = 3, ["families"] = 1 };
        var p = new PictureSpec().Given(Reception().Take(1), [Published.Of(new Contracts.Reception.V1.PeopleNotPlaced("facility-1", "PL", "PL-PD", "PL-BY",
            "Refused", camel, null, new(camel, new Dictionary<string, int>(), new Dictionary<string, int>()), By(10)))]).Picture;
        Assert.Equal(["Families", "General"], p.Facilities["facility-1"].NotPlaced!.Refused.Keys);
    }

    [Fact]
    public void A_country_whose_facilities_placed_everyone_shows_no_not_placed_figure()
    {
        var p = new PictureSpec().Given(Reception().Take(2)).Picture;
        Assert.DoesNotContain(SituationViews.Figures(p, Nov2021, Cadence), f => f.Name == "reception.not-placed");
        Assert.Empty(SituationViews.NotPlaced(p, Nov2021, Cadence));
    }

    [Fact]
    public void A_request_with_a_pledge_and_a_delivery_shows_who_pledged_and_delivered_what_and_what_is_unmet()
    {
        var request = new PictureSpec().Given(Humanitarian()).Picture.Requests["request-1"];
        Assert.Equal((10, 6, 6, 4, "Open"), (request.Quantity, request.Pledged, request.Delivered, request.Remaining, request.Status));
        Assert.Equal(("IOM", 6, 6), (request.Pledges["pledge-1"].Partner, request.Pledges["pledge-1"].Pledged, request.Pledges["pledge-1"].Delivered));
    }

    [Fact]
    public void Replaying_the_whole_history_on_an_empty_picture_rebuilds_the_same_picture()
    {
        var history = All().SelectMany(h => h).ToList();
        var first = PictureSpec.Fold("PL", history);
        var rebuilt = PictureSpec.Fold("PL", history);
        PictureSpec.Same(first, rebuilt);
        Assert.Equal(history.Count, rebuilt.Changes);
    }

    [Fact]
    public void A_report_of_people_not_placed_delivered_twice_counts_its_people_once_since_it_carries_the_facilitys_totals()
    {
        var reception = Reception();
        var once = PictureSpec.Fold("PL", reception);
        var twice = PictureSpec.Fold("PL", [.. reception, reception[^2], reception[^1]]);
        Assert.Equal(once.Facilities["facility-1"].NotPlaced!.Total, twice.Facilities["facility-1"].NotPlaced!.Total);
        Assert.Equal(SituationViews.Figures(once, Nov2021, Cadence), SituationViews.Figures(twice, Nov2021, Cadence));
    }

    [Fact]
    public void The_order_in_which_independent_services_events_are_folded_does_not_change_the_picture()
    {
        var histories = All();
        var expected = PictureSpec.Json(PictureSpec.Fold("PL", histories.SelectMany(h => h)));
        // Each service's events stay in that service's order (one stream's events arrive in order); the services interleave at will.
        Gen.Int[0, histories.Count - 1].Array[0, 40].Sample(choices =>
        {
            var merged = Interleave(histories, choices);
            Assert.Equal(histories.Sum(h => h.Count), merged.Count);
            Assert.Equal(expected, PictureSpec.Json(PictureSpec.Fold("PL", merged)));
        }, iter: 200);
    }

    [Fact]
    public void Services_folded_service_by_service_in_reverse_give_the_picture_of_the_services_folded_in_order()
    {
        var histories = All();
        PictureSpec.Same(PictureSpec.Fold("PL", histories.SelectMany(h => h)), PictureSpec.Fold("PL", histories.Reverse().SelectMany(h => h)));
    }

    /// <summary>Takes the next event of the service each choice names (the next one with events left), then the rest in service order.</summary>
    private static List<Published> Interleave(IReadOnlyList<IReadOnlyList<Published>> histories, int[] choices)
    {
        var next = new int[histories.Count];
        var merged = new List<Published>();
        foreach (var choice in choices)
        {
            var service = Enumerable.Range(0, histories.Count).Select(i => (choice + i) % histories.Count).FirstOrDefault(s => next[s] < histories[s].Count, -1);
            if (service < 0) break;
            merged.Add(histories[service][next[service]++]);
        }

        for (var s = 0; s < histories.Count; s++) merged.AddRange(histories[s].Skip(next[s]));
        return merged;
    }
}
