using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace CrisisOps.Benchmarks.Report;

/// <summary>The closing table (Spectre.Console) and the JSON file of one run.</summary>
public static class ResultsReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static void Print(IReadOnlyList<ScenarioResult> results, bool ci)
    {
        var table = new Table().Title(ci ? "benchmarks (--ci: small sizes, targets not asserted)" : "benchmarks")
            .AddColumns(new TableColumn("scenario").NoWrap(), new TableColumn("figure"), new TableColumn("measured").RightAligned().NoWrap(),
                new TableColumn("baseline (same run)"), new TableColumn("ratio").RightAligned().NoWrap(), new TableColumn("target").NoWrap(),
                new TableColumn("met").NoWrap(), new TableColumn("detail"));
        foreach (var r in results)
        {
            if (r.Error is not null && r.Figures.Count == 0)
            {
                table.AddRow(Markup.Escape(r.Name), "[red]error[/]", "", "", "", "", "[red]error[/]", Markup.Escape(Short(r.Error)));
                continue;
            }

            foreach (var f in r.Figures)
            {
                var baseline = f.Baseline is { } b ? $"{Number(b)} {f.Unit} {f.BaselineName}" : f.BaselineName;
                table.AddRow(Markup.Escape(r.Name), Markup.Escape(f.Name),
                    Markup.Escape($"{Number(f.Value)} {f.Unit}"), Markup.Escape(baseline),
                    f.Ratio is { } ratio ? ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "",
                    Markup.Escape(f.Target), f.Met switch { true => "[green]met[/]", false => "[red]not met[/]", null => "" }, Markup.Escape(f.Note));
            }

            if (r.Failed)
                table.AddRow(Markup.Escape(r.Name), "[red]failed[/]", r.LostDecisions > 0 ? $"[red]{r.LostDecisions} lost[/]" : "", "", "", "",
                    "[red]error[/]", Markup.Escape(Short(r.Error ?? "")));
        }

        AnsiConsole.Write(table);
    }

    public static string Write(string directory, IReadOnlyList<ScenarioResult> results, bool ci, DateTimeOffset started)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"results-{started.UtcDateTime:yyyyMMdd-HHmmss}.json");
        var document = new
        {
            startedAt = started,
            ci,
            machine = new { cores = Environment.ProcessorCount, os = Environment.OSVersion.ToString(), dotnet = Environment.Version.ToString() },
            scenarios = results.Select(r => new
            {
                name = r.Name,
                failed = r.Failed,
                error = r.Error,
                lostDecisions = r.LostDecisions,
                seconds = Math.Round(r.Seconds, 1),
                figures = r.Figures.Select(f => new
                {
                    name = f.Name,
                    value = Math.Round(f.Value, 3),
                    unit = f.Unit,
                    baseline = f.Baseline is { } b ? Math.Round(b, 3) : (double?)null,
                    baselineName = f.BaselineName,
                    ratio = f.Ratio is { } x ? Math.Round(x, 3) : (double?)null,
                    target = f.Target,
                    met = f.Met,
                    note = f.Note,
                }),
            }),
        };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
        return path;
    }

    /// <summary>Figures as a reader takes them in: thousands separated, few decimals.</summary>
    public static string Number(double value) => Math.Abs(value) switch
    {
        >= 100 => value.ToString("#,0", CultureInfo.InvariantCulture),
        >= 10 => value.ToString("0.0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Short(string s) => s.Length > 160 ? s[..160] + "…" : s;
}
