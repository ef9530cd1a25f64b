using System.Globalization;
using CrisisOps.Auditor.Core.Reporting;
using Spectre.Console;

namespace CrisisOps.Auditor.Cli;

/// <summary>The report as a person reads it in a terminal.</summary>
public static class TerminalReport
{
    public static void Write(AuditReport report) => Write(report, AnsiConsole.Console);

    /// <summary>Writes the report to <paramref name="console"/> (tests read it from a recording console).</summary>
    public static void Write(AuditReport report, IAnsiConsole console)
    {
        if (Console.IsOutputRedirected) console.Profile.Width = 160;
        console.Write(new Rule("[bold blue]CrisisOps audit[/]") { Justification = Justify.Left, Border = BoxBorder.Double });
        var scope = report.Scope;
        console.MarkupLineInterpolated(
            $"[grey]as of[/] {scope.AsOf:u}  [grey]crisis[/] {scope.CrisisId ?? "all"}  [grey]country[/] {scope.Country ?? "all"}  [grey]window[/] {scope.From?.ToString("u", CultureInfo.InvariantCulture) ?? "…"} – {scope.To?.ToString("u", CultureInfo.InvariantCulture) ?? "…"}  [grey]tolerance[/] {scope.ToleranceSeconds / 60:0.#} min");
        console.MarkupLineInterpolated($"[grey]catalogues[/] {string.Join("; ", report.Catalogues)}");

        var stores = Table("store", "events", "streams", "log chain", "log head", "not yet sealed");
        foreach (var s in report.Stores)
            stores.AddRow(Text(s.Schema), Text(s.Events.ToString("N0", CultureInfo.InvariantCulture)), Text(s.Streams.ToString(CultureInfo.InvariantCulture)),
                s.HasLogChain ? new Markup("[green]yes[/]") : new Markup("[yellow]none[/]"), Text(s.LogHead[..16] + "…"),
                Text(s.NotYetSealed.ToString(CultureInfo.InvariantCulture)));
        Section(console, "Stores replayed and hash chains recomputed", stores);

        // What is still in force at the audit's moment, and apart from it what ended (lifted, expired, revoked...).
        var all = report.Crises.SelectMany(c => c.Items.Select(i => (Crisis: Short(c.Id) + (c.Qualifies ? "" : " (not IM)"), Item: i)))
            .Concat(report.WithoutCrisis.Select(i => (Crisis: "—", Item: i))).ToList();
        var inForce = Table("crisis", "kind", "id", "basis / type", "country", "from", "decided end", "lawful end", "findings");
        var ended = Table("crisis", "kind", "id", "basis / type", "country", "from", "decided end", "lawful end", "ended", "findings");
        foreach (var (crisis, i) in all)
        {
            if (i.InForce) AddItem(inForce, crisis, i, withEnd: false);
            else AddItem(ended, crisis, i, withEnd: true);
        }

        Section(console, $"In force at {scope.AsOf:u} ({inForce.Rows.Count} of {all.Count} emergencies, measures and leverages; " +
            $"{report.Crises.Count} crisis(es))", inForce);
        Section(console, $"Ended ({ended.Rows.Count}): lifted, expired, revoked, annulled or ended with their crisis", ended);

        if (report.RecordedEnds.Count > 0)
        {
            var ends = Table("kind", "id", "how", "legal end", "recorded", "lag");
            foreach (var end in report.RecordedEnds)
                ends.AddRow(Text(end.Kind.ToString()), Text(Short(end.Id)), Text(end.How), Text(end.LegalEnd.ToString("u", CultureInfo.InvariantCulture)),
                    Text(end.RecordedAt.ToString("u", CultureInfo.InvariantCulture)),
                    end.LagSeconds > scope.ToleranceSeconds ? new Markup($"[red]{Lag(end.LagSeconds)}[/]") : Text(Lag(end.LagSeconds)));
            Section(console, "Ends recorded by the system: lag behind the legal end", ends);
        }

        var refusals = Table("when", "country", "who", "role", "rule", "measure type");
        foreach (var r in report.Refusals)
            refusals.AddRow(Text(r.DecidedAt.ToString("u", CultureInfo.InvariantCulture)), Text(r.Country), Text(r.ActorSubject ?? "?"),
                Text(r.ActorRole ?? "?"), Text(r.Rule), Text(r.MeasureType ?? ""));
        Section(console, $"Safeguard breaches refused ({report.Refusals.Count}): who tried, which rule stopped them", refusals);

        if (report.Findings.Count > 0)
        {
            var findings = Table("", "rule", "where", "subject", "what");
            foreach (var f in report.Findings)
                findings.AddRow(new Markup(f.Severity == Severity.Error ? "[red]✗[/]" : "[yellow]![/]"), Text(f.Rule),
                    Text($"{f.Store}{(f.StreamKey is null ? "" : " " + Short(f.StreamKey))}{(f.Version is { } v ? " v" + v : "")}{(f.Sequence is { } q ? " #" + q : "")}"),
                    Text(f.Subject ?? ""), Text(f.Message));
            Section(console, $"Findings ({report.Errors} error(s), {report.Warnings} warning(s))", findings);
        }

        console.WriteLine();
        var summary = $"{report.EventsReplayed:N0} events replayed, {report.DecisionsChecked:N0} decisions checked, {report.Errors} error(s), {report.Warnings} warning(s)";
        console.MarkupLine(report.Passed ? $"[bold green]PASSED[/] {Markup.Escape(summary)}" : $"[bold red]FAILED[/] {Markup.Escape(summary)}");
    }

    private static void AddItem(Table table, string crisis, TimelineItem i, bool withEnd)
    {
        var cells = new List<Spectre.Console.Rendering.IRenderable>
        {
            Text(crisis), Text(i.Kind.ToString()), Text(Short(i.Id)), Text(i.Code), Text(i.Country), Text(Day(i.StartDate)), Text(Day(i.DecidedEnd)),
            i.LawfulEnd is { } lawful && i.DecidedEnd is { } decided && decided > lawful ? new Markup($"[red]{Day(lawful)}[/]") : Text(Day(i.LawfulEnd)),
        };
        if (withEnd) cells.Add(Text(i.EndedBy is null ? "" : $"{i.EndedBy} {i.EndedAt:yyyy-MM-dd}"));
        cells.Add(i.Findings > 0 ? new Markup($"[red]{i.Findings}[/]") : new Markup("[green]0[/]"));
        table.AddRow(cells);
    }

    private static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var c in columns) table.AddColumn(new TableColumn(c));
        return table;
    }

    private static void Section(IAnsiConsole console, string title, Table table)
    {
        console.WriteLine();
        console.Write(new Rule($"[bold]{Markup.Escape(title)}[/]") { Justification = Justify.Left });
        if (table.Rows.Count == 0) console.MarkupLine("[grey]none[/]");
        else console.Write(table);
    }

    private static Text Text(string value) => new(value);

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "until repealed";

    private static string Short(string id) => id.Length > 26 ? id[..12] + "…" + id[^8..] : id;

    private static string Lag(double seconds) =>
        seconds >= 86_400 ? $"{seconds / 86_400:0.#} d" : seconds >= 3_600 ? $"{seconds / 3_600:0.#} h" : seconds >= 60 ? $"{seconds / 60:0.#} min" : $"{seconds:0} s";
}
