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
