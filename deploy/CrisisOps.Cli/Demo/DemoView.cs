using System.Globalization;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrisisOps.Cli.Demo;

/// <summary>One step's result, for the closing summary.</summary>
public sealed record StepOutcome(string Step, string Expected, string Actual, bool AsExpected);

/// <summary>How the demo prints: a rule per step, tables for what the service answered, the gRPC status on refusals.</summary>
public static partial class DemoView
{
    /// <summary>
    /// Tables as plain lines, one per row, when true: a log or a pipe gets the same facts without box drawing (boxed,
    /// the demo's answers run to over a thousand lines).
    /// </summary>
    public static bool PlainTables { get; set; }

    /// <summary>Plain tables and a log width (80 columns squeeze the rules) when the output is not a terminal.</summary>
    public static void UsePlainTextWhenRedirected()
    {
        if (!Console.IsOutputRedirected) return;
        AnsiConsole.Profile.Width = 120;
        PlainTables = true;
    }

    /// <summary>
    /// Prints a table: boxed on a terminal; otherwise its title, then one line per row, cells separated by " | "
    /// (the column names first), or "name: value" for a table of facts without headers.
    /// </summary>
    public static void Show(Table table)
    {
        if (!PlainTables)
        {
            AnsiConsole.Write(table);
            return;
        }

        if (table.Title is { } title) AnsiConsole.WriteLine(Markup.Remove(title.Text));
        var facts = !table.ShowHeaders && table.Columns.Count == 2;
        if (table.ShowHeaders) AnsiConsole.WriteLine("  " + string.Join(" | ", table.Columns.Select(c => PlainText(c.Header))));
        foreach (var row in table.Rows)
        {
            var cells = row.Select(PlainText).ToList();
            AnsiConsole.WriteLine("  " + (facts ? $"{cells[0]}: {cells[1]}" : string.Join(" | ", cells)));
        }
    }

    /// <summary>A cell as the text it shows, on one line.</summary>
    private static string PlainText(IRenderable cell)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = 10_000;
        console.Write(cell);
        return string.Join(' ', output.ToString().Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));
    }

    /// <summary>A heading for each part of the demo (one per service).</summary>
    public static void Part(string title) =>
        AnsiConsole.Write(new Rule($"[bold blue]{Markup.Escape(title)}[/]") { Border = BoxBorder.Double, Justification = Justify.Left });

    public static void Step(int number, string title) =>
        AnsiConsole.Write(new Rule($"[bold]{number}. {Markup.Escape(title)}[/]") { Justification = Justify.Left });

    public static void Note(string text) => AnsiConsole.MarkupLineInterpolated($"[grey]{text}[/]");

    public static void Verdict(bool asExpected, string text)
    {
        if (asExpected) AnsiConsole.MarkupLineInterpolated($"[green]as expected:[/] {text}");
        else AnsiConsole.MarkupLineInterpolated($"[red]UNEXPECTED:[/] {text}");
    }

    /// <summary>A two-column table of facts.</summary>
    public static void Facts(params (string Name, string Value)[] facts)
    {
        var table = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumn("").AddColumn("");
        foreach (var (name, value) in facts) table.AddRow(new Markup($"[bold]{Markup.Escape(name)}[/]"), new Text(value));
        Show(table);
    }

    public static void Result(CommandResult result) =>
        Facts(("id", result.Id), ("version", Num(result.Version)), ("replayed", result.Replayed ? "yes" : "no"));

    /// <summary>
    /// The gRPC status of a refusal: code, message, and the rule or field the service names in its trailers;
    /// <paramref name="endpointOption"/> is the option naming the service's address, for the hint.
    /// </summary>
    public static void Refusal(RpcException ex, bool expected, string endpointOption)
    {
        var table = new Table().Border(TableBorder.Heavy).BorderColor(expected ? Color.Yellow : Color.Red)
            .Title(expected ? "[yellow]refused by the service[/]" : "[red]refused by the service[/]")
            .HideHeaders().AddColumn("").AddColumn("");
        table.AddRow(new Markup("[bold]gRPC status[/]"), new Text($"{ex.StatusCode} ({(int)ex.StatusCode})"));
        table.AddRow(new Markup("[bold]message[/]"), new Text(ex.Status.Detail));
        if (ex.Trailers.GetValue(DemoRunner.RuleTrailer) is { } rule) table.AddRow(new Markup("[bold]rule[/]"), new Text(rule));
        if (ex.Trailers.GetValue(DemoRunner.FieldTrailer) is { } field) table.AddRow(new Markup("[bold]field[/]"), new Text(field));
        if (Hint(ex.StatusCode, endpointOption) is { } hint) table.AddRow(new Markup("[bold]hint[/]"), new Text(hint));
        Show(table);
    }

    public static void LegalBases(ListLegalBasesResponse response)
    {
        var table = Grid($"legal catalogue {response.CatalogueVersion}", "code", "limits", "an extension needs");
        foreach (var b in response.Bases)
        {
            var limits = $"{b.Jurisdiction}: {b.MaxInitialDuration}, then {Num(b.MaxExtensions)} x {b.MaxExtensionLength}, at most {b.TotalCap}" +
                (b.RequiresQualifiedInstrumentalization ? "; qualified instrumentalization only" : "");
            Row(table, b.Code, limits, b.ConsentRequired.Length == 0 ? "-" : b.ConsentRequired);
        }

        NoWrap(table, 0);
        Show(table);
    }

    public static void AlertPictures(IEnumerable<AlertPicture> pictures)
    {
        foreach (var p in pictures)
        {
            var table = Grid($"alert picture {p.TargetCountry} / {p.BorderSection}: {p.Level} (version {Num(p.Version)})",
                "indicator group", "level", "indicators");
            foreach (var g in p.Groups) Row(table, g.Group.ToString(), g.Level.ToString(), Num(g.Indicators));
            Show(table);
        }
    }

    public static void Qualification(DeclareCrisisResponse response)
    {
        var table = Grid($"qualifies as instrumentalization: {(response.QualifiesAsInstrumentalization ? "yes" : "no")}", "reason");
        foreach (var reason in response.QualificationReasons) Row(table, reason);
        Show(table);
    }

    public static void Crisis(CrisisDetails c)
    {
        var e = c.Emergency;
        Facts(("crisis", c.CrisisId), ("version", Num(c.Version)), ("country", c.TargetCountry),
            ("border sections", string.Join(", ", c.BorderSections)), ("perpetrator", $"{c.Perpetrator?.Name} ({c.Perpetrator?.Kind})"),
            ("scenario", c.Scenario.ToString()), ("instrumentalization", c.QualifiesAsInstrumentalization ? "qualifies" : "does not qualify"),
            ("stage", c.Stage.ToString()), ("status", c.Status.ToString()),
            ("emergency", e is null
                ? "none"
                : $"{e.LegalBasisCode} {e.Status}: {e.StartDate} to {e.EndDate}, extensions {Num(e.ExtensionsUsed)}/{Num(e.MaxExtensions)}, " +
                  $"legal max of this period {e.LegalMaxEnd}, total cap {e.TotalCapEnd}"));

        History(c.History);
    }

    public static void MeasureTypes(ListMeasureTypesResponse response)
    {
        var table = Grid($"measure catalogue {response.CatalogueVersion}", "code", "toolbox", "category", "classification",
            "max initial duration", "extensions", "cap");
        foreach (var t in response.Types_)
        {
            var extensions = t.MaxExtensions == 0 ? "none" : $"{Num(t.MaxExtensions)} x {t.MaxExtensionLength}";
            if (t.MaxExtensions > 0 && t.ConsentRequired.Length > 0) extensions += " with consent";
            Row(table, t.Code, t.Toolbox, Words(t.Category), ClassificationCode(t.Classification),
                t.UntilRepealed ? "until repealed" : t.MaxInitialDuration, extensions, t.UntilRepealed ? "-" : t.TotalCap);
        }

        // The codes stay whole; the other columns get fixed widths (their headers', the category's words the rest of 120).
        NoWrap(table, 0);
        foreach (var (column, width) in new[] { (1, 7), (2, 13), (3, 14), (4, 8), (5, 10), (6, 5) }) table.Columns[column].Width(width);
        Show(table);
        Note("classification (context / scope / purpose): N negotiation, B belligerent; S specific for instrumentalized migration, " +
            "A all irregular migrants; P preventive, C countervailing");
    }

    /// <summary>The refused attempts of a country, the latest few; the one made with <paramref name="requestId"/> is marked.</summary>
    public static void RefusedAttempts(string country, IReadOnlyList<RefusedAttempt> attempts, string requestId)
    {
        const int Latest = 5;
        var shown = attempts.Skip(Math.Max(0, attempts.Count - Latest)).ToList();
        var table = Grid($"refused attempts in {country}: {Num(attempts.Count)} in all, the latest {Num(shown.Count)}",
            "recorded at", "who tried", "measure type", "rule");
        foreach (var a in shown)
        {
            Row(table, (a.RecordedAt is null ? "-" : Utc(a.RecordedAt)) + (a.AttemptedBy?.RequestId == requestId ? "\n(this demo)" : ""),
                Who(a.AttemptedBy) + (a.AttemptedBy is { ActorSubject.Length: > 0 } d ? "\n" + d.ActorSubject : ""), a.MeasureType, a.Rule);
        }

        NoWrap(table, 0, 3);
        Show(table);
    }

    public static void Measures(string title, IEnumerable<MeasureDetails> measures)
    {
        var table = Grid(title, "measure", "type", "territory", "in force", "status");
        foreach (var m in measures)
        {
            Row(table, m.MeasureId, m.MeasureType, string.Join(", ", m.Territory), $"{m.StartDate} to {(m.EndDate.Length > 0 ? m.EndDate : "repeal")}",
                $"{m.Status}, extensions {Num(m.ExtensionsUsed)}/{Num(m.MaxExtensions)}");
        }

        if (table.Rows.Count == 0) Row(table, "none", "", "", "", "");
        NoWrap(table, 0, 1);
        Show(table);
    }

    public static void Measure(MeasureDetails m)
    {
        Facts(("measure", m.MeasureId), ("version", Num(m.Version)), ("type", $"{m.MeasureType} ({m.Toolbox}, {Words(m.Category)})"),
            ("classification", Classification(m.Classification)), ("country / territory", $"{m.Country} / {string.Join(", ", m.Territory)}"),
            ("crisis", m.CrisisId.Length > 0 ? m.CrisisId : "-"), ("legal basis", m.LegalBasisCitation), ("legal act", m.LegalActReference),
            ("deciding authority", m.DecidingAuthority), ("status", m.Status.ToString()),
            ("in force", $"{m.StartDate} to {(m.EndDate.Length > 0 ? m.EndDate : "repeal")}, extensions {Num(m.ExtensionsUsed)}/{Num(m.MaxExtensions)}, " +
                $"legal max of this period {Or(m.LegalMaxEnd)}, total cap {Or(m.TotalCapEnd)}"),
            ("parliamentary confirmation", m.Confirmation));
        History(m.History);
    }

    public static void LeverageTypes(ListLeverageTypesResponse response)
    {
        var table = Grid($"leverage catalogue {response.CatalogueVersion}", "code", "category", "may target", "term", "review", "evidence");
        foreach (var t in response.Types_)
        {
            var term = t.UntilRepealed
                ? "until repealed"
                : t.DefaultDuration + (t.MaxRenewals == 0 ? "" : $", renewable {Num(t.MaxRenewals)} x {t.MaxRenewalLength}") + $", at most {t.TotalCap}";
            Row(table, t.Code, Words(t.Category) + (t.Side == "Positive" ? " (positive)" : ""),
                string.Join(", ", t.Targets.Select(k => Words(k.ToString()))), term, Or(t.ReviewEvery), t.EvidenceRequired ? "required" : "-");
        }

        // The codes stay whole; the other columns get fixed widths (their headers', the term the rest of 120).
        NoWrap(table, 0);
        foreach (var (column, width) in new[] { (1, 15), (2, 16), (4, 6), (5, 8) }) table.Columns[column].Width(width);
        Show(table);
    }

    /// <summary>A leverage and its history: who decided what and why, the system's automatic decisions included.</summary>
    public static void Leverage(LeverageDetails l)
    {
        Facts(("leverage", l.LeverageId), ("version", Num(l.Version)), ("type", $"{l.LeverageType} ({Words(l.Side)}, {Words(l.Category)})"),
            ("proposed by", l.Country), ("targets", string.Join(", ", l.Targets.Select(t => $"{t.Name} ({Words(t.Kind.ToString())}, {t.Country})"))),
            ("crisis", (l.CrisisId.Length > 0 ? l.CrisisId : "-") + (l.ConditionalOnCrisis ? ", lifted with its de-escalation or end" : "")),
            ("evidence", l.Evidence.Count == 0 ? "-" : string.Join("\n", l.Evidence)),
            ("allies", l.Allies.Count == 0 ? "-" : string.Join(", ", l.Allies.Select(a => $"{a.Code} {a.Position}"))),
            ("status", l.Status.ToString()),
            ("in force", l.StartDate.Length == 0
                ? "never imposed"
                : $"{l.StartDate} to {(l.EndDate.Length > 0 ? l.EndDate : "repeal")}, legal max {Or(l.LegalMaxEnd)}, renewals {Num(l.Renewals)}"),
            ("next review", Or(l.ReviewDueAt) + (l.ReviewOverdue ? " (overdue)" : "") + (l.FlaggedForReview ? " (flagged for review)" : "")),
            ("legal basis", l.LegalBasisCitation), ("legal act", Or(l.LegalActReference)));

        var history = Grid("history: who decided what, and why", "version", "event type", "who", "what", "why");
        foreach (var h in l.History)
        {
            var d = h.Decision;
            Row(history, Num(h.Version), h.EventType, Who(d) + (d is { ActorSubject.Length: > 0 } ? "\n" + d.ActorSubject : ""), h.Summary,
                d is null || d.Justification.Length == 0 ? "-" : d.Justification);
        }

        NoWrap(history, 0, 1);
        Show(history);
    }

    public static void Summary(IReadOnlyList<StepOutcome> outcomes, int expectedSteps)
    {
        var passed = outcomes.Count(o => o.AsExpected);
        var ok = passed == expectedSteps && outcomes.Count == expectedSteps;
        AnsiConsole.Write(new Rule(ok ? "[green]demo: every step had its expected outcome[/]" : "[red]demo: some steps did not go as expected[/]"));
        var table = Grid($"{Num(passed)} of {Num(expectedSteps)} steps as expected", "step", "expected", "outcome", "");
        foreach (var o in outcomes)
        {
            table.AddRow(new Text(o.Step), new Text(o.Expected), new Text(o.Actual),
                new Markup(o.AsExpected ? "[green]ok[/]" : "[red]FAILED[/]"));
        }

        if (outcomes.Count < expectedSteps)
        {
            table.AddRow(new Text($"{Num(expectedSteps - outcomes.Count)} later step(s)"), new Text("-"),
                new Text("not run: they depend on a step that failed"), new Markup("[red]FAILED[/]"));
        }

        Show(table);
    }

    private static string? Hint(StatusCode code, string endpointOption) => code switch
    {
        StatusCode.Unauthenticated => "the service did not accept the demo's token: is its Auth:SigningKeyFile the public half of --key?",
        StatusCode.Unavailable => $"no service answered at {endpointOption} (a plaintext http:// endpoint must speak HTTP/2)",
        _ => null,
    };

    private static void History(IEnumerable<HistoryEntry> entries)
    {
        var history = Grid("history", "version", "event type", "actor", "legal basis", "summary");
        foreach (var h in entries)
        {
            var d = h.Decision;
            Row(history, Num(h.Version), h.EventType, Who(d), d is null || d.LegalBasis.Length == 0 ? "-" : d.LegalBasis, h.Summary);
        }

        NoWrap(history, 0, 1);

        Show(history);
    }

    private static string Who(DecisionRecord? d) =>
        d is null ? "-" : $"{d.ActorName} ({d.Role}{(d.Country.Length > 0 ? ", " + d.Country : "")})";

    /// <summary>The report's three axes (context, scope, purpose) in words.</summary>
    private static string Classification(Classification? c) => c is null
        ? "-"
        : $"{Words(c.Context.ToString())} / {Words(c.Scope.ToString())} / {Words(c.Purpose.ToString())}";

    /// <summary>The report's three axes in letters, for tables (the legend follows the catalogue table).</summary>
    private static string ClassificationCode(Classification? c) => c is null
        ? "-"
        : string.Join(" / ", c.Context switch
        {
            MeasureContext.Negotiation => "N",
            MeasureContext.Belligerent => "B",
            MeasureContext.NegotiationAndBelligerent => "N+B",
            _ => "?",
        }, c.Scope switch
        {
            MeasureScope.SpecificForInstrumentalizedMigration => "S",
            MeasureScope.AllIrregularMigrants => "A",
            _ => "?",
        }, c.Purpose switch
        {
            MeasurePurpose.Preventive => "P",
            MeasurePurpose.Countervailing => "C",
            MeasurePurpose.PreventiveAndCountervailing => "P+C",
            _ => "?",
        });

    /// <summary>A PascalCase name as lower-case words, so that table cells wrap between words: "RegistrationDelay" is "registration delay".</summary>
    private static string Words(string pascal) =>
        string.Concat(pascal.Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static string Or(string value) => value.Length > 0 ? value : "-";

    private static string Utc(Timestamp at) => at.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static Table Grid(string title, params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title));
        foreach (var c in columns) table.AddColumn(new TableColumn(Markup.Escape(c)));
        return table;
    }

    private static void NoWrap(Table table, params int[] columns)
    {
        foreach (var c in columns) table.Columns[c].NoWrap();
    }

    private static void Row(Table table, params string[] cells) => table.AddRow(cells.Select(c => (IRenderable)new Text(c)));
}
