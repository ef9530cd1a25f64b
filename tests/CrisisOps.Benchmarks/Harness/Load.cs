using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrisisOps.Benchmarks.Harness;

/// <summary>What a bounded load measured: calls completed, failures, wall time and every call's latency.</summary>
public sealed record LoadResult(int Calls, int Failed, double Seconds, double[] LatenciesMs, string? FirstError)
{
    /// <summary>Of the failed calls, those that ran past their deadline (slow, not refused).</summary>
    public int TimedOut { get; init; }

    public double PerSecond => Seconds > 0 ? (Calls - Failed) / Seconds : 0;

    public double P50 => Percentile(0.50);

    public double P99 => Percentile(0.99);

    public double Percentile(double p) => LatenciesMs.Length == 0 ? 0 : LatenciesMs[Math.Min(LatenciesMs.Length - 1, (int)Math.Ceiling(p * LatenciesMs.Length) - 1)];

    public string Summary => $"p50 {P50:0.0} ms, p99 {P99:0.0} ms, {Calls - Failed} calls";
}

/// <summary>
/// Runs a call from <c>concurrency</c> callers until <c>calls</c> calls are done or <c>limit</c> has passed,
/// whichever comes first (every run is bounded in count and in time); a call that throws is a failure.
/// </summary>
public static class Load
{
    public static async Task<LoadResult> RunAsync(int concurrency, int calls, TimeSpan limit, Func<int, Task> call)
    {
        var latencies = new ConcurrentBag<double>();
        var failed = 0;
        var timedOut = 0;
        string? firstError = null;
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < calls && clock.Elapsed < limit)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(i);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failed);
                    if (ex is Grpc.Core.RpcException { StatusCode: Grpc.Core.StatusCode.DeadlineExceeded }) Interlocked.Increment(ref timedOut);
                    Interlocked.CompareExchange(ref firstError, $"{ex.GetType().Name}: {ex.Message}", null);
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var sorted = latencies.Order().ToArray();
        return new LoadResult(sorted.Length + failed, failed, seconds, sorted, firstError) { TimedOut = timedOut };
    }

    /// <summary>Calls at a steady <paramref name="perSecond"/> until cancelled (a background load); returns the failures.</summary>
    public static async Task<int> PacedAsync(double perSecond, int concurrency, Func<int, Task> call, CancellationToken stop)
    {
        var failed = 0;
        var i = -1;
        var interval = TimeSpan.FromSeconds(concurrency / Math.Max(perSecond, 0.1));
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await call(Interlocked.Increment(ref i));
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failed);
                }

                var rest = interval - Stopwatch.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(rest, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }
        })));
        return failed;
    }
}
