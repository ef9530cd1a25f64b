using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace CrisisOps.Auditor.Core.Reporting;

/// <summary>
/// The report a person reads: one timeline per crisis with each emergency, measure and leverage as a bar against its
/// legal limit, then the recorded ends, the refused attempts and the findings. One self-contained file: inline CSS and
/// SVG, no script, no external asset, so it can be archived with the audit and opened anywhere.
/// </summary>
public static class HtmlReport
{
    private const int Width = 1180;
    private const int LabelWidth = 300;
    private const int PlotLeft = LabelWidth + 10;
    private const int PlotWidth = Width - PlotLeft - 20;
    private const int RowHeight = 30;
    private const int AxisHeight = 28;

    public static string Render(AuditReport report)
    {
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>CrisisOps audit {Day(report.Scope.AsOf)}</title>
            <style>{Css}</style></head><body>
            <h1>CrisisOps audit <span class="{(report.Passed ? "pass" : "fail")}">{(report.Passed ? "PASSED" : "FAILED")}</span></h1>
            <p class="meta">As of {Moment(report.Scope.AsOf)} · crisis {Encode(report.Scope.CrisisId ?? "all")} · country {Encode(report.Scope.Country ?? "all")}
            · window {(report.Scope.From is { } f ? Moment(f) : "…")} – {(report.Scope.To is { } t ? Moment(t) : "…")}
            · tolerance {report.Scope.ToleranceSeconds / 60:0.#} min · generated {Moment(report.GeneratedAt)}</p>
            <p class="meta">{report.EventsReplayed:N0} events replayed from {report.Stores.Count} store(s), {report.DecisionsChecked:N0} decisions checked,
            {report.Errors} error(s), {report.Warnings} warning(s). Catalogues: {Encode(string.Join("; ", report.Catalogues))}.</p>
            """);
        Stores(html, report);
        html.Append("<h2>Timelines</h2>");
        html.Append(Legend);
        foreach (var crisis in report.Crises)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <section class="crisis"><h3>Crisis {Encode(crisis.Id)} · {Encode(crisis.Country)} ·
                {(crisis.Qualifies ? "qualifies as instrumentalization" : "<span class=\"warn\">does not qualify as instrumentalization</span>")}</h3>
                <p class="meta">Declared {Moment(crisis.DeclaredAt)}{(crisis.EndedAt is { } e ? $" · ended {Moment(e)}" : " · not ended")} · store {Encode(crisis.Store)}</p>
                """);
            html.Append(Timeline(crisis.Items, crisis.DeclaredAt, crisis.EndedAt, report.Scope));
            html.Append("</section>");
        }

        if (report.WithoutCrisis.Count > 0)
        {
            html.Append("<section class=\"crisis\"><h3>Not attached to a crisis</h3>");
            html.Append(Timeline(report.WithoutCrisis, null, null, report.Scope));
            html.Append("</section>");
        }

        if (report.Crises.Count == 0 && report.WithoutCrisis.Count == 0) html.Append("<p class=\"meta\">Nothing was in force in the scope audited.</p>");
        RecordedEnds(html, report);
        Refusals(html, report);
        Findings(html, report);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Timeline(IReadOnlyList<TimelineItem> items, DateTimeOffset? declared, DateTimeOffset? ended, AuditScope scope)
    {
        var asOf = scope.AsOf;
        if (items.Count == 0) return "<p class=\"meta\">Nothing in force for this crisis in the scope audited.</p>";
        var moments = items.SelectMany(i => new[] { i.StartsAt, i.DecidedEndsAt, i.LawfulEndsAt, i.TotalCapEndsAt, i.EndedAt, i.EndRecordedAt })
            .Concat([declared, ended]).OfType<DateTimeOffset>().ToList();
        var start = moments.Min().AddDays(-3);
        var end = moments.Max().AddDays(3);
        var span = Math.Max((end - start).TotalSeconds, 1);
        double X(DateTimeOffset t) => PlotLeft + (PlotWidth * (t - start).TotalSeconds / span);

        var height = AxisHeight + (items.Count * RowHeight) + 8;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\">");
        if (declared is { } d)
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"crisis-band\" x=\"{X(d):0.#}\" y=\"{AxisHeight}\" width=\"{X(ended ?? (asOf < end ? asOf : end)) - X(d):0.#}\" height=\"{items.Count * RowHeight}\"><title>crisis declared {Moment(d)}{(ended is { } e ? ", ended " + Moment(e) : "")}</title></rect>");
        foreach (var tick in Ticks(start, end))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{X(tick):0.#}\" y1=\"{AxisHeight - 6}\" x2=\"{X(tick):0.#}\" y2=\"{height - 8}\"/>");
            if (X(tick) + 44 < Width)
                svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{X(tick) + 3:0.#}\" y=\"{AxisHeight - 10}\">{tick:yyyy-MM}</text>");
        }

        if (asOf > start && asOf < end)
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"asof\" x1=\"{X(asOf):0.#}\" y1=\"{AxisHeight - 6}\" x2=\"{X(asOf):0.#}\" y2=\"{height - 8}\"><title>as of {Moment(asOf)}</title></line>");

        for (var row = 0; row < items.Count; row++)
        {
            var i = items[row];
            var y = AxisHeight + (row * RowHeight);
            var bar = y + 8;
            var label = $"{i.Kind} · {i.Code}";
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"label\" x=\"4\" y=\"{y + 15}\">{Encode(Shorten(label, 44))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"sublabel\" x=\"4\" y=\"{y + 26}\">{Encode(Shorten(i.Id, 48))}</text>");

            // What the record says: in force from its start until its end was recorded, or the end it was decided for.
            var until = Earliest(i.EndedAt, i.DecidedEndsAt) ?? asOf;
            var lawfulUntil = i.LawfulEndsAt is { } lawful && lawful < until ? lawful : until;
            var tip = Encode($"{i.Kind} {i.Id} ({i.Code}), {i.Country}: from {Day(i.StartDate)}; decided end {(i.DecidedEnd is { } de ? Day(de) : "none (until repealed)")}; lawful end {(i.LawfulEnd is { } le ? Day(le) : "none")}; {(i.EndedBy is null ? (i.InForce ? "in force" : "") : $"{i.EndedBy} {Moment(i.EndedAt!.Value)}")}");
            if (i.DecidedEndsAt is { } decidedEnd && i.EndedAt is { } stopped && stopped < decidedEnd)
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"decided\" x=\"{X(stopped):0.#}\" y=\"{bar}\" width=\"{X(decidedEnd) - X(stopped):0.#}\" height=\"14\"><title>decided to run until {Moment(decidedEnd)}; ended earlier</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"{(i.Findings > 0 ? "bar flagged" : "bar")}\" x=\"{X(i.StartsAt):0.#}\" y=\"{bar}\" width=\"{Math.Max(X(lawfulUntil) - X(i.StartsAt), 1):0.#}\" height=\"14\"><title>{tip}</title></rect>");
            if (until > lawfulUntil)
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"overrun\" x=\"{X(lawfulUntil):0.#}\" y=\"{bar}\" width=\"{X(until) - X(lawfulUntil):0.#}\" height=\"14\"><title>in force beyond its legal end {Moment(lawfulUntil)} until {Moment(until)}</title></rect>");
            if (i.TotalCapEndsAt is { } cap)
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"cap\" x1=\"{X(cap):0.#}\" y1=\"{bar - 4}\" x2=\"{X(cap):0.#}\" y2=\"{bar + 18}\"><title>total cap: {Moment(cap)}</title></line>");
            if (i.LawfulEndsAt is { } limit)
                svg.Append(CultureInfo.InvariantCulture, $"<line class=\"limit\" x1=\"{X(limit):0.#}\" y1=\"{bar - 5}\" x2=\"{X(limit):0.#}\" y2=\"{bar + 19}\"><title>legal end: {Moment(limit)}</title></line>");
            foreach (var change in i.Extensions)
                svg.Append(CultureInfo.InvariantCulture, $"<path class=\"{(change.Lawful ? "extension" : "extension unlawful")}\" d=\"M{X(change.DecidedAt):0.#} {bar - 6} l5 5 l-5 5 l-5 -5 z\"><title>extended on {Moment(change.DecidedAt)} to {Day(change.NewEnd)}{(change.Lawful ? "" : " — unlawful: " + change.Rule)}</title></path>");
            if (i.EndRecordedAt is { } recorded && i.EndedAt is { } at)
            {
                var late = (recorded - at).TotalSeconds > scope.ToleranceSeconds;
                svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"{(late ? "recorded late" : "recorded")}\" cx=\"{X(recorded):0.#}\" cy=\"{bar + 7}\" r=\"4\"><title>{Encode(i.EndedBy ?? "ended")} recorded {Moment(recorded)}, {Lag((recorded - at).TotalSeconds)} after {Moment(at)}</title></circle>");
            }
        }

        svg.Append("</svg>");
        return $"<div class=\"timeline\">{svg}</div>";
    }

    private static void Stores(StringBuilder html, AuditReport report)
    {
        html.Append("<h2>Stores and hash chains</h2><table><tr><th>store</th><th>events</th><th>streams</th><th>log chain</th><th>log head (keep it to compare next time)</th><th>not yet sealed</th></tr>");
        foreach (var s in report.Stores)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(s.Schema)}</td><td class=\"n\">{s.Events:N0}</td><td class=\"n\">{s.Streams:N0}</td><td>{(s.HasLogChain ? "yes" : "<span class=\"warn\">none</span>")}</td><td class=\"hash\">{s.LogHead}</td><td class=\"n\">{s.NotYetSealed}</td></tr>");
        html.Append("</table>");
    }

    private static void RecordedEnds(StringBuilder html, AuditReport report)
    {
        html.Append("<h2>Ends recorded by the system, and their lag behind the legal end</h2>");
        if (report.RecordedEnds.Count == 0)
        {
            html.Append("<p class=\"meta\">None.</p>");
            return;
        }

        html.Append("<table><tr><th>kind</th><th>id</th><th>country</th><th>how</th><th>legal end</th><th>recorded</th><th>lag</th></tr>");
        foreach (var e in report.RecordedEnds)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{e.Kind}</td><td>{Encode(e.Id)}</td><td>{Encode(e.Country)}</td><td>{Encode(e.How)}</td><td>{Moment(e.LegalEnd)}</td><td>{Moment(e.RecordedAt)}</td><td class=\"{(e.LagSeconds > report.Scope.ToleranceSeconds ? "n fail-text" : "n")}\">{Lag(e.LagSeconds)}</td></tr>");
        html.Append("</table>");
    }

    private static void Refusals(StringBuilder html, AuditReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Safeguard breaches refused ({report.Refusals.Count}): who tried, which rule stopped them</h2>");
        if (report.Refusals.Count == 0)
        {
            html.Append("<p class=\"meta\">None.</p>");
            return;
        }

        html.Append("<table><tr><th>when</th><th>country</th><th>who</th><th>role</th><th>rule</th><th>measure type</th><th>reason</th></tr>");
        foreach (var r in report.Refusals)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Moment(r.DecidedAt)}</td><td>{Encode(r.Country)}</td><td>{Encode(r.ActorName ?? r.ActorSubject ?? "?")} ({Encode(r.ActorSubject ?? "?")})</td><td>{Encode(r.ActorRole ?? "?")}</td><td>{Encode(r.Rule)}</td><td>{Encode(r.MeasureType ?? "")}</td><td>{Encode(r.Reason ?? "")}</td></tr>");
        html.Append("</table>");
    }

    private static void Findings(StringBuilder html, AuditReport report)
    {
        html.Append(CultureInfo.InvariantCulture, $"<h2>Findings ({report.Errors} error(s), {report.Warnings} warning(s))</h2>");
        if (report.Findings.Count == 0)
        {
            html.Append("<p class=\"pass\">Every check passed.</p>");
            return;
        }

        html.Append("<table><tr><th></th><th>rule</th><th>store · stream · version · sequence</th><th>about</th><th>when</th><th>what</th></tr>");
        foreach (var f in report.Findings)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"{(f.Severity == Severity.Error ? "fail-text" : "warn")}\">{(f.Severity == Severity.Error ? "✗" : "!")}</td><td>{Encode(f.Rule)}</td><td>{Encode(f.Store)}{(f.StreamKey is null ? "" : " · " + Encode(f.StreamKey))}{(f.Version is { } v ? $" · v{v}" : "")}{(f.Sequence is { } q ? $" · #{q}" : "")}</td><td>{Encode(f.Subject ?? "")}</td><td>{(f.At is { } at ? Moment(at) : "")}</td><td>{Encode(f.Message)}</td></tr>");
        html.Append("</table>");
    }

    /// <summary>Month starts, thinned to at most a dozen labels.</summary>
    private static IEnumerable<DateTimeOffset> Ticks(DateTimeOffset start, DateTimeOffset end)
    {
        var months = ((end.Year - start.Year) * 12) + end.Month - start.Month + 1;
        var step = Math.Max(1, (int)Math.Ceiling(months / 12.0));
        for (var t = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1); t < end; t = t.AddMonths(step))
            yield return t;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => (a, b) switch
    {
        ({ } x, { } y) => x < y ? x : y,
        _ => a ?? b,
    };

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Day(DateTimeOffset t) => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Moment(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);

    private static string Lag(double seconds) =>
        seconds >= 86_400 ? $"{seconds / 86_400:0.#} d" : seconds >= 3_600 ? $"{seconds / 3_600:0.#} h" : seconds >= 60 ? $"{seconds / 60:0.#} min" : $"{seconds:0} s";

    private static string Encode(string text) => HtmlEncode(text);

    private const string Legend = """
        <p class="legend"><svg width="1100" height="22" xmlns="http://www.w3.org/2000/svg">
        <rect class="bar" x="2" y="4" width="30" height="14"/><text x="38" y="16">in force, within the law</text>
        <rect class="bar flagged" x="180" y="4" width="30" height="14"/><text x="216" y="16">in force, with findings</text>
        <rect class="overrun" x="360" y="4" width="30" height="14"/><text x="396" y="16">beyond its legal end</text>
        <line class="limit" x1="540" y1="2" x2="540" y2="20"/><text x="546" y="16">legal end</text>
        <line class="cap" x1="610" y1="2" x2="610" y2="20"/><text x="616" y="16">total cap</text>
        <path class="extension" d="M680 5 l5 5 l-5 5 l-5 -5 z"/><text x="690" y="16">extension</text>
        <path class="extension unlawful" d="M760 5 l5 5 l-5 5 l-5 -5 z"/><text x="770" y="16">unlawful extension</text>
        <circle class="recorded" cx="885" cy="11" r="4"/><text x="895" y="16">end recorded</text>
        <circle class="recorded late" cx="985" cy="11" r="4"/><text x="995" y="16">recorded late</text>
        </svg></p>
        """;

    private const string Css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2733;background:#fff}
        h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d6dde6;padding-bottom:4px}
        h3{font-size:14px;margin:14px 0 2px}.meta{color:#5a6878;font-size:12px;margin:2px 0}
        .pass{color:#1f7a3a;font-weight:600}.fail{color:#b3261e;font-weight:600}.fail-text{color:#b3261e}.warn{color:#a15c00}
        table{border-collapse:collapse;font-size:12px;margin:4px 0}th,td{border:1px solid #d6dde6;padding:3px 6px;text-align:left;vertical-align:top}
        th{background:#f1f4f8}td.n{text-align:right}td.hash{font-family:ui-monospace,monospace;font-size:11px}
        section.crisis{margin:10px 0 18px}.timeline{overflow-x:auto}
        svg text{font-size:11px;fill:#1d2733}.label{font-weight:600}.sublabel{fill:#5a6878;font-size:10px}.tick{fill:#5a6878;font-size:10px}
        .grid{stroke:#e3e8ee;stroke-width:1}.asof{stroke:#5a6878;stroke-dasharray:2 3}
        .crisis-band{fill:#f3f6fb}.bar{fill:#3a8f5c}.bar.flagged{fill:#d08a2c}.overrun{fill:#c62f25}
        .decided{fill:none;stroke:#8fa3b8;stroke-dasharray:3 2}
        .limit{stroke:#1d2733;stroke-width:2.5}.cap{stroke:#7a4fa0;stroke-width:1.5;stroke-dasharray:3 2}
        .extension{fill:#2f5f9e}.extension.unlawful{fill:#c62f25}.recorded{fill:#fff;stroke:#1d2733;stroke-width:1.5}.recorded.late{stroke:#c62f25;fill:#f6c9c5}
        .legend text{font-size:11px}
        """;
}
