using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Humanitarian.Picture;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;

namespace CrisisOps.Humanitarian.Tests;

public class OperationalPictureTests
{
    private static readonly Location Bialystok = new("PL", "Podlaskie", "PL20", "Camp \"Nadzieja\", Białystok", false);

    private static AssistanceRequestView View(params object[] events) =>
        AssistanceRequestView.From(events.Aggregate((AssistanceRequest?)null, AssistanceRequest.Transition)!, events.Length);

    private static AssistanceRequested Request(string id, Location at, string item, int quantity, Sector sector = Sector.Shelter, int hours = 24) =>
        new(id, "PL", at, sector, item, quantity, "pieces", Nov2021.AddHours(hours), Origins.Ministry, null, By(Poland, Nov2021));

    private static PledgeMade Pledge(string request, string pledge, string org, int quantity) =>
        new(request, pledge, org, quantity, 0, By(org == "IOM" ? Iom : Unhcr, Nov2021.AddHours(1)));

    private static DeliveryRecorded Delivery(string request, string pledge, string org, int quantity) =>
        new(request, pledge, org, quantity, 0, 0, By(org == "IOM" ? Iom : Unhcr, Nov2021.AddHours(5)));

    private static NeedsView Needs(Location at, Sector sector, PopulationFigures figures, VulnerableGroups? vulnerable) =>
        NeedsView.From(NeedsAssessment.Transition(null, new NeedsAssessed(NeedsStream.IdFor("PL", at, sector), "PL", at, sector, figures, vulnerable,
            new DateOnly(2021, 11, 8), "IOM DTM", "IOM", By(Iom, Nov2021)))!, 1);

    /// <summary>Kuźnica: tents asked twice, IOM and UNHCR at work; Białystok: blankets asked, nobody yet; Bruzgi: needs only.</summary>
    private static OperationalPicture Kuznica2021()
    {
        var tents1 = View(Request("r1", Kuznica, "Family tents", 300), Pledge("r1", "pledge-1", "IOM", 200), Pledge("r1", "pledge-2", "UNHCR", 100),
            Delivery("r1", "pledge-1", "IOM", 200), Delivery("r1", "pledge-2", "UNHCR", 40));
        var tents2 = View(Request("r2", Kuznica with { Name = "KUŹNICA" }, "family tents", 50), Pledge("r2", "pledge-1", "IOM", 50));
        var blankets = View(Request("r3", Bialystok, "Winter blankets", 1000, Sector.Winterisation));
        var cancelled = View(Request("r4", Kuznica, "Camp beds", 80), Pledge("r4", "pledge-1", "UNHCR", 80), Delivery("r4", "pledge-1", "UNHCR", 30),
            new AssistanceCancelled("r4", "PL", 50, By(Poland, Nov2021.AddHours(6))));
        return OperationalPicture.Of([tents1, tents2, blankets, cancelled],
            [Needs(Kuznica, Sector.Shelter, Figures(4000, 3500, 3000, 1200), new VulnerableGroups(700, 40, 30, 80)),
                Needs(Bruzgi, Sector.Food, Figures(2000, 2000, 1500, 0), null)]);
    }

    [Fact]
    public void Who_does_what_where_sums_each_organisations_pledges_and_deliveries_per_sector_location_and_item()
    {
        var picture = Kuznica2021();
        var iom = Assert.Single(picture.Activities, a => a.Organisation == "IOM");
        Assert.Equal((250, 200, ActivityStatus.Ongoing), (iom.Pledged, iom.Delivered, iom.Status));
        var unhcrTents = Assert.Single(picture.Activities, a => a.Organisation == "UNHCR" && a.Item == "Family tents");
        Assert.Equal((100, 40, ActivityStatus.Ongoing), (unhcrTents.Pledged, unhcrTents.Delivered, unhcrTents.Status));
        // A cancelled request counts for what was delivered against it.
        var beds = Assert.Single(picture.Activities, a => a.Item == "Camp beds");
        Assert.Equal((30, 30, ActivityStatus.Completed), (beds.Pledged, beds.Delivered, beds.Status));
    }

    [Fact]
    public void Coverage_shows_what_is_asked_and_still_unmet_with_the_earliest_deadline_and_leaves_cancelled_requests_out()
    {
        var picture = Kuznica2021();
        var tents = Assert.Single(picture.Coverage, c => c.Item == "Family tents");
        Assert.Equal((350, 350, 240, 110, 2), (tents.Requested, tents.Pledged, tents.Delivered, tents.Remaining, tents.OpenRequests));
        Assert.Equal(Nov2021.AddHours(24), tents.NextDeadline);
        var blankets = Assert.Single(picture.Coverage, c => c.Item == "Winter blankets");
        Assert.Equal((1000, 0, 1000), (blankets.Requested, blankets.Pledged, blankets.Remaining));
        Assert.DoesNotContain(picture.Coverage, c => c.Item == "Camp beds");
    }

    [Theory]
    [InlineData(10, 0, ActivityStatus.Planned)]
    [InlineData(10, 4, ActivityStatus.Ongoing)]
    [InlineData(10, 10, ActivityStatus.Completed)]
    public void An_activity_is_planned_until_something_is_delivered_and_completed_when_everything_pledged_is(int pledged, int delivered, ActivityStatus status) =>
        Assert.Equal(status, OperationalPicture.StatusOf(pledged, delivered));

    [Fact]
    public void The_HXL_export_has_human_headers_then_hashtags_then_one_row_per_activity_gap_and_unanswered_need()
    {
        var (csv, rows) = HxlExport.Write(Kuznica2021(), Registry);
        var lines = Csv.Parse(csv);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(HxlExport.Columns.Select(c => c.Header), lines[0]);
        Assert.Equal(HxlExport.Columns.Select(c => c.Tag), lines[1]);
        Assert.All(lines[1], tag => Assert.Matches("^#[a-z][a-z0-9_]*(\\+[a-z][a-z0-9_]*)*$", tag));
        Assert.Equal(rows, lines.Count - 2);
        Assert.All(lines, l => Assert.Equal(HxlExport.Columns.Count, l.Length));
        var data = lines.Skip(2).Select(l => HxlExport.Columns.Select((c, i) => (c.Tag, l[i])).ToDictionary()).ToList();

        // IOM and UNHCR at Kuźnica (tents), UNHCR camp beds (cancelled request), blankets nobody took up, food needs at Bruzgi.
        Assert.Equal(5, data.Count);
        var iom = Assert.Single(data, r => r["#org"] == "IOM");
        Assert.Equal(("UN agency", "Shelter", "SHL", "PL", "Podlaskie", "PL20", "Kuźnica", "no"),
            (iom["#org+type"], iom["#sector"], iom["#sector+code"], iom["#country+code"], iom["#adm1+name"], iom["#adm1+code"], iom["#loc+name"], iom["#loc+beyond_border"]));
        Assert.Equal(("4000", "3500", "3000", "1200", "700", "40"), (iom["#affected"], iom["#inneed"], iom["#targeted"], iom["#reached"],
            iom["#inneed+children"], iom["#inneed+children+unaccompanied"]));
        Assert.Equal(("Family tents", "350", "250", "200", "110", "ongoing", "2021-11-09 09:00", "2021-11-08"),
            (iom["#activity"], iom["#output+requested"], iom["#output+pledged"], iom["#output+delivered"], iom["#output+remaining"], iom["#status"],
                iom["#date+deadline"], iom["#date"]));

        var gap = Assert.Single(data, r => r["#activity"] == "Winter blankets");
        Assert.Equal(("", "Camp \"Nadzieja\", Białystok", "1000", "0", "1000", "", "WIN"),
            (gap["#org"], gap["#loc+name"], gap["#output+requested"], gap["#output+pledged"], gap["#output+remaining"], gap["#status"], gap["#sector+code"]));
        var beds = Assert.Single(data, r => r["#activity"] == "Camp beds");
        Assert.Equal(("UNHCR", "", "30", "completed"), (beds["#org"], beds["#output+requested"], beds["#output+delivered"], beds["#status"]));
        var bruzgi = Assert.Single(data, r => r["#loc+name"] == "Bruzgi");
        Assert.Equal(("BY", "yes", "2000", "", "Food security"), (bruzgi["#country+code"], bruzgi["#loc+beyond_border"], bruzgi["#inneed"], bruzgi["#activity"],
            bruzgi["#sector"]));
        // Vulnerable groups not counted at Bruzgi: blank, not zero.
        Assert.Equal(("", ""), (bruzgi["#inneed+children"], bruzgi["#inneed+elderly"]));
        Assert.Contains("\"Camp \"\"Nadzieja\"\", Białystok\"", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Kuźnica", "Kuźnica")]
    [InlineData("Camp beds, folding", "\"Camp beds, folding\"")]
    [InlineData("12\" pipes", "\"12\"\" pipes\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("", "")]
    public void A_field_is_quoted_only_when_it_holds_a_comma_a_quote_or_a_line_break(string value, string expected) =>
        Assert.Equal(expected, HxlExport.Field(value));
}
