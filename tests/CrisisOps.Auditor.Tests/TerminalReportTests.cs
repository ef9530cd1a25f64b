using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using Spectre.Console;
using Xunit;

namespace CrisisOps.Auditor.Tests;

/// <summary>The audit as printed in a terminal.</summary>
public sealed class TerminalReportTests
{
    private static readonly DateTimeOffset AsOf = new(2021, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lifted_leverage_is_listed_among_the_ended_and_not_under_in_force()
    {
        var measure = Item(ItemKind.Measure, "measure-still-in-force", "PL-STATE-OF-EMERGENCY", inForce: true, endedBy: null);
        var leverage = Item(ItemKind.Leverage, "leverage-lifted", "CARRIER-SANCTIONS", inForce: false, endedBy: "lifted");
        var report = new AuditReport(AsOf, new AuditScope(null, null, null, null, AsOf, 300), ["catalogue v1"], [],
            [new CrisisTimeline("crisis-pl", "declaration", "PL", true, AsOf.AddDays(-90), null, [measure, leverage])], [], [], [], 2, []);

        var text = Render(report);

        var inForce = text[text.IndexOf("In force at", StringComparison.Ordinal)..text.IndexOf("Ended (", StringComparison.Ordinal)];
        var ended = text[text.IndexOf("Ended (", StringComparison.Ordinal)..text.IndexOf("Safeguard breaches", StringComparison.Ordinal)];
        Assert.Contains("1 of 2", inForce, StringComparison.Ordinal);
        Assert.Contains("measure-still-in-force", inForce, StringComparison.Ordinal);
        Assert.DoesNotContain("leverage-lifted", inForce, StringComparison.Ordinal);
        Assert.Contains("leverage-lifted", ended, StringComparison.Ordinal);
        Assert.Contains("lifted 2021-11-20", ended, StringComparison.Ordinal);
        Assert.DoesNotContain("measure-still-in-force", ended, StringComparison.Ordinal);
    }

    private static TimelineItem Item(ItemKind kind, string id, string code, bool inForce, string? endedBy) => new(
        kind, id, "store", code, "PL", "crisis-pl", new DateOnly(2021, 9, 2), AsOf.AddDays(-90), new DateOnly(2022, 1, 1), null,
        new DateOnly(2022, 1, 1), null, null, endedBy is null ? null : new DateTimeOffset(2021, 11, 20, 10, 0, 0, TimeSpan.Zero), endedBy,
        null, inForce, [], 0);

    private static string Render(AuditReport report)
    {
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 240;
        TerminalReport.Write(report, console);
        return output.ToString();
    }
}
