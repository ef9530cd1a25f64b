using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

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
/// see: an event deleted at the end of its stream, or events of different streams swapped. It runs in the async
/// daemon, which delivers pages in strict sequence order and commits the links with its progress in one transaction,
/// so a page retried after a failure is linked once.
/// </summary>
public sealed class LogChainSubscription : SubscriptionBase
{
    /// <summary>The subscription's name (its progress row in <c>mt_event_progression</c>).</summary>
    public const string SubscriptionName = "log-chain";

    public LogChainSubscription()
    {
        Name = SubscriptionName;
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // The last committed link, read again for every page: a rewound or retried page must not link twice.
        var last = await operations.Query<LogChainLink>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        var previous = last?.LogHash ?? EventChain.Genesis;
        var lastSequence = last?.Id ?? 0;
        foreach (var e in page.Events)
        {
            // Tombstones stand for sequence numbers of transactions that failed: there is nothing to chain.
            if (e.Sequence <= lastSequence || e.Data is Tombstone) continue;
            var eventHash = EventChain.HashOf(e) ?? "";
            previous = EventChain.LogLink(previous, e.Sequence, eventHash);
            operations.Insert(new LogChainLink
            {
                Id = e.Sequence,
                StreamKey = e.StreamKey ?? "",
                Version = e.Version,
                EventHash = eventHash,
                LogHash = previous,
            });
            lastSequence = e.Sequence;
        }

        return NullChangeListener.Instance;
    }
}
