using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// How soon the async daemon (the relay, the log chain, the Merkle log) sees a commit (<c>EventStore:Daemon</c>
/// configuration section). Its defaults bound propagation: Marten polls for new events every 1 s when idle and
/// every 250 ms when busy.
/// </summary>
public sealed class DaemonPolling
{
    /// <summary>The configuration section.</summary>
    public const string Section = "EventStore:Daemon";

    /// <summary>
    /// Wake the daemon when this process commits events (<see cref="CommitWakeup"/>); the polls below then only
    /// catch events committed by another process.
    /// </summary>
    public bool WakeOnCommit { get; set; } = true;

    /// <summary>Poll interval while the high-water mark keeps moving (Marten's default: 250 ms).</summary>
    public TimeSpan FastPollingTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Poll interval once caught up (Marten's default: 1 s). Each poll is one small query; at 250 ms an idle
    /// service spends about as much CPU as at 1 s (measured in issue 12's report), and a commit by another process
    /// still propagates within a quarter of a second.
    /// </summary>
    public TimeSpan SlowPollingTime { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Woken by commits, look at most once per this interval, so a burst of commits makes one page.</summary>
    public TimeSpan WakeCoalescing { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Whether the daemon's own pages (log chain, Merkle log, relay progress) wait for their WAL flush like decisions do.
    /// On by default: committing them without the wait (<see cref="DerivedCommit"/>, safe because they are derived again
    /// from the durable events after a crash) did not pay in the benchmark (throughput run A/B'd in one sitting, quiet
    /// 2-core machine, 2026-12-02: the same decisions/s and latencies within the run-to-run spread).
    /// </summary>
    public bool DerivedCommitsWaitForDisk { get; set; } = true;

    /// <summary>Sets the daemon's polling and, with <see cref="WakeOnCommit"/>, the wakeup and its commit listener.</summary>
    public void ApplyTo(StoreOptions opts)
    {
        opts.Projections.FastPollingTime = FastPollingTime;
        opts.Projections.SlowPollingTime = SlowPollingTime;
        if (!WakeOnCommit) return;
        var wakeup = new CommitWakeup(WakeCoalescing);
        opts.Projections.Wakeup = wakeup;
        opts.Listeners.Add(wakeup);
    }
}
