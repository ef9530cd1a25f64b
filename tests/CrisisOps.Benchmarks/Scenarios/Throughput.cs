using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using Spectre.Console;

namespace CrisisOps.Benchmarks.Scenarios;

/// <summary>
/// Decisions per second and p50/p99 per service at 1, 8 and 32 callers through the public gRPC APIs (h2c), spread over
/// many streams and on one hot stream, each cell followed by its baseline at the same concurrency: a raw Marten append
/// (one event per transaction) to a new stream each time, or, for a hot stream, to one stream under the same advisory
/// lock. Targets (issue 12): spread >= 0.7x, hot >= 0.5x. Then the peak resident memory of each service (memory).
/// </summary>
public static class Throughput
{
    public static readonly int[] Concurrency = [1, 8, 32];

    /// <summary>The highest spread RecordIndicator rate seen: the propagation scenario loads at half of it.</summary>
    public static double? MaxDeclarationRate { get; private set; }

    public static async Task RunAsync(BenchContext context, BenchStack stack, ScenarioResult result)
    {
        var calls = context.Size(600, 8);
        var limit = TimeSpan.FromSeconds(context.Size(8, 3));
        var d = new Decisions(stack);
        await using var raw = await RawStore.CreateAsync(context, "raw");

        // What the decisions need first: sections and facilities to spread over, a crisis with an emergency in force
        // that the measures service knows.
        var sections = Enumerable.Range(0, 200).Select(i => $"PL-BY-{i:D3}").ToArray();
        var facilities = new List<string>();
        for (var i = 0; i < context.Size(50, 5); i++) facilities.Add(await d.RegisterFacilityAsync($"Benchmark centre {i}", 1_000_000));
        var crisis = await d.DeclareCrisisAsync();
        var version = await d.DeclareEmergencyAsync(crisis, 1);
        await Propagation.UntilMeasureAcceptedAsync(d, crisis, version, TimeSpan.FromSeconds(60));

        var rows = new (string Name, bool Hot, Func<int, Task> Call)[]
        {
            ("RecordIndicator, 200 border sections", false, i => d.RecordIndicatorAsync(sections[i % sections.Length], i)),
            ("RecordIndicator, one border section (hot stream)", true, i => d.RecordIndicatorAsync("PL-BY-HOT", i)),
            ($"ReportArrivals, {facilities.Count} facilities", false, i => d.ReportArrivalsAsync(facilities[i % facilities.Count])),
            ("ReportArrivals, one facility (hot stream)", true, _ => d.ReportArrivalsAsync(facilities[0])),
            ("EnactMeasure", false, _ => d.EnactMeasureAsync(crisis)),
            ("RequestAssistance", false, i => d.RequestAssistanceAsync(i)),
            ("ProposeLeverage", false, _ => d.ProposeLeverageAsync()),
        };
        var rawHot = $"raw-hot-{context.Run}";
        foreach (var (name, hot, call) in rows)
        {
            // A short warm-up per row (JIT, pools, the first stream), not counted.
            await Load.RunAsync(2, 4, limit, call);
            foreach (var c in Concurrency)
            {
                var decided = await Load.RunAsync(c, calls, limit, call);
                result.LostDecisions += decided.Failed;
                if (decided.FirstError is { } error) result.Error ??= $"{name} at {c}: {error}";
                var baseline = hot
                    ? await Load.RunAsync(c, calls, limit, i => raw.AppendLockedAsync(rawHot, i))
                    : await Load.RunAsync(c, calls, limit, i => raw.AppendAsync($"raw-{Guid.NewGuid():N}", i));
                if (baseline.FirstError is { } rawError) result.Error ??= $"raw baseline at {c}: {rawError}";
                var figure = Figure.AtLeast($"{name}, {c} caller(s): decisions/s", decided.PerSecond, "/s", baseline.PerSecond,
                    hot ? $"raw append to one stream under its advisory lock, {c} session(s)" : $"raw Marten append, {c} session(s)",
                    hot ? 0.5 : 0.7, $"{decided.Summary}; raw {baseline.Summary}");
                result.Add(figure);
                AnsiConsole.MarkupLine(Markup.Escape($"  {figure.Name}: {ResultsReport.Number(figure.Value)} /s vs {ResultsReport.Number(baseline.PerSecond)} /s ({decided.Summary})"));
                if (!hot && name.StartsWith("RecordIndicator", StringComparison.Ordinal))
                    MaxDeclarationRate = Math.Max(MaxDeclarationRate ?? 0, decided.PerSecond);
            }
        }
    }

    /// <summary>The memory scenario: each service's peak resident memory (VmHWM) after the throughput run.</summary>
    public static void Memory(BenchStack stack, ScenarioResult result)
    {
        foreach (var s in stack.Services)
        {
            var peak = s.PeakResidentMegabytes() ?? throw new InvalidOperationException($"{s.Name} is not running, or /proc/<pid>/status has no VmHWM");
            result.Add(Figure.Below($"{s.Name}: peak resident memory (VmHWM) over the run", peak, "MB", 200, note: $"pid {s.Pid}"));
        }
    }
}
