using System.Text;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Humanitarian.Tests;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Humanitarian.IntegrationTests;

/// <summary>Who does what where (3W/4W) and its HXL export, as a coordinator and a ministry read them.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OperationalPictureTests(StackFixture stack)
{
    private static readonly DateTimeOffset Nov8 = new(2021, 11, 8, 10, 0, 0, TimeSpan.Zero);

    private static Location Bialystok => new() { Country = "PL", Admin1Name = "Podlaskie", Admin1Pcode = "PL20", Name = "Ośrodek \"Nadzieja\", Białystok" };

    /// <summary>Poland, 8-10 November 2021: needs at Kuźnica and beyond the border at Bruzgi; tents, blankets and food asked; four partners.</summary>
    private static async Task<(string Tents, string Blankets, string Food)> Kuznica2021Async(HumanitarianSupport.HumanitarianSupportClient client,
        StackFixture stack, FakeTimeProvider clock)
    {
        var poland = As(stack.Tokens.Ministry("PL"));
        var iom = As(stack.Tokens.Partner("IOM"));
        var unhcr = As(stack.Tokens.Partner("UNHCR"));
        var pck = As(stack.Tokens.Partner("PCK", "pck-bialystok"));
        var germany = As(stack.Tokens.Partner("UCPM-DE", "thw-liaison"));

        var kuznicaNeeds = await client.RecordNeedsAssessmentAsync(
            Requests.Needs("PL", Requests.Kuznica, Sector.Shelter, 4000, 3500, 3000, 800, "2021-11-08"), poland);
        await client.RecordNeedsAssessmentAsync(Requests.Needs("PL", Requests.Bruzgi, Sector.Food, 2000, 2000, 1500, 0, "2021-11-08"), iom);
        var tents = (await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Kuznica, Sector.Shelter, "Family tents", 300, "pieces", Nov8.AddHours(24)), poland)).Id;
        var blankets = (await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Bialystok, Sector.Winterisation, "Winter blankets", 3000, "pieces", Nov8.AddHours(36)), poland)).Id;
        var food = (await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Bruzgi, Sector.Food, "Food rations", 2000, "rations", Nov8.AddHours(12)), poland)).Id;

        clock.Advance(TimeSpan.FromHours(3));
        var iomTents = await client.PledgeAssistanceAsync(Requests.Pledge(tents, 200), iom);
        var unhcrTents = await client.PledgeAssistanceAsync(Requests.Pledge(tents, 100), unhcr);
        var germanTents = await client.PledgeAssistanceAsync(Requests.Pledge(blankets, 1000), germany);
        await client.PledgeAssistanceAsync(Requests.Pledge(food, 500), pck);

        clock.Advance(TimeSpan.FromDays(1));
        await client.RecordDeliveryAsync(Requests.Delivery(tents, iomTents.PledgeId, 200), iom);
        await client.RecordDeliveryAsync(Requests.Delivery(tents, unhcrTents.PledgeId, 60), unhcr);
        await client.RecordDeliveryAsync(Requests.Delivery(blankets, germanTents.PledgeId, 400), germany);
        await client.ReviseNeedsAssessmentAsync(new ReviseNeedsAssessmentRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            AssessmentId = kuznicaNeeds.Id,
            ExpectedVersion = kuznicaNeeds.Version,
            Figures = new PopulationFigures { Affected = 4000, InNeed = 3500, Targeted = 3000, Reached = 1900 },
            VulnerableGroups = new VulnerableGroups { Children = 1200, UnaccompaniedMinors = 45, PersonsWithDisabilities = 60, OlderPersons = 150 },
            AssessedOn = "2021-11-09",
            Justification = "tents and blankets distributed overnight",
        }, pck);
        return (tents, blankets, food);
    }

    [Fact]
    public async Task Who_does_what_where_reports_each_partners_pledges_and_deliveries_per_sector_and_location_with_the_needs()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_4w"), clock);
        var client = StackFixture.Client(service);
        await Kuznica2021Async(client, stack, clock);

        var picture = await client.WhoDoesWhatWhereAsync(new OperationalPictureRequest { Country = "PL" }, As(stack.Tokens.Coordinator()));
        Assert.Equal(
            [
                ("IOM", "Family tents", 200, 200, ActivityStatus.Completed),
                ("PCK", "Food rations", 500, 0, ActivityStatus.Planned),
                ("UCPM-DE", "Winter blankets", 1000, 400, ActivityStatus.Ongoing),
                ("UNHCR", "Family tents", 100, 60, ActivityStatus.Ongoing),
            ],
            picture.Activities.Select(a => (a.Organisation, a.Item, a.Pledged, a.Delivered, a.Status)).OrderBy(a => a.Organisation, StringComparer.Ordinal));
        var pck = Assert.Single(picture.Activities, a => a.Organisation == "PCK");
        Assert.Equal(("Polski Czerwony Krzyż", OrganisationType.RedCrossRedCrescent, true), (pck.OrganisationName, pck.OrganisationType, pck.Location.BeyondBorder));

        var tents = Assert.Single(picture.Coverage, c => c.Item == "Family tents");
        Assert.Equal((300, 300, 260, 40, 1), (tents.Requested, tents.Pledged, tents.Delivered, tents.Remaining, tents.OpenRequests));
        var kuznica = Assert.Single(picture.Needs, n => n.Location.Name == "Kuźnica");
        Assert.Equal((1900, 1200, "PCK", 2L), (kuznica.Figures.Reached, kuznica.VulnerableGroups.Children, kuznica.RecordedFor, kuznica.Version));
        Assert.Equal("BY", Assert.Single(picture.Needs, n => n.Location.BeyondBorder).Location.Country);

        var shelterOnly = await client.WhoDoesWhatWhereAsync(new OperationalPictureRequest { Sector = Sector.Shelter }, As(stack.Tokens.Ministry("PL")));
        Assert.Equal(["IOM", "UNHCR"], shelterOnly.Activities.Select(a => a.Organisation));
        Assert.Empty((await client.WhoDoesWhatWhereAsync(new OperationalPictureRequest(), As(stack.Tokens.Ministry("LT")))).Activities);
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.WhoDoesWhatWhereAsync(new OperationalPictureRequest { Country = "PL" }, As(stack.Tokens.Ministry("LT"))));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
    }

    [Fact]
    public async Task The_HXL_export_carries_human_headers_hashtags_and_the_operational_picture_as_UTF8_CSV()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_hxl"), clock);
        var client = StackFixture.Client(service);
        await Kuznica2021Async(client, stack, clock);

        var export = await client.ExportOperationalPictureAsync(new ExportOperationalPictureRequest { Country = "PL" }, As(stack.Tokens.Ministry("PL")));
        Assert.Equal("text/csv; charset=utf-8; header=present", export.MediaType);
        Assert.Equal("crisisops-operational-picture-PL-2021-11-09.csv", export.FileName);
        Assert.Equal(export.Csv, Encoding.UTF8.GetString(export.CsvUtf8.Span));
        Assert.NotEqual(0xEF, export.CsvUtf8[0]);

        var lines = Csv.Parse(export.Csv);
        Assert.Equal("Organisation", lines[0][0]);
        Assert.Equal(["#org", "#org+code", "#org+type", "#sector", "#sector+code", "#country+code+requesting", "#country+code", "#adm1+name", "#adm1+code",
            "#loc+name", "#loc+beyond_border", "#affected", "#inneed", "#targeted", "#reached", "#inneed+children", "#inneed+children+unaccompanied",
            "#inneed+disabled", "#inneed+elderly", "#date+assessed", "#activity", "#output+unit", "#output+requested", "#output+pledged",
            "#output+delivered", "#output+remaining", "#status", "#date+deadline", "#date"], lines[1]);
        Assert.Equal(export.Rows, lines.Count - 2);
        Assert.All(lines, l => Assert.Equal(lines[1].Length, l.Length));
        var rows = lines.Skip(2).Select(l => lines[1].Select((tag, i) => (tag, l[i])).ToDictionary()).ToList();
        Assert.Equal(4, rows.Count);

        var iom = Assert.Single(rows, r => r["#org"] == "IOM");
        Assert.Equal(("Shelter", "SHL", "PL", "Podlaskie", "PL20", "Kuźnica", "no"),
            (iom["#sector"], iom["#sector+code"], iom["#country+code"], iom["#adm1+name"], iom["#adm1+code"], iom["#loc+name"], iom["#loc+beyond_border"]));
        Assert.Equal(("4000", "3500", "3000", "1900", "1200", "45", "2021-11-09"),
            (iom["#affected"], iom["#inneed"], iom["#targeted"], iom["#reached"], iom["#inneed+children"], iom["#inneed+children+unaccompanied"], iom["#date+assessed"]));
        Assert.Equal(("Family tents", "pieces", "300", "200", "200", "40", "completed", "2021-11-09 10:00"),
            (iom["#activity"], iom["#output+unit"], iom["#output+requested"], iom["#output+pledged"], iom["#output+delivered"], iom["#output+remaining"],
                iom["#status"], iom["#date+deadline"]));

        var food = Assert.Single(rows, r => r["#org"] == "Polish Red Cross");
        Assert.Equal(("BY", "Hrodna", "Bruzgi", "yes", "PL", "Food security", "2000", "planned"),
            (food["#country+code"], food["#adm1+name"], food["#loc+name"], food["#loc+beyond_border"], food["#country+code+requesting"], food["#sector"],
                food["#inneed"], food["#status"]));
        var blankets = Assert.Single(rows, r => r["#org"] == "Germany - UCPM");
        Assert.Equal(("Ośrodek \"Nadzieja\", Białystok", "State (EU Civil Protection Mechanism)", "WIN", "", "ongoing"),
            (blankets["#loc+name"], blankets["#org+type"], blankets["#sector+code"], blankets["#inneed"], blankets["#status"]));
        Assert.Contains("\"Ośrodek \"\"Nadzieja\"\", Białystok\"", export.Csv, StringComparison.Ordinal);
        Assert.Contains("\r\n", export.Csv, StringComparison.Ordinal);

        var withBom = await client.ExportOperationalPictureAsync(new ExportOperationalPictureRequest { Country = "PL", ByteOrderMark = true },
            As(stack.Tokens.Partner("UNHCR")));
        Assert.Equal([0xEF, 0xBB, 0xBF], withBom.CsvUtf8.Span[..3].ToArray());
        Assert.Equal(export.Csv, Encoding.UTF8.GetString(withBom.CsvUtf8.Span[3..]));
    }
}
