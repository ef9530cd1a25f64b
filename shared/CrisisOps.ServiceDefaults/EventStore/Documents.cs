namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// A command that was recorded, keyed by the actor and the client's request id, so that a ministry retrying
/// after a timeout gets the first answer back instead of a second decision.
/// </summary>
public sealed class ProcessedCommand
{
    /// <summary><c>{actor subject}/{request id}</c>.</summary>
    public string Id { get; set; } = "";
    public string StreamId { get; set; } = "";
    public long Version { get; set; }
    /// <summary>SHA-256 of the request as sent: the same id with another request is refused.</summary>
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>
/// What a stream is at its last event, kept beside the events in the transaction that appends them, so a decision
/// reads this one document instead of the stream: its state, its version and the head of its hash chain. A stream
/// without one (a store written before streams kept their state), or whose version or state shape does not match, is
/// folded once from its events and the document written again.
/// </summary>
/// <remarks>
/// A document of our own rather than Marten's inline snapshot or <c>FetchForWriting</c>: our folds are plain
/// <c>Evolve</c> functions rather than projection classes, the chain head must be kept with the state (Marten keeps no
/// such thing), and one document loads in the same batch as the processed-command check.
/// </remarks>
public sealed class StreamHead
{
    /// <summary>The stream id.</summary>
    public string Id { get; set; } = "";
    /// <summary>The state record's type and shape (<see cref="KeptState.ShapeOf{TState}"/>).</summary>
    public string Kind { get; set; } = "";
    /// <summary>The stream's version at its last event.</summary>
    public long Version { get; set; }
    /// <summary>The chain hash of the stream's last event (<see cref="EventChain.HashHeader"/>).</summary>
    public string ChainHead { get; set; } = "";
    /// <summary>The state folded from every event of the stream (<see cref="KeptState.Write{TState}"/>).</summary>
    public string State { get; set; } = "";
}

/// <summary>An integration message a consumer has already acted on (the idempotency key of consumers).</summary>
public sealed class ProcessedMessage
{
    /// <summary><c>{consumer}/{message id}</c>.</summary>
    public string Id { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}

/// <summary>
/// A legal deadline the service must act on, written in the same transaction as the decision that set it.
/// One per stream and kind: a later decision (an extension) moves it; a decision that ends the thing removes it.
/// </summary>
public sealed class Deadline
{
    /// <summary><c>{kind}/{stream id}</c>.</summary>
    public string Id { get; set; } = "";
    public string Kind { get; set; } = "";
    public string StreamId { get; set; } = "";
    /// <summary>The legal deadline itself; the action taken is stamped with this moment, not the catch-up time.</summary>
    public DateTimeOffset DueAt { get; set; }

    public static string IdFor(string kind, string streamId) => $"{kind}/{streamId}";
}

/// <summary>
/// How far a consumer has caught up on another service's integration-event feed: the position after which it reads
/// next. Kept in the consumer's own store, so that a dropped store starts again from the beginning.
/// </summary>
public sealed class FeedCheckpoint
{
    /// <summary>The source service's name (<c>Feed:Sources:{name}</c>).</summary>
    public string Id { get; set; } = "";
    public long Position { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
