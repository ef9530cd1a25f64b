using System.Globalization;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Grpc.V1;
using Grpc.Core;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrisisOps.Cli.Demo;

/// <summary>One step's result, for the closing summary.</summary>
public sealed record StepOutcome(string Step, string Expected, string Actual, bool AsExpected);

/// <summary>How the demo prints: a rule per step, tables for what the service answered, the gRPC status on refusals.</summary>
public static class DemoView
{
    /// <summary>Log width when the output is not a terminal (80 columns squeeze the history table).</summary>
    public static void UseLogWidthWhenRedirected()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 120;
    }

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
        AnsiConsole.Write(table);
    }

    public static void Result(CommandResult result) =>
        Facts(("id", result.Id), ("version", Num(result.Version)), ("replayed", result.Replayed ? "yes" : "no"));

    /// <summary>The gRPC status of a refusal: code, message, and the rule or field the service names in its trailers.</summary>
    public static void Refusal(RpcException ex, bool expected)
    {
        var table = new Table().Border(TableBorder.Heavy).BorderColor(expected ? Color.Yellow : Color.Red)
            .Title(expected ? "[yellow]refused by the service[/]" : "[red]refused by the service[/]")
            .HideHeaders().AddColumn("").AddColumn("");
        table.AddRow(new Markup("[bold]gRPC status[/]"), new Text($"{ex.StatusCode} ({(int)ex.StatusCode})"));
        table.AddRow(new Markup("[bold]message[/]"), new Text(ex.Status.Detail));
        if (ex.Trailers.GetValue(DemoRunner.RuleTrailer) is { } rule) table.AddRow(new Markup("[bold]rule[/]"), new Text(rule));
        if (ex.Trailers.GetValue(DemoRunner.FieldTrailer) is { } field) table.AddRow(new Markup("[bold]field[/]"), new Text(field));
        if (Hint(ex.StatusCode) is { } hint) table.AddRow(new Markup("[bold]hint[/]"), new Text(hint));
        AnsiConsole.Write(table);
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
        AnsiConsole.Write(table);
    }

    public static void AlertPictures(IEnumerable<AlertPicture> pictures)
    {
        foreach (var p in pictures)
        {
            var table = Grid($"alert picture {p.TargetCountry} / {p.BorderSection}: {p.Level} (version {Num(p.Version)})",
                "indicator group", "level", "indicators");
            foreach (var g in p.Groups) Row(table, g.Group.ToString(), g.Level.ToString(), Num(g.Indicators));
            AnsiConsole.Write(table);
        }
    }

    public static void Qualification(DeclareCrisisResponse response)
    {
        var table = Grid($"qualifies as instrumentalization: {(response.QualifiesAsInstrumentalization ? "yes" : "no")}", "reason");
        foreach (var reason in response.QualificationReasons) Row(table, reason);
        AnsiConsole.Write(table);
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

        var history = Grid("history", "version", "event type", "actor", "legal basis", "summary");
        foreach (var h in c.History)
        {
            var d = h.Decision;
            Row(history, Num(h.Version), h.EventType, d is null ? "-" : $"{d.ActorName} ({d.Role}{(d.Country.Length > 0 ? ", " + d.Country : "")})",
                d is null || d.LegalBasis.Length == 0 ? "-" : d.LegalBasis, h.Summary);
        }

        NoWrap(history, 0, 1);

        AnsiConsole.Write(history);
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

        AnsiConsole.Write(table);
    }

    private static string? Hint(StatusCode code) => code switch
    {
        StatusCode.Unauthenticated => "the service did not accept the demo's token: is its Auth:SigningKeyFile the public half of --key?",
        StatusCode.Unavailable => "no service answered at --endpoint (a plaintext http:// endpoint must speak HTTP/2)",
        _ => null,
    };

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
