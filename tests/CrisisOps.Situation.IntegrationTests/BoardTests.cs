using System.Diagnostics;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Situation.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Playwright;
using Npgsql;
using Xunit;
using Xunit.Abstractions;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Situation.IntegrationTests;

/// <summary>The board in Debian's Chromium against the real services, and the picture rebuilt from the feeds.</summary>
[Collection(SituationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BoardTests(SituationFixture stack, ITestOutputHelper output)
{
    private static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "board-screenshots");

    [Fact]
    public async Task A_crisis_and_a_measure_decided_over_gRPC_appear_on_the_open_board_without_a_reload_and_another_country_sees_nothing()
    {
        await using var probe = await new BusProbe().Listen<Contracts.Measures.V1.MeasureEnacted>().StartAsync(stack.Infra);
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("sb_decl"));
        await using var measures = await stack.StartMeasuresAsync(TestSettings.NewSchema("sb_meas"), declaration);
        await using var situation = await stack.StartSituationAsync(TestSettings.NewSchema("sb_sit"),
            new Dictionary<string, RunningService> { ["declaration"] = declaration, ["measures"] = measures });
        var poland = As(stack.Tokens.Ministry("PL"));

        await using var browser = await BoardBrowser.StartAsync();
        var page = await browser.SignInAsync(situation.Board, stack.Tokens.Coordinator("eu-coordinator"));
        Directory.CreateDirectory(Screenshots);

        var crisis = await new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel).DeclareCrisisAsync(Requests.Crisis("PL"), poland);
        var link = page.Locator($"[data-crisis-id=\"{crisis.Result.Id}\"]");
        await link.WaitForAsync(new() { Timeout = 15_000 });
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "eu-overview.png"), FullPage = true });
        var before = await page.EvaluateAsync<double>("performance.timeOrigin");
        await link.ClickAsync();
        await page.Locator($"[data-crisis=\"{crisis.Result.Id}\"]").WaitForAsync();

        // Known to measures through the bus or declaration's feed, then enacted: the page shows it without a reload.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var enact = Requests.Enact("PL", crisis.Result.Id, today, today.AddDays(29));
        var client = new EmergencyMeasures.EmergencyMeasuresClient(measures.Channel);
        var measureId = await EnactWhenKnownAsync(client, enact, poland);
        var enactedAt = Stopwatch.StartNew();
        var row = page.Locator($"[data-clock-id=\"measure/{measureId}\"]");
        await row.WaitForAsync(new() { Timeout = 10_000 });
        output.WriteLine($"measure on the open page {enactedAt.ElapsedMilliseconds} ms after EnactMeasure returned");
        Assert.Equal(before, await page.EvaluateAsync<double>("performance.timeOrigin"));

        var (enacted, _) = await probe.WaitForAsync<Contracts.Measures.V1.MeasureEnacted>(m => m.MeasureId == measureId);
        var countdown = row.Locator("[data-ends-at]");
        var endsAt = DateTimeOffset.Parse(await countdown.GetAttributeAsync("data-ends-at") ?? "", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(enacted.ExpiresAt, endsAt);
        var shown = await countdown.InnerTextAsync();
        var days = (int)Math.Floor((enacted.ExpiresAt!.Value - DateTimeOffset.UtcNow).TotalDays);
        Assert.StartsWith($"{days} days ", shown, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "crisis.png"), FullPage = true });
        await page.GotoAsync($"{situation.Board}/#/alerts");
        await page.Locator("#view h2").First.WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "alerts.png"), FullPage = true });

        var germany = await browser.SignInAsync(situation.Board, stack.Tokens.Ministry("DE"));
        await germany.Locator("#view table, #view .empty").First.WaitForAsync();
        Assert.Equal(0, await germany.Locator($"[data-crisis-id=\"{crisis.Result.Id}\"]").CountAsync());
        Assert.DoesNotContain(crisis.Result.Id, await germany.ContentAsync(), StringComparison.Ordinal);
        await germany.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, "eu-overview-other-ministry.png"), FullPage = true });
        await germany.GotoAsync($"{situation.Board}/#/crisis/{crisis.Result.Id}");
        await germany.ReloadAsync();
        await germany.Locator("[data-testid=not-found]").WaitForAsync();
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await situation.Client.GetCrisisPictureAsync(new GetCrisisPictureRequest { CrisisId = crisis.Result.Id }, As(stack.Tokens.Ministry("DE"))));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task The_picture_dropped_and_rebuilt_from_the_feeds_is_the_same_picture()
    {
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("rb_decl"));
        await using var measures = await stack.StartMeasuresAsync(TestSettings.NewSchema("rb_meas"), declaration);
        var sources = new Dictionary<string, RunningService> { ["declaration"] = declaration, ["measures"] = measures };
        var schema = TestSettings.NewSchema("rb_sit");
        var poland = As(stack.Tokens.Ministry("PL"));
        var coordinator = As(stack.Tokens.Coordinator());
        var crisis = await new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel).DeclareCrisisAsync(Requests.Crisis("PL"), poland);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var measureId = await EnactWhenKnownAsync(new EmergencyMeasures.EmergencyMeasuresClient(measures.Channel),
            Requests.Enact("PL", crisis.Result.Id, today, today.AddDays(20)), poland);

        CrisisPicture first;
        await using (var situation = await stack.StartSituationAsync(schema, sources))
            first = await WaitForPictureAsync(situation, crisis.Result.Id, p => p.Clocks.Any(c => c.Id == $"measure/{measureId}" && c.TotalCapEnd.Length > 0), coordinator);

        await using (var connection = new NpgsqlConnection(stack.Infra.Postgres))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop schema {schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }

        await using (var situation = await stack.StartSituationAsync(schema, sources))
        {
            // As complete as the first: the clocks' caps come from a second feed and may arrive after the clock itself.
            var rebuilt = await WaitForPictureAsync(situation, crisis.Result.Id, p => p.Timeline.Count >= first.Timeline.Count
                && p.Clocks.Count == first.Clocks.Count && p.Clocks.Count(c => c.TotalCapEnd.Length > 0) == first.Clocks.Count(c => c.TotalCapEnd.Length > 0), coordinator);
            Assert.Equal(first.Crisis, rebuilt.Crisis);
            Assert.Equal(first.Timeline, rebuilt.Timeline);
            Assert.Equal(first.Clocks.Select(c => (c.Id, c.Status, c.EndDate, c.TotalCapEnd, c.ExtensionsAllowed, c.LegalBasis, c.AsOf)),
                rebuilt.Clocks.Select(c => (c.Id, c.Status, c.EndDate, c.TotalCapEnd, c.ExtensionsAllowed, c.LegalBasis, c.AsOf)));
        }
    }

    /// <summary>Enacts once measures has heard of the crisis (it refuses a measure for a crisis it does not know).</summary>
    internal static async Task<string> EnactWhenKnownAsync(EmergencyMeasures.EmergencyMeasuresClient client, EnactMeasureRequest request, CallOptions caller)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                return (await client.EnactMeasureAsync(request, caller)).Id;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.FailedPrecondition && DateTime.UtcNow < until)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<CrisisPicture> WaitForPictureAsync(SituationInstance situation, string crisisId, Func<CrisisPicture, bool> done, CallOptions caller)
    {
        var until = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                var picture = await situation.Client.GetCrisisPictureAsync(new GetCrisisPictureRequest { CrisisId = crisisId }, caller);
                if (done(picture)) return picture;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
            {
                // Not in the picture yet.
            }

            if (DateTime.UtcNow > until) throw new TimeoutException($"the picture of crisis {crisisId} never became complete");
            await Task.Delay(200);
        }
    }
}

/// <summary>Debian's Chromium driven by Playwright (its own browser download does not work on our machines).</summary>
public sealed class BoardBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BoardBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<BoardBrowser> StartAsync()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} not found: deploy/test.sh installs Debian's chromium");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        return new BoardBrowser(playwright, browser);
    }

    /// <summary>A new page signed in with <paramref name="token"/> as a person would: pasting it into the form.</summary>
    public async Task<IPage> SignInAsync(string board, string token)
    {
        var context = await _browser.NewContextAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(board + "/");
        await page.GetByLabel("Bearer token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open the board" }).ClickAsync();
        await page.Locator("#live").GetByText("Live").WaitForAsync(new() { Timeout = 15_000 });
        return page;
    }

    /// <summary>A page without a board, e.g. to print a report.</summary>
    public Task<IPage> NewPageAsync() => _browser.NewPageAsync();

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}

public static class Requests
{
    public static DeclareCrisisRequest Crisis(string country) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        TargetCountry = country,
        BorderSections = { $"{country}-BY" },
        Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
        Scenario = Scenario.Belligerent,
        Criteria = new QualificationCriteria
        {
            HostileActor = new Criterion { Met = true, Evidence = "state authorities organise transport to the border" },
            EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "announcement that the border is open" },
            AimToDestabilise = new Criterion { Met = true, Evidence = "public statements" },
            RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "tens of thousands at the land border" },
        },
        Stage = BlueprintStage.CrisisManagement,
        Justification = "deliberate pushing of migrants to the border",
    };

    public static EnactMeasureRequest Enact(string country, string crisisId, DateOnly start, DateOnly end) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureType = "PL-STATE-OF-EMERGENCY",
        Country = country,
        Territory = { $"{country}-BY" },
        StartDate = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        EndDate = end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        LegalActReference = "act of " + start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        CrisisId = crisisId,
        Justification = "necessary and proportionate to the situation at the border",
    };
}
