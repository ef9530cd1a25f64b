using System.Text.RegularExpressions;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>The HTML report: a self-contained file with a timeline per crisis, each item against its legal limit.</summary>
public sealed partial class HtmlReportTests
{
    private static AuditReport Overrun()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        var lawful = (EmergencyExtended)ledger.Crisis("crisis-pl", new ExtendEmergency(Day(2021, 11, 30), "Sejm", By(Poland, At(2021, 9, 30, 16))))[0];
        ledger.Plant(DeclarationStore, "crisis-pl", lawful with
        {
            ExtensionNumber = 2,
            NewEndDate = new DateOnly(2022, 1, 29),
            ExpiresAt = new DateTimeOffset(2022, 1, 29, 23, 0, 0, TimeSpan.Zero),
            Decision = lawful.Decision with { DecidedAt = At(2021, 11, 20) },
        });
        ledger.Plant(DeclarationStore, "crisis-pl", new EmergencyExpired("crisis-pl", "PL", "PL-CONST-230", new DateTimeOffset(2022, 1, 29, 23, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2022, 1, 29, 23, 0, 4, TimeSpan.Zero), By(Actor.LegalDeadline, new DateTimeOffset(2022, 1, 29, 23, 0, 4, TimeSpan.Zero), "legal end")));
        return ledger.Audit(At(2022, 3, 1));
    }

    [Fact]
    public void An_emergency_kept_in_force_beyond_its_legal_end_is_drawn_red_beyond_the_legal_limit_with_its_unlawful_extension()
    {
        var html = HtmlReport.Render(Overrun());

        Assert.Contains("Crisis crisis-pl", html, StringComparison.Ordinal);
        Assert.Contains("class=\"overrun\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"limit\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"extension unlawful\"", html, StringComparison.Ordinal);
        Assert.Contains("emergency.extension.count", html, StringComparison.Ordinal);
        Assert.Contains(">FAILED<", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_is_one_self_contained_file_without_script_or_external_asset()
    {
        var html = HtmlReport.Render(Overrun());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.All(Url().Matches(html), m => Assert.Equal("http://www.w3.org/2000/svg", m.Value));
    }

    [Fact]
    public void Text_from_the_stores_is_escaped()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("<b>crisis</b>", At(2021, 9, 2, 8));
        ledger.Crisis("<b>crisis</b>", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));

        var html = HtmlReport.Render(ledger.Audit(At(2021, 9, 10)));

        Assert.Contains("&lt;b&gt;crisis&lt;/b&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>crisis", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("https?://[^\"' <>)]+")]
    private static partial Regex Url();
}
