using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.ServiceDefaults.Deadlines;

/// <summary>Keeps a stream's deadline of one kind in step with its state, in the transaction of the decision.</summary>
public static class DeadlineSchedule
{
    /// <summary>
    /// Sets the <paramref name="kind"/> deadline of <paramref name="streamId"/> to <paramref name="due"/>, moving an
    /// earlier one; removes it when nothing is due (the thing ended, or its alert was raised).
    /// </summary>
    public static void Schedule(this IDocumentOperations ops, string kind, string streamId, DateTimeOffset? due)
    {
        var id = Deadline.IdFor(kind, streamId);
        if (due is { } at) ops.Store(new Deadline { Id = id, Kind = kind, StreamId = streamId, DueAt = at });
        else ops.Delete<Deadline>(id);
    }
}
