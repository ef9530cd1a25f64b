using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Situation.Grpc.V1;
using CrisisOps.Testing;
using Xunit;
using Xunit.Abstractions;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Situation.IntegrationTests;

/// <summary>
/// People not placed are people too: an arrivals report beyond capacity at the real reception service reaches the open
/// crisis page, the EU overview and the gRPC picture, and the shelter request the overflow opens asks for them.
/// </summary>
[Collection(SituationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NotPlacedBoardTests(SituationFixture stack, ITestOutputHelper output)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "board-screenshots");

    [Fact]
    public async Task Arrivals_beyond_capacity_appear_as_people_not_placed_on_the_open_crisis_page_without_a_reload_and_the_overflow_asks_shelter_for_them()
    {
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("np_decl"));
        await using var reception = await stack.StartReceptionAsync(TestSettings.NewSchema("np_rec"));
        await using var humanitarian = await stack.StartHumanitarianAsync(TestSettings.NewSchema("np_hum"));
        await using var situation = await stack.StartSituationAsync(TestSettings.NewSchema("np_sit"), new Dictionary<string, RunningService>
        {
            ["declaration"] = declaration, ["reception"] = reception, ["humanitarian"] = humanitarian,
        });
        var poland = As(stack.Tokens.Ministry("PL"));
        var coordinator = As(stack.Tokens.Coordinator());
        var crisis = await new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel).DeclareCrisisAsync(Requests.Crisis("PL"), poland);
        // A region of this test only: the overflow and its shelter request are per region.
        var region = $"PL-T{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var capacity = new ReceptionCapacity.ReceptionCapacityClient(reception.Channel);
        var facility = await capacity.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            RequestId = Guid.NewGuid().ToString(), Name = "Białystok reception centre", Kind = FacilityKind.ReceptionCentre, Country = "PL",
            Region = region, BorderSection = "PL-BY", Capacity = new Places { General = 10, Families = 4 }, Status = FacilityStatus.Open,
            Justification = "opened under the national reception plan",
        }, poland);

        await using var browser = await BoardBrowser.StartAsync();
        var page = await browser.SignInAsync(situation.Board, stack.Tokens.Coordinator("eu-coordinator"));
        Directory.CreateDirectory(Screenshots);
        await page.GotoAsync($"{situation.Board}/#/crisis/{crisis.Result.Id}");
        await page.Locator($"[data-crisis=\"{crisis.Result.Id}\"]").WaitForAsync(new() { Timeout = 90_000 });
        await page.Locator("[data-testid=not-placed]").WaitForAsync();
        var before = await page.EvaluateAsync<double>("performance.timeOrigin");

        var report = await capacity.ReportArrivalsAsync(new MovementRequest
        {
            RequestId = Guid.NewGuid().ToString(), FacilityId = facility.Id, People = new Places { General = 13, Families = 5 },
            BeyondCapacity = NotPlacedOutcome.Refused, Note = "a group brought from the border at night",
        }, poland);
        Assert.Equal((3, 1), (report.NotPlaced.General, report.NotPlaced.Families));
        Assert.Equal((10, 4), (report.Figures.Occupied.General, report.Figures.Occupied.Families));

        var row = page.Locator($"[data-not-placed=\"{facility.Id}\"]");
        await row.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("4", await row.Locator("td.total").InnerTextAsync());
        var shown = await row.InnerTextAsync();
        output.WriteLine($"row on the open page: {shown}");
        Assert.Contains("general 3, families 1", shown, StringComparison.Ordinal);
        Assert.Contains("reception", shown, StringComparison.Ordinal);
        Assert.Equal(before, await page.EvaluateAsync<double>("performance.timeOrigin"));

        // The region tipped into overflow with 4 people refused: the shelter request it opens asks for 4 places, and
        // the page shows it too, still without a reload.
        var shelter = await EventuallyAsync(async () => (await new HumanitarianSupport.HumanitarianSupportClient(humanitarian.Channel)
            .ListAssistanceAsync(new ListAssistanceRequest { Country = "PL", Origin = "reception-overflow" }, poland))
            .Requests.SingleOrDefault(r => r.Location.Admin1Pcode == region || r.Location.Admin1Name == region));
        Assert.Equal(4, shelter.Requested);
        await page.Locator("tr.req-Open", new() { HasTextString = "4 × Emergency shelter" }).WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal(before, await page.EvaluateAsync<double>("performance.timeOrigin"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "crisis-not-placed.png"), FullPage = true });

        var picture = await situation.Client.GetCrisisPictureAsync(new GetCrisisPictureRequest { CrisisId = crisis.Result.Id }, coordinator);
        var notPlaced = Assert.Single(picture.NotPlaced, n => n.FacilityId == facility.Id);
        Assert.Equal((3, 1, 4, "reception"), (notPlaced.Refused["General"], notPlaced.Refused["Families"], notPlaced.Total, notPlaced.Source));
        var figure = Assert.Single(picture.Figures, f => f.Name == "reception.not-placed");
        Assert.Equal((4.0, "reception", "fresh"), (figure.Value, figure.Source, figure.Freshness));
        Assert.InRange(figure.AsOf.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow);
        var overview = await situation.Client.GetEuOverviewAsync(new GetEuOverviewRequest(), coordinator);
        Assert.Equal(4.0, Assert.Single(overview.Countries.Single(c => c.Country == "PL").Figures, f => f.Name == "reception.not-placed").Value);

        await page.GotoAsync($"{situation.Board}/#/overview");
        var onOverview = page.Locator("[data-country=PL] li.figure", new() { HasTextString = "people not placed" });
        await onOverview.WaitForAsync(new() { Timeout = 15_000 });
        Assert.StartsWith("4 ", await onOverview.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("reception", await onOverview.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "eu-overview-not-placed.png"), FullPage = true });
        output.WriteLine($"shelter request {shelter.AssistanceRequestId} asks for {shelter.Requested} places");
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> read)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (await read() is { } found) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException("never happened");
            await Task.Delay(200);
        }
    }
}
