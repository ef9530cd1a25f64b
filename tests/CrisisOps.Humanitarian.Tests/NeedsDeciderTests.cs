using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Legal;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;

namespace CrisisOps.Humanitarian.Tests;

public class NeedsDeciderTests
{
    [Fact]
    public void A_first_assessment_records_the_four_population_statuses_and_the_vulnerable_groups_among_those_in_need()
    {
        var assessed = new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(4000, 3500, 3000, 1200), new VulnerableGroups(1400, 60, 90, 150)));
        Assert.Equal(Figures(4000, 3500, 3000, 1200), assessed.Figures);
        Assert.Equal(60, assessed.Vulnerable!.UnaccompaniedMinors);
        Assert.Equal("IOM", assessed.RecordedFor);
        Assert.Equal(Kuznica, assessed.Location);
    }

    [Theory]
    [InlineData(100, 120, 50, 10, "needs.in-need-within-affected")]
    [InlineData(100, 80, 90, 10, "needs.targeted-within-in-need")]
    [InlineData(100, 80, 50, 60, "needs.reached-within-targeted")]
    public void Population_statuses_must_nest_reached_within_targeted_within_in_need_within_affected(
        int affected, int inNeed, int targeted, int reached, string rule) =>
        Assert.Equal(rule, new NeedsSpec().Refused(Assess(Figures(affected, inNeed, targeted, reached))).Rule);

    [Fact]
    public void Equal_figures_at_every_status_are_lawful() =>
        Assert.Equal(Figures(50, 50, 50, 50), new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(50, 50, 50, 50))).Figures);

    [Fact]
    public void Vulnerable_groups_not_counted_stay_uncounted_rather_than_zero() =>
        Assert.Null(new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(100, 80, 50, 0))).Vulnerable);

    [Fact]
    public void A_negative_count_is_refused_naming_its_field()
    {
        var refused = Assert.Throws<InvalidFieldException>(() => new NeedsSpec().When(Assess(Figures(100, 80, -1, 0))));
        Assert.Equal("figures.targeted", refused.Field);
        var vulnerable = Assert.Throws<InvalidFieldException>(() =>
            new NeedsSpec().When(Assess(Figures(100, 80, 50, 0), new VulnerableGroups(10, 0, -3, 0))));
        Assert.Equal("vulnerable_groups.persons_with_disabilities", vulnerable.Field);
    }

    [Fact]
    public void Vulnerable_groups_are_counted_among_those_in_need_and_unaccompanied_minors_among_the_children()
    {
        Assert.Equal("needs.vulnerable-within-in-need",
            new NeedsSpec().Refused(Assess(Figures(500, 400, 300, 0), new VulnerableGroups(0, 0, 0, 401))).Rule);
        Assert.Equal("needs.unaccompanied-minors-within-children",
            new NeedsSpec().Refused(Assess(Figures(500, 400, 300, 0), new VulnerableGroups(20, 21, 0, 0))).Rule);
    }

    [Fact]
    public void People_stranded_on_the_other_side_of_the_border_are_assessed_at_a_location_flagged_beyond_the_border()
    {
        var bruzgi = new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(2000, 2000, 1500, 0), at: Bruzgi));
        Assert.True(bruzgi.Location.BeyondBorder);
        Assert.Equal("BY", bruzgi.Location.Country);
        Assert.Equal("PL", bruzgi.Country);

        var unflagged = Assert.Throws<InvalidFieldException>(() =>
            new NeedsSpec().When(Assess(Figures(10, 10, 10, 0), at: Bruzgi with { BeyondBorder = false })));
        Assert.Equal("location.beyond_border", unflagged.Field);
        var flaggedAtHome = Assert.Throws<InvalidFieldException>(() =>
            new NeedsSpec().When(Assess(Figures(10, 10, 10, 0), at: Kuznica with { BeyondBorder = true })));
        Assert.Equal("location.beyond_border", flaggedAtHome.Field);
    }

    [Fact]
    public void A_place_has_one_needs_picture_per_sector_so_a_second_first_assessment_is_refused()
    {
        var first = new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(100, 80, 50, 0)));
        Assert.Equal("needs.assessment.exists", new NeedsSpec().Given(first).Refused(Assess(Figures(120, 90, 60, 0))).Rule);
    }

    [Fact]
    public void A_revision_replaces_the_figures_but_never_with_older_ones()
    {
        var first = new NeedsSpec().Single<NeedsAssessed>(Assess(Figures(100, 80, 50, 0), on: new DateOnly(2021, 11, 8)));
        var revised = new NeedsSpec().Given(first).Single<NeedsReassessed>(
            new ReassessNeeds(Figures(4000, 3500, 3000, 1200), null, new DateOnly(2021, 11, 9), null, "PCK", By(Iom, Nov2021.AddDays(1))));
        Assert.Equal(Figures(4000, 3500, 3000, 1200), new NeedsSpec().Given(first, revised).State!.Figures);
        Assert.Equal(Kuznica, revised.Location);

        Assert.Equal("needs.assessed-on.older", new NeedsSpec().Given(first, revised).Refused(
            new ReassessNeeds(Figures(10, 10, 10, 0), null, new DateOnly(2021, 11, 8), null, "IOM", By(Iom, Nov2021.AddDays(2)))).Rule);
        Assert.Equal("needs.reached-within-targeted", new NeedsSpec().Given(first).Refused(
            new ReassessNeeds(Figures(100, 80, 50, 51), null, new DateOnly(2021, 11, 9), null, "IOM", By(Iom, Nov2021.AddDays(1)))).Rule);
    }

    [Fact]
    public void An_assessment_dated_in_the_future_is_refused() =>
        Assert.Equal("assessed_on", Assert.Throws<InvalidFieldException>(() =>
            new NeedsSpec().When(Assess(Figures(10, 10, 10, 0), on: new DateOnly(2021, 11, 12)))).Field);

    [Fact]
    public void Needs_of_one_place_meet_under_one_stream_whatever_the_case_of_its_names_and_prefer_the_P_code()
    {
        var id = NeedsStream.IdFor("PL", Kuznica, Sector.Shelter);
        Assert.Equal(id, NeedsStream.IdFor("PL", Kuznica with { Name = "KUŹNICA", Admin1Name = "Województwo podlaskie" }, Sector.Shelter));
        Assert.NotEqual(id, NeedsStream.IdFor("PL", Kuznica, Sector.Winterisation));
        Assert.NotEqual(id, NeedsStream.IdFor("LT", Kuznica, Sector.Shelter));
        Assert.NotEqual(id, NeedsStream.IdFor("PL", Kuznica with { Admin1Pcode = null }, Sector.Shelter));
        Assert.StartsWith("needs-pl-shelter-", id, StringComparison.Ordinal);
    }

    [Fact]
    public void A_location_reads_as_one_line_naming_the_region_its_P_code_and_whether_it_is_beyond_the_border()
    {
        Assert.Equal("Kuźnica, Podlaskie (PL20), PL", Kuznica.Describe());
        Assert.Equal("Bruzgi, Hrodna (BY04), BY, beyond the border", Bruzgi.Describe());
        Assert.Equal("Podlaskie, PL", new Location("PL", "Podlaskie", null, null, false).Describe());
    }
}
