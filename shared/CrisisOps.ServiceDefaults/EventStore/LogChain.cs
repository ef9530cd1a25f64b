using CrisisOps.Transparency;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// One checkpoint of a service's log chain: the committed event at <see cref="Id"/> (its global sequence), and the
/// hash linking it to every event committed before it. Inserted once, never updated (the application role may not).
/// </summary>
public sealed class LogChainLink
{
    /// <summary>The event's global sequence number.</summary>
    public long Id { get; set; }
    public string StreamKey { get; set; } = "";
    public long Version { get; set; }
    /// <summary>The event's own chain hash as recorded (empty when it had none).</summary>
    public string EventHash { get; set; } = "";
    /// <summary><see cref="EventChain.LogLink"/> of the previous link's hash, the sequence and the event hash.</summary>
    public string LogHash { get; set; } = "";
}

/// <summary>
/// Chains every committed event of the service's log in global sequence order, which the per-stream chains cannot
/// see: an event deleted at the end of its stream, or events of different streams swapped. Fed by
/// <see cref="EventLogSubscription"/> with the rows of one daemon page, in sequence order; its links commit with the
/// page's progress in one transaction, so a page retried after a failure is linked once.
/// </summary>
public sealed class LogChainWriter
{
    private string _previous;
    private long _lastSequence;

    private LogChainWriter(string previous, long lastSequence)
    {
        _previous = previous;
        _lastSequence = lastSequence;
    }

    /// <summary>Rows at or below this sequence are linked already (or below the page): the chain needs the rows after it.</summary>
    public long After => _lastSequence;

    /// <summary>
    /// The chain as committed, to grow from a page whose events follow <paramref name="pageFloor"/>: the last link is
    /// read again for every page, since a rewound or retried page must not link twice.
    /// </summary>
    public static async Task<LogChainWriter> ResumeAsync(IQuerySession operations, long pageFloor, CancellationToken ct)
    {
        var last = await operations.Query<LogChainLink>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return new LogChainWriter(last?.LogHash ?? EventChain.Genesis, Math.Max(last?.Id ?? 0, pageFloor));
    }

    /// <summary>Links one committed event (tombstones never reach here: <see cref="EventLeafRows"/> skips them).</summary>
    public void Add(IDocumentOperations operations, EventLeaf row)
    {
        if (row.Sequence <= _lastSequence) return;
        var eventHash = EventChain.HashOf(row) ?? "";
        _previous = EventChain.LogLink(_previous, row.Sequence, eventHash);
        operations.Insert(new LogChainLink
        {
            Id = row.Sequence,
            StreamKey = row.StreamKey,
            Version = row.Version,
            EventHash = eventHash,
            LogHash = _previous,
        });
        _lastSequence = row.Sequence;
    }
}
