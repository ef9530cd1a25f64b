using System.Globalization;
using System.Net;
using System.Text;
using CrisisOps.Situation.Picture;

namespace CrisisOps.Situation.Reports;

/// <summary>The printable situational report (HTML, printed to PDF by the browser): pure, from what it is given.</summary>
public static class ReportHtml
{
    private static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    public static string Render(string reportId, string title, ReportSnapshot snapshot, IReadOnlyList<ReportChange> changes,
        SituationReportIssued? previous, IReadOnlyList<CountryPicture> pictures, string? crisisId, DateTimeOffset now, string issuedBy)
    {
        var from = snapshot.From.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var to = snapshot.To.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title><style>
            body{font-family:system-ui,sans-serif;color:#111;margin:2rem;line-height:1.4} h1{font-size:1.5rem} h2{font-size:1.15rem;border-bottom:2px solid #039;margin-top:1.5rem}
            table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #bbb;padding:.25rem .4rem;text-align:left;vertical-align:top}
            .new{color:#145214} .gone{color:#8b0000} .changed{color:#7a4a00} .meta{color:#444;font-size:.85rem}
            svg{max-width:100%} @media print{body{margin:1cm} h2{break-after:avoid} table,svg{break-inside:avoid} }
            </style></head><body>
            <h1>{{E(title)}}</h1>
            <p class="meta">Situational report <span id="report-id">{{E(reportId)}}</span>, period {{snapshot.From:yyyy-MM-dd}} to {{snapshot.To:yyyy-MM-dd}};
            issued {{now:yyyy-MM-dd HH:mm}} UTC by {{E(issuedBy)}}. Figures as reported to CrisisOps by the services named, each with its as-of time.</p>
            <h2 id="changes">Changes since the previous report</h2>
            """);
        if (previous is null)
            html.Append("<p>This is the first report for this scope: everything below is new.</p>");
        else
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"meta\">Compared with report {E(previous.ReportId)} of {previous.Decision.DecidedAt:yyyy-MM-dd HH:mm} UTC (content SHA-256 {E(previous.ContentHash)}).</p>");
        if (previous is not null && changes.Count == 0) html.Append("<p>No change.</p>");
        else if (changes.Count > 0)
        {
            html.Append("<table><thead><tr><th>What</th><th>Change</th><th>Before</th><th>Now</th></tr></thead><tbody>");
            foreach (var c in changes)
                html.Append(CultureInfo.InvariantCulture, $"<tr class=\"{c.Kind}\"><td>{E(c.Key)}</td><td>{c.Kind}</td><td>{E(c.Before ?? "–")}</td><td>{E(c.After ?? "–")}</td></tr>");
            html.Append("</tbody></table>");
        }

        foreach (var p in pictures)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>{E(p.Id)}</h2>");
            foreach (var crisis in p.Crises.Values.Where(c => crisisId is null || c.Id == crisisId))
                html.Append(CultureInfo.InvariantCulture, $"<p><strong>Crisis</strong> {E(crisis.Perpetrator)} → {E(crisis.Country)} ({E(crisis.Scenario)}): {E(crisis.State)}, stage {E(crisis.Stage)}, {(crisis.Qualifies ? "qualifies" : "does not qualify")} as instrumentalization; border sections {E(string.Join(", ", crisis.BorderSections))}.</p>");
            Clocks(html, SituationViews.Clocks(p, crisisId, now), now);
            Regions(html, p);
            var timeline = p.Timeline.Where(t => t.At >= from && t.At < to && (crisisId is null || t.CrisisId is null || t.CrisisId == crisisId)).ToList();
            html.Append("<h3>Decisions and reports in the period</h3>");
            if (timeline.Count == 0) html.Append("<p>None.</p>");
            else
            {
                html.Append("<table><thead><tr><th>When (UTC)</th><th>What</th><th>Who</th><th>Legal basis</th></tr></thead><tbody>");
                foreach (var t in timeline)
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td>{t.At:yyyy-MM-dd HH:mm}</td><td>{E(t.Summary)}</td><td>{E(t.Actor)}{(t.Ministry.Length > 0 ? ", " + E(t.Ministry) : "")} <span class=\"meta\">({E(t.Source)})</span></td><td>{E(t.LegalBasis ?? "")}</td></tr>");
                html.Append("</tbody></table>");
            }
        }

        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>Each clock as a bar from its first day to its total cap, the legal end and the report's day marked.</summary>
    private static void Clocks(StringBuilder html, IReadOnlyList<ClockView> clocks, DateTimeOffset now)
    {
        html.Append("<h3>Legal clocks</h3>");
        if (clocks.Count == 0)
        {
            html.Append("<p>Nothing in force.</p>");
            return;
        }

        var height = (36 * clocks.Count) + 10;
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"clocks\" viewBox=\"0 0 800 {height}\" role=\"img\" aria-label=\"Legal clocks against their legal end and total cap\">");
        for (var i = 0; i < clocks.Count; i++)
        {
            var c = clocks[i];
            var y = 5 + (36 * i);
            if (c.StartDate is not { } start || (c.TotalCapEnd ?? c.EndDate) is not { } last)
            {
                html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 12}\" font-size=\"12\">{E(c.Title)}: {E(c.Status)}, until repealed</text>");
                continue;
            }

            var span = Math.Max(1, last.DayNumber - start.DayNumber + 1);
            double X(DateOnly d) => 800.0 * Math.Clamp(d.DayNumber - start.DayNumber, 0, span) / span;
            var end = c.EndDate ?? last;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 12}\" font-size=\"12\">{E(c.Title)} ({E(c.Status)}, {c.DaysToEnd?.ToString(CultureInfo.InvariantCulture) ?? "–"} days to end)</text>");
            html.Append(CultureInfo.InvariantCulture, $"<rect x=\"0\" y=\"{y + 17}\" width=\"800\" height=\"12\" fill=\"#e6e6e6\"/><rect x=\"0\" y=\"{y + 17}\" width=\"{X(end.AddDays(1)):0.0}\" height=\"12\" fill=\"#039\"/>");
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(today):0.0}\" x2=\"{X(today):0.0}\" y1=\"{y + 14}\" y2=\"{y + 32}\" stroke=\"#8b0000\" stroke-width=\"2\"/>");
        }

        html.Append("</svg><table><thead><tr><th>What</th><th>Legal basis</th><th>Status</th><th>Period</th><th>Total cap</th><th>Extensions</th></tr></thead><tbody>");
        foreach (var c in clocks)
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(c.Kind)}: {E(c.Title)}</td><td>{E(c.LegalBasis)}</td><td>{E(c.Status)}</td><td>{c.StartDate:yyyy-MM-dd} → {(c.EndDate is { } e ? e.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "until repealed")}</td><td>{(c.TotalCapEnd is { } cap ? cap.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "–")}</td><td>{c.ExtensionsUsed} / {(c.ExtensionsAllowed?.ToString(CultureInfo.InvariantCulture) ?? "–")}</td></tr>");
        html.Append("</tbody></table>");
    }

    /// <summary>Reception occupancy against places per region over time.</summary>
    private static void Regions(StringBuilder html, CountryPicture p)
    {
        html.Append("<h3>Reception capacity by region</h3>");
        if (p.Regions.Count == 0)
        {
            html.Append("<p>No reception figures.</p>");
            return;
        }

        foreach (var r in p.Regions.Values)
        {
            var max = Math.Max(1, r.Trend.Count == 0 ? 1 : r.Trend.Max(t => Math.Max(t.Capacity, t.Occupied)));
            string Line(Func<TrendPoint, int> value) => string.Join(" ", r.Trend.Select((t, i) =>
                string.Create(CultureInfo.InvariantCulture, $"{(r.Trend.Count == 1 ? 200 : 400.0 * i / (r.Trend.Count - 1)):0.0},{80 - (76.0 * value(t) / max):0.0}")));
            var last = r.Trend.LastOrDefault();
            html.Append(CultureInfo.InvariantCulture, $"<p>{E(r.Region)}: {E(r.Strain)}, {last?.Occupied ?? 0} occupied of {last?.Capacity ?? 0} places <span class=\"meta\">(as of {r.AsOf.At:yyyy-MM-dd HH:mm} UTC, {E(r.AsOf.ReportedBy)})</span></p>");
            html.Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 400 80\" width=\"400\" height=\"80\" role=\"img\" aria-label=\"{E(r.Region)} occupancy trend\"><polyline fill=\"none\" stroke=\"#777\" stroke-dasharray=\"4 2\" points=\"{Line(t => t.Capacity)}\"/><polyline fill=\"none\" stroke=\"#039\" stroke-width=\"2\" points=\"{Line(t => t.Occupied)}\"/></svg>");
        }
    }
}
