using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Commits of what the async daemon derives from committed events (the log chain, the Merkle log, the relay's progress)
/// without waiting for the disk: each decision's commit waits for its WAL flush, and the daemon's pages after it would
/// otherwise queue two more flushes per decision on the same disk (issue 12: decisions compete with their own
/// bookkeeping). Only derived rows are written this way: a crash loses at most the last pages' rows together with the
/// page's progress (one transaction), and the daemon derives them again from the events, which are durable; the relay
/// then publishes those events again, and consumers drop the repeats by message id. Decisions, consumers' writes and
/// deadlines keep PostgreSQL's synchronous commit. Used only when <see cref="DaemonPolling.DerivedCommitsWaitForDisk"/>
/// is set to false: by default the daemon's pages wait for the disk too, since the benchmark showed no gain.
/// </summary>
public static class DerivedCommit
{
    /// <summary>
    /// Makes the transaction of the daemon's page being written commit without waiting for its WAL flush, unless
    /// <paramref name="waitForDisk"/>.
    /// </summary>
    public static void Apply(IDocumentOperations operations, bool waitForDisk)
    {
        if (!waitForDisk) operations.QueueSqlCommand("set local synchronous_commit = off");
    }
}
