namespace CrisisOps.Benchmarks.Report;

/// <summary>
/// One measured figure beside its baseline, measured in the same run, and the target it is held to.
/// </summary>
/// <param name="Name">What was measured ("RecordIndicator spread, 8 callers: decisions/s").</param>
/// <param name="Value">The figure.</param>
/// <param name="Unit">Its unit ("/s", "ms", "MB", "s").</param>
/// <param name="Baseline">The baseline's figure, or null where the target is absolute (a p99 under 100 ms).</param>
/// <param name="BaselineName">What the baseline is ("raw Marten append, 8 sessions").</param>
/// <param name="Target">The target in words ("&gt;= 0.7x baseline", "&lt; 100 ms").</param>
/// <param name="Met">Whether the target is met; null where the figure is informative only.</param>
/// <param name="Note">p50/p99, counts: what a reader needs to trust the figure.</param>
public sealed record Figure(string Name, double Value, string Unit, double? Baseline, string BaselineName, string Target, bool? Met, string Note = "")
{
    /// <summary>The figure over its baseline, where there is one.</summary>
    public double? Ratio => Baseline is > 0 ? Value / Baseline : null;

    /// <summary>A figure that must reach at least <paramref name="ratio"/> times its baseline (throughput).</summary>
    public static Figure AtLeast(string name, double value, string unit, double baseline, string baselineName, double ratio, string note = "") =>
        new(name, value, unit, baseline, baselineName, $">= {ratio:0.##}x baseline", value >= ratio * baseline, note);

    /// <summary>A figure that must stay within <paramref name="ratio"/> times its baseline (latency, cost).</summary>
    public static Figure AtMost(string name, double value, string unit, double baseline, string baselineName, double ratio, string note = "") =>
        new(name, value, unit, baseline, baselineName, $"<= {ratio:0.##}x baseline", value <= ratio * baseline, note);

    /// <summary>A figure held to an absolute ceiling, with a baseline shown for scale.</summary>
    public static Figure Below(string name, double value, string unit, double ceiling, double? baseline = null, string baselineName = "", string note = "") =>
        new(name, value, unit, baseline, baselineName, $"< {ceiling:#,0.###} {unit}", value < ceiling, note);
}

/// <summary>What one scenario produced: its figures, or the error that stopped it.</summary>
public sealed class ScenarioResult(string name)
{
    public string Name { get; } = name;

    public List<Figure> Figures { get; } = [];

    /// <summary>Decisions the scenario sent that were not recorded (a failed call): the suite fails on any.</summary>
    public int LostDecisions { get; set; }

    /// <summary>The first failure seen, if any (a lost decision, or the error that stopped the scenario).</summary>
    public string? Error { get; set; }

    public double Seconds { get; set; }

    public bool Failed => Error is not null || LostDecisions > 0;

    public void Add(Figure figure) => Figures.Add(figure);
}
