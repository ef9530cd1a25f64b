using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using Marten.Services;

namespace CrisisOps.ServiceDefaults.Deadlines;

/// <summary>
/// Tells the deadline worker, at the commit of a decision, that a deadline earlier than the one it waits for was
/// written, so it re-arms its timer instead of finding the deadline at its next poll (issue 12: an expiry recorded
/// within a second of its legal end). A commit in another process (a second instance) is still found by the poll.
/// </summary>
/// <remarks>
/// A session listener, as <see cref="CommitWakeup"/>: a decision's deadline is written by
/// <see cref="DeadlineSchedule.Schedule"/> inside <see cref="DecisionStreams"/>, and only the commit says it stands.
/// </remarks>
public sealed class DeadlineWakeup : DocumentSessionListenerBase, IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private long _armedTicks = long.MaxValue;
    private long _writtenTicks = long.MaxValue;

    /// <summary>
    /// When the worker next looks for due deadlines: the earlier of what it armed and of any deadline committed since
    /// it began its last read (<see cref="BeginRead"/>). Null when nothing is known to fall due.
    /// </summary>
    public DateTimeOffset? NextLook
    {
        get
        {
            var ticks = Math.Min(Interlocked.Read(ref _armedTicks), Interlocked.Read(ref _writtenTicks));
            return ticks == long.MaxValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Called before the worker reads the deadlines: what is committed from now on is remembered, so a deadline
    /// committed while the worker reads (and missed by the read) still brings the next look forward.
    /// </summary>
    public void BeginRead() => Interlocked.Exchange(ref _writtenTicks, long.MaxValue);

    /// <summary>Sets the worker's next look to <paramref name="at"/> (null: no deadline known, only the poll).</summary>
    public void Arm(DateTimeOffset? at) => Interlocked.Exchange(ref _armedTicks, at?.UtcTicks ?? long.MaxValue);

    /// <summary>A deadline due at <paramref name="dueAt"/> was committed: wakes the worker if it is earlier than its next look.</summary>
    public void Written(DateTimeOffset dueAt)
    {
        var ticks = dueAt.UtcTicks;
        long seen;
        do
        {
            seen = Interlocked.Read(ref _writtenTicks);
            if (ticks >= seen) return;
        }
        while (Interlocked.CompareExchange(ref _writtenTicks, ticks, seen) != seen);

        if (ticks < Interlocked.Read(ref _armedTicks)) Pulse();
    }

    /// <summary>Waits until woken by an earlier deadline or for <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        // Store is an upsert: a new deadline may be counted as updated rather than inserted.
        foreach (var deadline in commit.Inserted.Concat(commit.Updated).OfType<Deadline>()) Written(deadline.DueAt);
        return Task.CompletedTask;
    }

    /// <summary>Releases the signal (the container disposes the singleton at shutdown).</summary>
    public void Dispose() => _signal.Dispose();

    private void Pulse()
    {
        if (_signal.CurrentCount != 0) return;
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another commit released it between the check and the release: the worker wakes once either way.
        }
    }
}
