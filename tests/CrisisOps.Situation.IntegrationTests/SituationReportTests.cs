extern alias situation;
using System.Security.Cryptography;
using System.Text;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static CrisisOps.Testing.RunningService;
using SituationReportIssued = situation::CrisisOps.Situation.Reports.SituationReportIssued;

namespace CrisisOps.Situation.IntegrationTests;

/// <summary>Situational reports issued from the board, each kept and compared against by the next.</summary>
[Collection(SituationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SituationReportTests(SituationFixture stack)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "board-screenshots");

    [Fact]
    public async Task A_second_report_shows_the_measure_enacted_since_the_first_and_both_are_recorded_with_their_issuer_and_hash()
    {
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("sr_decl"));
        await using var measures = await stack.StartMeasuresAsync(TestSettings.NewSchema("sr_meas"), declaration);
        await using var situation = await stack.StartSituationAsync(TestSettings.NewSchema("sr_sit"),
            new Dictionary<string, RunningService> { ["declaration"] = declaration, ["measures"] = measures });
        var poland = As(stack.Tokens.Ministry("PL"));
        var crisis = await new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel).DeclareCrisisAsync(Requests.Crisis("PL"), poland);
        var client = new EmergencyMeasures.EmergencyMeasuresClient(measures.Channel);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = await BoardTests.EnactWhenKnownAsync(client, Requests.Enact("PL", crisis.Result.Id, today, today.AddDays(10)), poland);

        await using var browser = await BoardBrowser.StartAsync();
        var page = await browser.SignInAsync(situation.Board, stack.Tokens.Coordinator("eu-coordinator"));
        await page.GotoAsync($"{situation.Board}/#/crisis/{crisis.Result.Id}");
        await page.Locator($"[data-clock-id=\"measure/{first}\"]").WaitForAsync(new() { Timeout = 15_000 });
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Issue situational report" }).ClickAsync();
        var report = page.FrameLocator("iframe#report");
        await report.GetByText("This is the first report").WaitForAsync();

        var second = await BoardTests.EnactWhenKnownAsync(client, Requests.Enact("PL", crisis.Result.Id, today, today.AddDays(20)), poland);
        await page.GotoAsync($"{situation.Board}/#/crisis/{crisis.Result.Id}");
        await page.Locator($"[data-clock-id=\"measure/{second}\"]").WaitForAsync(new() { Timeout = 15_000 });
        await page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = "Issue situational report" }).ClickAsync();
        await report.Locator("tr.new", new() { HasTextString = second }).WaitForAsync();
        Assert.Equal(0, await report.Locator("tr.new", new() { HasTextString = first }).CountAsync());
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "situational-report.png"), FullPage = true });

        await using var session = situation.Service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var issued = (await session.Events.FetchStreamAsync($"situation-report/crisis/{crisis.Result.Id}")).Select(e => e.Data).OfType<SituationReportIssued>().ToList();
        Assert.Equal(2, issued.Count);
        Assert.Equal(issued[0].ReportId, issued[1].PreviousReportId);
        Assert.Equal(issued[0].ContentHash, issued[1].PreviousContentHash);
        Assert.All(issued, r => Assert.Equal("eu-coordinator", r.Decision.Actor.Subject));
        Assert.All(issued, r => Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(r.Html))), r.ContentHash));

        // The same HTML, printed to PDF by the browser.
        var print = await browser.NewPageAsync();
        await print.SetContentAsync(issued[1].Html);
        var pdf = await print.PdfAsync(new() { Path = Path.Combine(Screenshots, "situational-report.pdf"), Format = "A4" });
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
    }
}
