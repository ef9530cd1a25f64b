using System.Diagnostics;
using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using CrisisOps.Declaration.Grpc.V1;
using Grpc.Core;
using static CrisisOps.Benchmarks.Harness.BenchStack;

namespace CrisisOps.Benchmarks.Scenarios;

/// <summary>
/// From the gRPC answer to another service having applied the event, with the declaration service under a background
/// load of RecordIndicator (another country's sections) at half the highest rate the throughput scenario measured:
/// (1) an emergency declared on a crisis → the measures service accepts a measure under it; (2) a facility filled to
/// overflow → declaration's alert picture shows the reception strain. Target (issue 12): p99 &lt; 100 ms. The
/// baseline, for scale: the same answer-to-read round trip inside one service (a RecordIndicator's answer, then its
/// GetAlertPicture), which no relay, broker or daemon is on.
/// </summary>
public static class Propagation
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(2);

    public static async Task RunAsync(BenchContext context, BenchStack stack, ScenarioResult result)
    {
        var samples = context.Size(100, 5);
        var d = new Decisions(stack);
        var rate = (Throughput.MaxDeclarationRate ?? context.Size(200, 20)) / 2;
        var lithuania = context.Tokens.Ministry("LT", "bench-background");
        using var stop = new CancellationTokenSource();
        var background = Load.PacedAsync(rate, 4, i => d.Declaration.RecordIndicatorAsync(Decisions.Indicator("LT", $"LT-BY-{i % 50}", i), As(lithuania)).ResponseAsync, stop.Token);
        try
        {
            var measures = new List<double>();
            for (var i = 0; i < samples; i++)
            {
                var crisis = await d.DeclareCrisisAsync();
                var answered = Stopwatch.StartNew();
                var version = await d.DeclareEmergencyAsync(crisis, 1);
                answered.Restart();
                await UntilMeasureAcceptedAsync(d, crisis, version, TimeSpan.FromSeconds(30));
                measures.Add(answered.Elapsed.TotalMilliseconds);
            }

            var strain = new List<double>();
            var local = new List<double>();
            var coordinator = context.Tokens.Coordinator();
            for (var i = 0; i < samples; i++)
            {
                // A facility of one place serving a border section of its own: one arrival is an overflow, whose
                // strain the declaration service records as an indicator on that section.
                var section = $"PL-BY-P{i:D3}";
                var facility = await d.RegisterFacilityAsync($"Propagation centre {context.Run} {i}", 1, section);
                var before = await SectionVersionAsync(d, coordinator, section);
                await d.ReportArrivalsAsync(facility);
                var answered = Stopwatch.StartNew();
                var deadline = TimeSpan.FromSeconds(30);
                while (await SectionVersionAsync(d, coordinator, section) <= before)
                {
                    if (answered.Elapsed > deadline) throw new TimeoutException($"the strain of {facility} did not reach declaration's alert picture within {deadline}");
                    await Task.Delay(Poll);
                }

                strain.Add(answered.Elapsed.TotalMilliseconds);
                var call = Stopwatch.StartNew();
                await d.RecordIndicatorAsync(Decisions.Section, i);
                call.Restart();
                await SectionVersionAsync(d, coordinator, Decisions.Section);
                local.Add(call.Elapsed.TotalMilliseconds);
            }

            var baseline = Percentile(local, 0.99);
            Add(result, "emergency declared → measures accepts a measure under it", measures, baseline, samples, rate);
            Add(result, "reception overflow → declaration's alert picture", strain, baseline, samples, rate);
        }
        finally
        {
            await stop.CancelAsync();
            result.LostDecisions += await background;
        }
    }

    private static void Add(ScenarioResult result, string name, List<double> samples, double baseline, int count, double rate)
    {
        result.Add(Figure.Below($"{name}: p99", Percentile(samples, 0.99), "ms", 100, baseline, "p99 of answer → read in the same service",
            $"p50 {Percentile(samples, 0.5):0.0} ms, {count} samples, background {rate:0} decisions/s"));
    }

    /// <summary>
    /// Until the measures service accepts a measure on the crisis at <paramref name="crisisVersion"/>: it refuses one
    /// (FAILED_PRECONDITION / UNAVAILABLE) while the crisis's events have not reached it, and records nothing then.
    /// </summary>
    public static async Task UntilMeasureAcceptedAsync(Decisions d, string crisisId, long crisisVersion, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await d.Measures.EnactMeasureAsync(Decisions.Measure(crisisId, crisisVersion), As(d.Ministry));
                return;
            }
            catch (RpcException ex) when (ex.StatusCode is StatusCode.FailedPrecondition or StatusCode.Unavailable or StatusCode.Aborted && clock.Elapsed < timeout)
            {
                await Task.Delay(Poll);
            }
        }
    }

    private static async Task<long> SectionVersionAsync(Decisions d, string token, string section)
    {
        var picture = await d.Declaration.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = Decisions.Country, BorderSection = section }, As(token));
        return picture.Sections.Where(s => s.BorderSection == section).Select(s => s.Version).DefaultIfEmpty(0).Max();
    }

    public static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return 0;
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
