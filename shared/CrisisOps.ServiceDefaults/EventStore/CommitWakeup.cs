using System.Diagnostics;
using JasperFx.Events.Daemon.HighWater;
using Marten;
using Marten.Services;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Wakes the async daemon's high-water agent as soon as this process commits events, so the relay, the log chain
/// and the Merkle log see a decision within milliseconds rather than at the daemon's next poll (issue 12: a
/// propagation p99 under 100 ms; Marten's default idle poll is 1 s). Polling stays as the fallback for events
/// committed by another process.
/// </summary>
/// <remarks>
/// Marten's own <c>UseListenNotifyForEventAppends</c> notifies one channel, <c>mt_events_appended</c>, for every
/// schema of the database: each of our services, sharing one database, would wake on every other service's commits,
/// and each would hold one more connection for its LISTEN. A service's daemon relays only its own store, which only
/// that service appends to, so a wake inside the process is enough and costs no connection (the same mechanism
/// as JasperFx's <c>ScenarioDaemonWakeup</c>). The signal is sticky: a commit that lands while the agent is
/// reading the mark still wakes the next wait.
/// </remarks>
public sealed class CommitWakeup(TimeSpan coalescing) : DocumentSessionListenerBase, IDaemonWakeup
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _lastWake;

    /// <summary>Wakes the next (or the current) wait of the high-water agent.</summary>
    public void Pulse()
    {
        if (_signal.CurrentCount != 0) return;
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another commit released it between the check and the release: the agent wakes once either way.
        }
    }

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any()) Pulse();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Waits for a commit or the poll interval. Woken by commits, the agent looks at most once per
    /// <c>coalescing</c>: under a steady load each look then hands the subscriptions a page of several events
    /// instead of one high-water query and one page per commit.
    /// </summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        if (await _signal.WaitAsync(timeout, token).ConfigureAwait(false))
        {
            var remaining = coalescing - Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastWake));
            if (remaining > TimeSpan.Zero) await Task.Delay(remaining, token).ConfigureAwait(false);
        }

        Interlocked.Exchange(ref _lastWake, Stopwatch.GetTimestamp());
    }

    /// <summary>Nothing to release: the agent may stop and start again on the same wakeup (a daemon restart).</summary>
    public void Dispose()
    {
    }
}
