using System.CommandLine;
using CrisisOps.Cli;
using CrisisOps.Cli.Law;
using CrisisOps.Legal.Law;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;

namespace CrisisOps.Legal.Tests;

/// <summary>
/// The catalogue page counsel reviews, written by <c>crisisops law page</c> and opened in a real browser (Debian's
/// Chromium through Playwright, whose own browser download fails on our machines).
/// </summary>
public sealed class LawPageTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    private static int Crisisops(params string[] args) => new RootCommand { LawCommands.Create() }.Parse(args).Invoke();

    private static string WritePage(string law)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("crisisops-law-page-").FullName, "law.html");
        Assert.Equal(0, Crisisops("law", "page", "--out", file, "--law", law));
        return file;
    }

    [Fact]
    public async Task The_page_shows_every_basis_with_every_worked_example_and_the_version_in_a_browser()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} not found: deploy/test.sh installs Debian's chromium (CRISISOPS_BROWSER=1 deploy/infra.sh)");
        var file = WritePage(Law.Folder);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        await page.GotoAsync(new Uri(file).AbsoluteUri);

        Assert.Equal($"CrisisOps legal catalogue {Law.Catalogue.Short}", await page.TitleAsync());
        Assert.Contains(Law.Catalogue.Version, await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);
        foreach (var basis in Law.Catalogue.Bases)
        {
            var entry = page.Locator($"article[id='basis-{basis.Code}']");
            Assert.True(await entry.IsVisibleAsync(), $"{basis.Code} is not shown");
            var text = await entry.InnerTextAsync();
            Assert.Contains(basis.Code, text, StringComparison.Ordinal);
            Assert.Contains(basis.DecidingAuthority, text, StringComparison.Ordinal);
            var rows = entry.Locator("table.examples tbody tr");
            Assert.Equal(basis.Examples.Count, await rows.CountAsync());
            for (var i = 0; i < basis.Examples.Count; i++)
            {
                var row = await rows.Nth(i).InnerTextAsync();
                var e = basis.Examples[i];
                foreach (var day in new[] { e.FirstDayInForce, e.InitialLastDay, e.TotalCapLastDay, e.ExtendedFrom, e.ExtendedLastDay }.OfType<NodaTime.LocalDate>())
                    Assert.Contains(Dates.Format(day), row, StringComparison.Ordinal);
            }
        }

        foreach (var type in Law.Catalogue.MeasureTypes.Select(t => (t.Code, t.LegalBasis.Code)).Concat(Law.Catalogue.LeverageTypes.Select(t => (t.Code, t.LegalBasis.Code))))
        {
            var row = page.Locator("table.types tr").Filter(new() { Has = page.Locator($"th code:text-is('{type.Item1}')") });
            Assert.Contains(type.Item2, await row.InnerTextAsync(), StringComparison.Ordinal);
        }

        // A basis link from a measure type lands on the basis.
        await page.Locator("section[aria-labelledby='measure-types'] a[href='#basis-PL-CONST-230']").First.ClickAsync();
        Assert.EndsWith("#basis-PL-CONST-230", page.Url, StringComparison.Ordinal);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "law-page.png");
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        output.WriteLine($"screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000);

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        Assert.False(await page.Locator("nav").IsVisibleAsync(), "the table of contents is printed");
    }

    [Fact]
    public void The_page_is_one_self_contained_accessible_file()
    {
        var html = File.ReadAllText(WritePage(Law.Folder));

        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(CountOf(html, "<table"), CountOf(html, "<caption>"));
        Assert.Equal(1, CountOf(html, "<h1>"));
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_is_pure_the_same_catalogue_gives_the_same_page()
    {
        Assert.Equal(LegalCataloguePage.Render(Law.Catalogue), LegalCataloguePage.Render(LegalCatalogueJson.Load(Law.Folder)));
    }

    [Fact]
    public void Text_from_the_catalogue_is_HTML_encoded()
    {
        var law = Law.CopyWith(LegalCatalogueJson.BasesFile, d =>
        {
            var basis = Law.Entry(d, "bases", "PL-CONST-230");
            basis["title"] = "<script>alert(1)</script> & co";
            basis["citation"] = "https://example.org/?a=1&b=\"x\"";
        });

        var html = LegalCataloguePage.Render(LegalCatalogueJson.Load(law));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"x\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_says_in_words_what_the_data_says_in_codes()
    {
        var html = LegalCataloguePage.Render(Law.Catalogue);

        Assert.Contains("no limit on their number, each at most 12 months", html, StringComparison.Ordinal);
        Assert.Contains("1, each at most 60 days", html, StringComparison.Ordinal);
        Assert.Contains("An end on a Saturday, Sunday or public holiday moves to the next working day.", html, StringComparison.Ordinal);
        Assert.Contains("ACTING-STATE: those of the member state applying it", html, StringComparison.Ordinal);
        Assert.Contains("EU-INSTITUTIONS: listed in law/holidays.json for 2020-2030", html, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_law_folder_is_refused_with_the_loader_s_reason()
    {
        var law = Law.CopyWith(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "PL-CONST-230")["timeZone"] = "Mars/Olympus");

        var refused = Assert.Throws<CliException>(() => LawFolder.Load(law));

        Assert.Contains("law/legal-bases.json bases[PL-CONST-230].timeZone", refused.Message, StringComparison.Ordinal);
        Assert.Equal(CliErrors.Failure, Crisisops("law", "page", "--out", Path.Combine(law, "page.html"), "--law", law));
    }

    [Fact]
    public void Without_law_the_nearest_law_folder_above_is_used()
    {
        var nested = Directory.CreateDirectory(Path.Combine(Law.Folder, "..", "law-lookup", "deeper")).FullName;

        Assert.Equal(Path.GetFullPath(Law.Folder), LawFolder.Resolve(null, nested));
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
