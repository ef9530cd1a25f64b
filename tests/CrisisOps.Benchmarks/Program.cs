using System.Diagnostics;
using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using CrisisOps.Benchmarks.Scenarios;
using Spectre.Console;

// The benchmark suite (deploy/bench.sh [--ci] [--only NAME]): loopback only, every run bounded in count and time,
// every figure beside a baseline measured in the same run. --ci runs each scenario small and asserts no target: it
// fails only when a scenario errors or loses a decision. Results: deploy/.local/bench/results-<time>.json.
var scenarios = new[] { "throughput", "memory", "long-streams", "propagation", "strain-drain", "append-cost", "audit-replay", "expiry" };
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
if (only is not null && !scenarios.Contains(only))
{
    AnsiConsole.MarkupLine($"[red]unknown scenario {Markup.Escape(only)}[/]: one of {string.Join(", ", scenarios)}");
    return 2;
}

// Piped to a file or CI log, Spectre would wrap the table at 80 columns.
if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 240;
using var context = new BenchContext(args);
var started = DateTimeOffset.UtcNow;
var wanted = only is null ? scenarios : only == "memory" ? ["throughput", "memory"] : [only];
Say($"run {context.Run}{(context.Ci ? " (--ci)" : "")}: {string.Join(", ", wanted)}; {Environment.ProcessorCount} cores; logs in {context.Logs}");
var results = new List<ScenarioResult>();
BenchStack? stack = null;
try
{
    foreach (var name in wanted)
    {
        var result = new ScenarioResult(name);
        results.Add(result);
        var clock = Stopwatch.StartNew();
        Say($"{name}…");
        try
        {
            // The services as processes, started once for the scenarios that call them.
            if (name is "throughput" or "long-streams" or "propagation" or "strain-drain" && stack is null)
            {
                stack = await BenchStack.StartAsync(context);
                Say($"five services listening on 127.0.0.1:{context.PortBase}-{context.PortBase + 4}");
            }

            switch (name)
            {
                case "throughput": await Throughput.RunAsync(context, stack!, result); break;
                case "memory": Throughput.Memory(stack ?? throw new InvalidOperationException("memory is read after the throughput run"), result); break;
                case "long-streams": await LongStreams.RunAsync(context, stack!, result); break;
                case "propagation": await Propagation.RunAsync(context, stack!, result); break;
                case "append-cost": await AppendCost.RunAsync(context, result); break;
                case "audit-replay": await AuditReplay.RunAsync(context, result); break;
                case "expiry": await Expiry.RunAsync(context, result); break;
                case "strain-drain": await StrainDrain.RunAsync(context, stack!, result); break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result.Error = $"{ex.GetType().Name}: {ex.Message}";
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(name)} failed:[/] {Markup.Escape(ex.ToString())}");
        }

        result.Seconds = clock.Elapsed.TotalSeconds;
        Say($"{name} done in {result.Seconds:0} s{(result.Failed ? " (FAILED)" : "")}");
        // Written after every scenario: a run stopped half-way still leaves what it measured.
        ResultsReport.Write(context.Results, results, context.Ci, started);

        // The services are stopped once no later scenario needs them: the in-process ones must not share the cores.
        if (stack is not null && !wanted.SkipWhile(w => w != name).Skip(1).Any(w => w is "memory" or "long-streams" or "propagation" or "strain-drain"))
        {
            await stack.DisposeAsync();
            stack = null;
        }
    }
}
finally
{
    if (stack is not null) await stack.DisposeAsync();
}

ResultsReport.Print(results, context.Ci);
var path = ResultsReport.Write(context.Results, results, context.Ci, started);
Say($"results: {path} ({(DateTimeOffset.UtcNow - started).TotalMinutes:0.0} min)");
var failed = results.Where(r => r.Failed).Select(r => r.Name).ToList();
if (failed.Count > 0) Say($"FAILED: {string.Join(", ", failed)}");
else if (!context.Ci) Say($"{results.Sum(r => r.Figures.Count(f => f.Met == true))} target(s) met, {results.Sum(r => r.Figures.Count(f => f.Met == false))} not met");
return failed.Count > 0 ? 1 : 0;

static void Say(string line) => AnsiConsole.MarkupLine($"[grey]bench:[/] {Markup.Escape(line)}");
