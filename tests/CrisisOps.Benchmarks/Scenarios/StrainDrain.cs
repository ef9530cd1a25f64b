using System.Diagnostics;
using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using Spectre.Console;

namespace CrisisOps.Benchmarks.Scenarios;

/// <summary>
/// The work reception's area-strain consumer leaves behind a burst of arrivals (issue 12: "after 2,000-3,000 arrivals
/// reception kept one core 42% busy for 7-14 s"): N arrivals spread over the facilities of one country, then the CPU
/// seconds of the reception process from the last answer until its strain queue is empty and the process idle, beside
/// the CPU seconds the N arrival decisions themselves took (measured in the same run).
/// </summary>
public static class StrainDrain
{
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(250);

    /// <summary>A process using less than this share of one core over a sample is idle.</summary>
    private const double IdleShare = 0.05;

    public static async Task RunAsync(BenchContext context, BenchStack stack, ScenarioResult result)
    {
        var arrivals = context.Size(3000, 600);
        var d = new Decisions(stack);
        var facilities = new List<string>();
        for (var i = 0; i < context.Size(50, 20); i++) facilities.Add(await d.RegisterFacilityAsync($"Strain centre {context.Run} {i}", 1_000_000));
        using var reception = Process.GetProcessById(stack["reception"].Pid ?? throw new InvalidOperationException("reception is not running"));
        var queue = $"bench-{context.Run}-reception-area-strain";
        await UntilDrainedAsync(reception, context, queue, TimeSpan.FromSeconds(60));

        var before = Cpu(reception);
        var load = await Load.RunAsync(8, arrivals, TimeSpan.FromSeconds(context.Size(120, 60)), i => d.ReportArrivalsAsync(facilities[i % facilities.Count]));
        result.LostDecisions += load.Failed;
        if (load.FirstError is { } error) result.Error ??= $"ReportArrivals: {error}";
        var answered = Cpu(reception);
        var clock = Stopwatch.StartNew();
        var drained = await UntilDrainedAsync(reception, context, queue, TimeSpan.FromSeconds(context.Size(120, 60)));
        var drainCpu = Cpu(reception) - answered;

        var note = $"{load.Calls - load.Failed} arrivals over {facilities.Count} facilities at 8 callers in {load.Seconds:0.0} s; "
            + $"drained {drained:0.0} s after the last answer{(clock.Elapsed.TotalSeconds > drained + 1 ? " (not idle by the limit)" : "")}";
        result.Add(new Figure($"reception CPU after {arrivals} arrivals, until its strain queue is drained", drainCpu, "s", answered - before,
            $"reception CPU during the {arrivals} arrival decisions", "informative", null, note));
        result.Add(new Figure($"reception drain time after {arrivals} arrivals", drained, "s", load.Seconds, "the arrivals' own load time", "informative", null, note));
        AnsiConsole.MarkupLine(Markup.Escape($"  strain drain: {drainCpu:0.00} CPU s over {drained:0.0} s after {arrivals} arrivals (decisions: {answered - before:0.00} CPU s over {load.Seconds:0.0} s)"));
    }

    private static double Cpu(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// Seconds until the strain queue holds nothing ready and the process has gone a sample using under
    /// <see cref="IdleShare"/> of a core (the messages it holds unacknowledged are then done), or the limit.
    /// </summary>
    private static async Task<double> UntilDrainedAsync(Process process, BenchContext context, string queue, TimeSpan limit)
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(context.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var clock = Stopwatch.StartNew();
        var last = Cpu(process);
        var lastAt = clock.Elapsed;
        while (clock.Elapsed < limit)
        {
            await Task.Delay(Sample);
            var now = Cpu(process);
            var share = (now - last) / (clock.Elapsed - lastAt).TotalSeconds;
            var ready = (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
            if (ready == 0 && share < IdleShare) return lastAt.TotalSeconds;
            (last, lastAt) = (now, clock.Elapsed);
        }

        return clock.Elapsed.TotalSeconds;
    }
}
