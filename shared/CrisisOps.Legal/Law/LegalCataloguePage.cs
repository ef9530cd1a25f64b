using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using NodaTime;

namespace CrisisOps.Legal.Law;

/// <summary>
/// The legal catalogue as one HTML page for counsel: every basis with its article's text beside its limits, its
/// counting rule in words and its worked examples, then the measure and leverage types with the basis each uses, and
/// the catalogue's version. Pure (catalogue in, text out), self-contained (no script, no external asset), printable,
/// and every value from the catalogue HTML-encoded.
/// </summary>
public static class LegalCataloguePage
{
    // All of Unicode left as is: Polish, Lithuanian and Greek titles stay readable in the source too.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The page for <paramref name="catalogue"/>.</summary>
    public static string Render(LegalCatalogue catalogue)
    {
        var html = new StringBuilder();
        html.Append($"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>CrisisOps legal catalogue {E(catalogue.Short)}</title>
            <style>{Style}</style>
            </head>
            <body>
            <a class="skip" href="#bases">Skip to the legal bases</a>
            <header>
            <h1>CrisisOps legal catalogue</h1>
            <p>Version <code class="version">{E(catalogue.Version)}</code>: the SHA-256 of the catalogue's canonical content. Every decision records the version it was decided under, and the audit re-decides it with exactly that content.</p>
            <p>{catalogue.Bases.Count} legal bases, {catalogue.MeasureTypes.Count} measure types, {catalogue.LeverageTypes.Count} leverage types; {catalogue.Bases.Count(b => b.Review is not null)} of {catalogue.Bases.Count} bases carry a review. Text marked [M] is unverified; review labels are the data's own.</p>
            </header>
            <nav aria-label="Contents"><h2>Contents</h2><ol>
            <li><a href="#bases">Legal bases</a><ol>
            """);
        foreach (var b in catalogue.Bases) html.Append($"""<li><a href="#{Id(b.Code)}">{E(b.Code)}</a> {E(b.Title)}</li>""").Append('\n');
        html.Append("""
            </ol></li>
            <li><a href="#measure-types">Measure types</a></li>
            <li><a href="#leverage-types">Leverage types</a></li>
            </ol></nav>
            <main>
            <section aria-labelledby="bases"><h2 id="bases">Legal bases</h2>

            """);
        foreach (var b in catalogue.Bases) Basis(html, b);
        html.Append("</section>\n");
        Measures(html, catalogue.MeasureTypes);
        Leverages(html, catalogue.LeverageTypes);
        html.Append($"""
            </main>
            <footer><p>Catalogue version <code>{E(catalogue.Version)}</code>, rendered from <code>law/</code> by <code>crisisops law page</code>.</p></footer>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static void Basis(StringBuilder html, LegalBasis b)
    {
        var id = Id(b.Code);
        html.Append($"""
            <article class="basis" id="{id}" aria-labelledby="{id}-title">
            <h3 id="{id}-title"><code>{E(b.Code)}</code> {E(b.Title)}</h3>
            <p class="citation">{Citation(b.Citation)} · version date {(b.VersionDate is { } v ? Day(v) : "not known")} · {E(b.Article.Length > 0 ? b.Article : "no article given")}</p>
            <div class="entry">
            <figure class="text"><figcaption>The text: {E(b.Article.Length > 0 ? b.Article : b.Citation)}</figcaption>
            <blockquote>{(b.Text.Length > 0 ? E(b.Text) : "<em>No text in the catalogue.</em>")}</blockquote></figure>
            <dl class="limits">
            {Row("Deciding authority", E(b.DecidingAuthority))}
            {Row("Decided by", b.DecidedBy == DecidingLevel.MemberState ? "a member state's own authorities" : "an EU institution (the Council or the Commission)")}
            {Row("Jurisdiction", E(b.Jurisdiction == "EU" ? "EU (any member state)" : b.Jurisdiction))}
            {Row("Kind", (b.DeclaresEmergency ? "declares an emergency" : "a measure or act under a declared situation")
                + (b.RequiresQualifiedInstrumentalization ? "; lawful only while a qualified instrumentalization is declared" : ""))}
            {Row("Dates read in", E(b.TimeZone))}
            {Row("Counting rule", Counting(b.Counting))}
            {Row("Holidays", Holidays(b))}
            {Row("Initial maximum", b.MaxInitialDuration == Period.Zero ? "no end in law: in force until repealed, with a review date" : Words(b.MaxInitialDuration))}
            {Row("Extensions", Extensions(b.Extension))}
            {Row("Consent for an extension", E(b.Extension.ConsentRequired ?? "none required"))}
            {Row("Total cap", b.TotalCap is not { } cap ? "none" : cap == Period.Zero ? "none (no end in law)" : Words(cap))}
            {Row("Reviewed", b.Review is { } r ? $"{E(r.Reviewer)}, {Day(r.ReviewedOn)}" : "<strong>not reviewed</strong>")}
            </dl>
            </div>
            <div class="notes"><h4>Notes</h4><p>{(b.Notes.Length > 0 ? E(b.Notes) : "None.")}</p></div>

            """);
        if (b.Examples.Count == 0)
            html.Append("<p class=\"no-examples\">No worked examples: no period is computed under this basis.</p>\n");
        else
            Examples(html, b);
        html.Append("</article>\n\n");
    }

    private static void Examples(StringBuilder html, LegalBasis b)
    {
        html.Append($"""
            <table class="examples">
            <caption>Worked examples of {E(b.Code)} (run by the test suite)</caption>
            <thead><tr><th scope="col">First day in force</th><th scope="col">Holidays of</th><th scope="col">Initial maximum ends</th><th scope="col">Total cap ends</th><th scope="col">Extension from</th><th scope="col">Extension may end</th><th scope="col">What it shows</th></tr></thead>
            <tbody>

            """);
        foreach (var e in b.Examples)
            html.Append($"<tr><td>{Weekday(e.FirstDayInForce)}</td><td>{E(e.Country ?? (b.Holidays?.Name ?? b.Jurisdiction))}</td><td>{Weekday(e.InitialLastDay)}</td>"
                + $"<td>{Optional(e.TotalCapLastDay, "no cap")}</td><td>{Optional(e.ExtendedFrom, "—")}</td><td>{Optional(e.ExtendedLastDay, "—")}</td><td>{E(e.Note)}</td></tr>\n");
        html.Append("</tbody></table>\n");
    }

    private static void Measures(StringBuilder html, IReadOnlyList<MeasureType> types)
    {
        html.Append("""
            <section aria-labelledby="measure-types"><h2 id="measure-types">Measure types</h2>
            <table class="types">
            <caption>Emergency legal measures and the basis each is taken under</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">Title</th><th scope="col">Toolbox</th><th scope="col">Category</th><th scope="col">Legal basis</th><th scope="col">Needs emergency in force</th><th scope="col">Until repealed</th><th scope="col">Provisional without authorisation</th><th scope="col">Parliament may confirm</th><th scope="col">Classification</th></tr></thead>
            <tbody>

            """);
        foreach (var t in types)
            html.Append($"<tr id=\"measure-{Id(t.Code)}\"><th scope=\"row\"><code>{E(t.Code)}</code></th><td>{E(t.Title)}</td><td>{E(t.Toolbox)}</td><td>{E(t.Category.ToString())}</td>"
                + $"<td>{BasisLink(t.LegalBasis)}</td><td>{(t.DependsOnEmergency is { } d ? $"<a href=\"#{Id(d)}\">{E(d)}</a>" : "no")}</td><td>{YesNo(t.UntilRepealed)}</td>"
                + $"<td>{(t.ProvisionalWithoutAuthorisation is { } p ? Words(p) : "no")}</td><td>{YesNo(t.ParliamentaryConfirmation)}</td>"
                + $"<td>{E($"{t.Classification.Context}, {t.Classification.Scope}, {t.Classification.Purpose}")}</td></tr>\n");
        html.Append("</tbody></table></section>\n");
    }

    private static void Leverages(StringBuilder html, IReadOnlyList<LeverageType> types)
    {
        html.Append("""
            <section aria-labelledby="leverage-types"><h2 id="leverage-types">Leverage types</h2>
            <table class="types">
            <caption>Diplomatic leverages and the basis each is imposed under</caption>
            <thead><tr><th scope="col">Code</th><th scope="col">Title</th><th scope="col">Category</th><th scope="col">Side</th><th scope="col">Legal basis</th><th scope="col">Review every</th><th scope="col">Lawful targets</th><th scope="col">Evidence required</th><th scope="col">Until repealed</th></tr></thead>
            <tbody>

            """);
        foreach (var t in types)
            html.Append($"<tr id=\"leverage-{Id(t.Code)}\"><th scope=\"row\"><code>{E(t.Code)}</code></th><td>{E(t.Title)}</td><td>{E(t.Category.ToString())}</td><td>{E(t.Side.ToString())}</td>"
                + $"<td>{BasisLink(t.LegalBasis)}</td><td>{(t.ReviewEvery is { } r ? Words(r) : "its term is its review")}</td><td>{E(string.Join(", ", t.Targets))}</td>"
                + $"<td>{YesNo(t.EvidenceRequired)}</td><td>{YesNo(t.UntilRepealed)}</td></tr>\n");
        html.Append("</tbody></table></section>\n");
    }

    private static string Counting(CountingRule rule)
    {
        var trigger = rule.Trigger == TriggerDay.DayBeforeFirstDayInForce
            ? "The event is the day before the first day in force (the act's adoption); it is not counted, so the first day in force is day one."
            : "The first day in force is the event and is not counted: the period runs from the day after.";
        var monthEnd = rule.MonthEnd == MonthEndRounding.LastDayOfMonth
            ? "A period in months ends on the same date of the final month, or on that month's last day where it has no such date (31 January + 1 month: 28 or 29 February)."
            : "A period in months ends on the same date of the final month, or on the first day of the month after where it has no such date (31 January + 1 month: 1 March).";
        var nonWorking = rule.NonWorkingDays == NonWorkingDayRule.MovesToNextWorkingDay
            ? "An end on a Saturday, Sunday or public holiday moves to the next working day."
            : "An end on a Saturday, Sunday or public holiday stays on that day.";
        return $"<ul><li>{trigger}</li><li>{monthEnd}</li><li>{nonWorking}</li></ul>";
    }

    private static string Holidays(LegalBasis b)
    {
        var which = b.Holidays switch
        {
            null => $"{LegalCatalogueJson.ActingState}: those of the member state applying it (Reg. 1182/71 Art. 2(1)), from the PublicHoliday library",
            { Country: { } country, Dates.Count: 0 } => $"the national public holidays of {E(country)} (PublicHoliday library)",
            { } c => $"{E(c.Name)}: listed in law/holidays.json for {Years(c.ListedYears)} ({c.Dates.Count} dates)"
                + (c.Country is { } country ? $", with the national holidays of {E(country)}" : ""),
        };
        return b.Counting.NonWorkingDays == NonWorkingDayRule.EndsOnThatDay ? $"{which}; they do not move its ends" : which;
    }

    private static string Years(IReadOnlyList<int> years) =>
        years.Count == 0 ? "no year"
        : years.Max() - years.Min() + 1 == years.Distinct().Count() ? $"{years.Min()}-{years.Max()}"
        : string.Join(", ", years.Order());

    private static string Extensions(ExtensionRule rule) => rule.MaxExtensions switch
    {
        0 => "none",
        null => $"no limit on their number, each at most {Words(rule.MaxExtensionLength)}",
        { } n => $"{n}, each at most {Words(rule.MaxExtensionLength)}",
    };

    /// <summary>A period in words: <c>P90D</c> is "90 days", <c>P1Y6M</c> "1 year 6 months".</summary>
    private static string Words(Period p)
    {
        static string Unit(long n, string one) => n == 0 ? "" : n.ToString(CultureInfo.InvariantCulture) + " " + one + (n == 1 ? "" : "s");
        var parts = new[] { Unit(p.Years, "year"), Unit(p.Months, "month"), Unit(p.Weeks, "week"), Unit(p.Days, "day") }.Where(s => s.Length > 0).ToList();
        return parts.Count == 0 ? "0 days" : string.Join(" ", parts);
    }

    private static string Citation(string citation) =>
        Uri.TryCreate(citation, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $"<a href=\"{E(uri.AbsoluteUri)}\">{E(citation)}</a>"
            : E(citation);

    private static string BasisLink(LegalBasis b) => $"<a href=\"#{Id(b.Code)}\"><code>{E(b.Code)}</code></a>";

    private static string Row(string term, string definition) => $"<dt>{term}</dt><dd>{definition}</dd>";

    private static string Day(LocalDate day) => $"<time datetime=\"{Dates.Format(day)}\">{Dates.Format(day)}</time>";

    // In the examples the weekday matters: it is why an end moved, or did not.
    private static string Weekday(LocalDate day) => $"{Day(day)} <small>{day.DayOfWeek.ToString()[..3]}</small>";

    private static string Optional(LocalDate? day, string none) => day is { } d ? Weekday(d) : none;

    private static string YesNo(bool value) => value ? "yes" : "no";

    // Codes are upper-case letters, digits and hyphens; anything else still yields a valid, encoded id.
    private static string Id(string code) => "basis-" + E(code);

    private static string E(string text) => Encoder.Encode(text);

    private const string Style = """

        :root { color: #111; background: #fff; font: 15px/1.45 system-ui, sans-serif; }
        body { max-width: 1500px; margin: 0 auto; padding: 1rem 1.5rem; }
        a { color: #0645ad; } a:focus-visible { outline: 3px solid #c60; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .3rem; }
        code { font-family: ui-monospace, monospace; }
        .version { word-break: break-all; }
        nav ol ol { columns: 2; column-gap: 3rem; font-size: .9rem; }
        article.basis { border-top: 2px solid #333; padding-top: .5rem; margin-top: 1.5rem; }
        .citation { color: #333; margin-top: 0; }
        .entry { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1.5rem; align-items: start; }
        figure.text { margin: 0; } figcaption { font-weight: 600; }
        blockquote { margin: .3rem 0; padding: .5rem .8rem; border-left: 4px solid #555; background: #f4f4f4; white-space: pre-line; }
        dl.limits { display: grid; grid-template-columns: 12rem minmax(0, 1fr); gap: .25rem .8rem; margin: 0; }
        dt { font-weight: 600; } dd { margin: 0; } dd ul { margin: 0; padding-left: 1.1rem; }
        .notes h4 { margin-bottom: .2rem; } .notes p { margin-top: 0; }
        table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
        caption { text-align: left; font-weight: 600; padding-bottom: .2rem; }
        th, td { border: 1px solid #999; padding: .25rem .4rem; text-align: left; vertical-align: top; }
        thead th { background: #e8e8e8; }
        td time, td small { white-space: nowrap; } small { color: #444; }
        @media (max-width: 900px) { .entry { grid-template-columns: 1fr; } }
        @media print {
          :root { font-size: 10pt; } body { max-width: none; padding: 0; }
          nav, .skip { display: none; }
          article.basis { break-before: page; border-top: none; }
          tr, dl.limits, blockquote { break-inside: avoid; }
          .citation a[href]::after { content: " <" attr(href) ">"; word-break: break-all; }
          thead { display: table-header-group; }
        }

        """;
}
