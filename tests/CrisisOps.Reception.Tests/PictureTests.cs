using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Picture;
using CrisisOps.Reception.Strain;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;

namespace CrisisOps.Reception.Tests;

public class PictureTests
{
    private static readonly StrainPolicy Defaults = new(StrainThresholds.Default, new Dictionary<string, StrainThresholds>(), new Dictionary<string, StrainThresholds>());

    [Fact]
    public void A_facility_as_of_a_moment_is_folded_from_what_had_taken_effect_by_then()
    {
        var day1 = new DateTimeOffset(2021, 11, 8, 9, 0, 0, TimeSpan.Zero);
        var history = new List<object>();
        var spec = new FacilitySpec();
        void Record(FacilityCommand c)
        {
            var events = spec.When(c);
            spec.Given([.. events]);
            history.AddRange(events);
        }

        Record(Centre(general: 50) with { Decision = By(at: day1) });
        Record(new RecordArrivals(General(10), By(at: day1.AddHours(1))));
        Record(new RecordArrivals(General(30), By(at: day1.AddDays(1))));
        Record(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "gym", General(50), By(at: day1.AddDays(1))));
        Record(new ActivateContingencyPlan(spec.State!.DecisionVersion, "winter", By(at: day1.AddDays(2))));

        Assert.Null(CapacityPicture.FacilityAt(history, day1.AddMinutes(-1)));
        Assert.Equal(10, CapacityPicture.FacilityAt(history, day1.AddHours(12))!.Figures.Occupied.Total);
        var dayTwo = CapacityPicture.FacilityAt(history, day1.AddDays(1).AddHours(1))!;
        Assert.Equal((40, 50, Places.None), (dayTwo.Figures.Occupied.Total, dayTwo.Figures.Capacity.Total, dayTwo.ActiveReserve));
        Assert.Equal(General(50), CapacityPicture.FacilityAt(history, day1.AddDays(3))!.ActiveReserve);
    }

    [Fact]
    public void The_picture_as_of_a_moment_counts_each_facility_as_it_stood_then_and_leaves_out_those_registered_since()
    {
        var day1 = new DateTimeOffset(2021, 11, 8, 9, 0, 0, TimeSpan.Zero);
        var podlaskie = History(
            Centre(id: "bialystok", region: "PL-PD", general: 50) with { Decision = By(at: day1) },
            new RecordArrivals(General(10), By(at: day1.AddHours(1))),
            new RecordArrivals(General(30), By(at: day1.AddDays(1))));
        var lublin = History(
            Centre(id: "biala-podlaska", region: "PL-LU", general: 20) with { Decision = By(at: day1.AddDays(2)) },
            new RecordArrivals(General(5), By(at: day1.AddDays(2).AddHours(1))));

        var firstEvening = CapacityPicture.AsItStoodAt("PL", null, day1.AddHours(12), [podlaskie, lublin], Defaults);
        Assert.Equal(day1.AddHours(12), firstEvening.AsOf);
        Assert.Equal((50, 10, 1), (firstEvening.National.Capacity.Total, firstEvening.National.Occupied.Total, firstEvening.National.OpenFacilities));
        Assert.Equal("bialystok", Assert.Single(firstEvening.Facilities).Id);
        Assert.Equal("PL-PD", Assert.Single(firstEvening.Regions).Area);

        var dayThreeInLublin = CapacityPicture.AsItStoodAt("PL", "PL-LU", day1.AddDays(3), [podlaskie, lublin], Defaults);
        Assert.Equal((70, 45), (dayThreeInLublin.National.Capacity.Total, dayThreeInLublin.National.Occupied.Total));
        var region = Assert.Single(dayThreeInLublin.Regions);
        Assert.Equal(("PL-LU", 5), (region.Area, region.Occupied.Total));
        Assert.Equal("biala-podlaska", Assert.Single(dayThreeInLublin.Facilities).Id);

        Assert.Empty(CapacityPicture.AsItStoodAt("PL", null, day1.AddMinutes(-1), [podlaskie, lublin], Defaults).Facilities);
    }

    [Fact]
    public void The_picture_sums_categories_per_region_and_for_the_country_and_lists_the_region_asked_for()
    {
        var a = new FacilitySpec().After(Centre(id: "a", region: "PL-PD", capacity: new Places(100, 20, 10, 0)), Arrivals(new Places(90, 20, 1, 0)));
        var b = new FacilitySpec().After(Centre(id: "b", region: "PL-LU", capacity: new Places(50, 0, 0, 10)), Arrivals(new Places(5, 0, 0, 10)));
        var picture = CapacityPicture.Of("PL", "PL-PD", Nov2021, [FacilityView.From(a.State!), FacilityView.From(b.State!)], Defaults);

        Assert.Equal((190, 126), (picture.National.Capacity.Total, picture.National.Occupied.Total));
        Assert.Equal(new Places(55, 0, 9, 0), picture.National.Free);
        var region = Assert.Single(picture.Regions);
        Assert.Equal(("PL-PD", StrainLevel.Strained), (region.Area, region.Strain));
        Assert.Equal("a", Assert.Single(picture.Facilities).Id);
    }

    [Fact]
    public void A_full_facility_suggests_open_facilities_of_its_region_that_can_take_the_whole_group_first()
    {
        var full = Facility("full", "PL-PD", new Places(10, 0, 0, 0), General(10));
        var roomy = Facility("roomy", "PL-PD", new Places(100, 0, 2, 0), General(10));
        var small = Facility("small", "PL-PD", new Places(3, 0, 0, 0), Places.None);
        var elsewhere = Facility("elsewhere", "PL-LU", new Places(500, 0, 0, 0), Places.None);
        var people = new Places(4, 0, 1, 0);

        var candidates = Redirect.Candidates(full, people, [full, roomy, small, elsewhere]);
        Assert.Equal("roomy", Assert.Single(candidates).Id);
        Assert.Contains("(roomy) 90 general, 2 unaccompanied minors", Redirect.Advice(full, people, candidates), StringComparison.Ordinal);

        var split = Redirect.Candidates(full, new Places(4, 0, 5, 0), [full, roomy, small, elsewhere]);
        Assert.Equal(["roomy", "small"], split.Select(f => f.Id));

        Assert.Contains("no open facility of region PL-PD has free places", Redirect.Advice(full, people, []), StringComparison.Ordinal);
    }

    /// <summary>The events the decider records for these commands, in turn, as the facility's stream holds them.</summary>
    private static List<object> History(params FacilityCommand[] commands)
    {
        var spec = new FacilitySpec();
        var history = new List<object>();
        foreach (var c in commands)
        {
            var events = spec.When(c);
            spec.Given([.. events]);
            history.AddRange(events);
        }

        return history;
    }

    private static FacilityView Facility(string id, string region, Places capacity, Places occupied)
    {
        var spec = new FacilitySpec().After(Centre(id: id, region: region, capacity: capacity));
        if (occupied.Total > 0) spec.After(Arrivals(occupied));
        return FacilityView.From(spec.State!) with { Name = id };
    }
}
