using Microsoft.Playwright;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// The HTML report opened in a real browser: Debian's Chromium (deploy/test.sh installs it) driven by Playwright, whose
/// own browser download does not work on our machines.
/// </summary>
public sealed class ReportBrowser : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private ReportBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<ReportBrowser> StartAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"{Chromium} not found: deploy/test.sh installs Debian's chromium (CRISISOPS_BROWSER=1 deploy/infra.sh)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            // No background connections: this machine's network refuses them, and a report needs none.
            Args = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new ReportBrowser(playwright, browser);
    }

    /// <summary>Opens a report file; the page is closed with the browser.</summary>
    public async Task<IPage> OpenAsync(string htmlFile)
    {
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        await page.GotoAsync(new Uri(htmlFile).AbsoluteUri);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
