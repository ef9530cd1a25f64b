using System.Buffers;
using System.Text;
using System.Text.Json;
using CrisisOps.ServiceDefaults.EventStore;

namespace CrisisOps.Auditor.Core.Integrity;

/// <summary>One row of a service's <c>mt_events</c>, as PostgreSQL returns it.</summary>
/// <param name="Sequence">Global sequence (<c>seq_id</c>).</param>
/// <param name="StreamKey">The stream (<c>stream_id</c>).</param>
/// <param name="Version">Position in the stream.</param>
/// <param name="EventType">Marten's event type name (<c>type</c>).</param>
/// <param name="Utf8">The event data as PostgreSQL prints the <c>jsonb</c>, in UTF-8 (read as bytes: the audit never needs it as text).</param>
/// <param name="Hash">The <see cref="EventChain.HashHeader"/> header, or null.</param>
/// <param name="Timestamp">When PostgreSQL recorded it.</param>
public sealed record StoredEvent(long Sequence, string StreamKey, long Version, string EventType, ReadOnlyMemory<byte> Utf8, string? Hash, DateTimeOffset Timestamp)
{
    public StoredEvent(long sequence, string streamKey, long version, string eventType, string data, string? hash, DateTimeOffset timestamp)
        : this(sequence, streamKey, version, eventType, Encoding.UTF8.GetBytes(data), hash, timestamp)
    {
    }

    /// <summary>The data as text.</summary>
    public string Data
    {
        get => Encoding.UTF8.GetString(Utf8.Span);
        init => Utf8 = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>Marten's placeholders for sequence numbers of failed transactions: nothing to chain.</summary>
    public bool IsTombstone => EventType == "tombstone" || StreamKey == "mt_tombstone";
}

/// <summary>One checkpoint of a service's log chain (<see cref="LogChainLink"/>).</summary>
public sealed record StoredLink(long Sequence, string StreamKey, long Version, string EventHash, string LogHash);

/// <summary>What was done to the stored history.</summary>
public enum Tampering
{
    /// <summary>An event's data, type, stream, version or hash differs from what was chained when it was appended.</summary>
    Altered,
    /// <summary>An event that was appended is gone.</summary>
    Deleted,
    /// <summary>An event that was never appended through the service (no hash, or placed below the log's checkpoints).</summary>
    Inserted,
    /// <summary>Events stand in another order than the one they were committed in.</summary>
    Reordered,
}

/// <summary>One piece of tampering, named by store, stream and position.</summary>
public sealed record TamperingFinding(string Store, Tampering Kind, string StreamKey, long? Version, long? Sequence, string Detail);

/// <summary>The outcome of verifying one store's chains.</summary>
/// <param name="Store">The schema.</param>
/// <param name="Events">Events verified (tombstones excluded).</param>
/// <param name="Streams">Streams seen.</param>
/// <param name="LogHead">The hash of the last log checkpoint: an auditor may keep it and compare it the next time.</param>
/// <param name="NotYetSealed">Events committed after the last checkpoint (the daemon has not linked them yet).</param>
/// <param name="HasLogChain">Whether the store has a log chain at all.</param>
/// <param name="Findings">The tampering found.</param>
public sealed record ChainVerification(
    string Store, long Events, int Streams, string LogHead, int NotYetSealed, bool HasLogChain, IReadOnlyList<TamperingFinding> Findings);

/// <summary>
/// Recomputes a store's per-stream chains and its log chain from the rows alone (no I/O), fed in global sequence order
/// with each event joined to the checkpoint at the same sequence (either may be missing).
/// </summary>
public sealed class ChainVerifier(string store, bool hasLogChain)
{
    private readonly Dictionary<string, StreamChain> _streams = new(StringComparer.Ordinal);
    private readonly List<TamperingFinding> _findings = [];
    private readonly List<StoredEvent> _unlinked = [];
    private readonly ArrayBufferWriter<byte> _canonical = new(1024);
    private string _logHead = EventChain.Genesis;
    private long _events;

    /// <summary>Observes the event and the log checkpoint at one sequence number.</summary>
    /// <param name="e">The event row, or null when none is stored at this sequence.</param>
    /// <param name="link">The checkpoint, or null when none was recorded at this sequence.</param>
    public void Observe(StoredEvent? e, StoredLink? link)
    {
        if (e is { IsTombstone: false })
        {
            // PostgreSQL's text of the jsonb is canonical once its whitespace is gone; Verify canonicalizes in full
            // before it calls anything altered.
            _canonical.ResetWrittenCount();
            EventChain.CanonicalizeJsonbText(e.Utf8.Span, _canonical);
            ObserveInStream(e, _canonical.WrittenSpan);
        }

        ObserveLinkOf(e, link);
    }

    private void ObserveLinkOf(StoredEvent? e, StoredLink? link)
    {
        if (link is not null) ObserveLink(e, link);
        else if (hasLogChain && e is { IsTombstone: false }) _unlinked.Add(e);
    }

    /// <summary>Ends the verification: versions still missing are deletions.</summary>
    public ChainVerification Complete()
    {
        foreach (var (key, chain) in _streams)
        {
            while (chain.Parked is { Count: > 0 })
            {
                var next = chain.Parked.Keys.Min();
                var parked = chain.Parked[next];
                chain.Parked.Remove(next);
                Add(Tampering.Deleted, key, chain.NextVersion, null,
                    next - chain.NextVersion == 1
                        ? $"version {chain.NextVersion} is missing: the stream goes from version {chain.NextVersion - 1} to {next}"
                        : $"versions {chain.NextVersion} to {next - 1} are missing: the stream goes from version {chain.NextVersion - 1} to {next}");
                // The chain resumes at the event after the gap, whose own link to the deleted one cannot be checked.
                chain.Head = parked.Event.Hash ?? EventChain.Hash(chain.Head, key, parked.Event.Version, parked.Event.EventType, parked.Canonical);
                chain.NextVersion = next + 1;
                Drain(key, chain);
            }
        }

        // A deletion or an alteration is often seen by both chains: name it once, by its sequence where known.
        var deduplicated = _findings.OrderBy(f => f.Sequence is null).DistinctBy(f => (f.Kind, f.StreamKey, f.Version))
            .OrderBy(f => f.Sequence ?? long.MaxValue).ThenBy(f => f.StreamKey, StringComparer.Ordinal).ThenBy(f => f.Version).ToList();
        return new ChainVerification(store, _events, _streams.Count, _logHead, _unlinked.Count, hasLogChain, deduplicated);
    }

    private void ObserveInStream(StoredEvent e, ReadOnlySpan<byte> canonical)
    {
        _events++;
        if (!_streams.TryGetValue(e.StreamKey, out var chain)) _streams[e.StreamKey] = chain = new StreamChain();
        if (e.Version == chain.NextVersion)
        {
            Verify(e, canonical, chain);
            Drain(e.StreamKey, chain);
        }
        else if (e.Version > chain.NextVersion && chain.Parked?.ContainsKey(e.Version) != true)
        {
            (chain.Parked ??= [])[e.Version] = new ParkedEvent(e, canonical.ToArray());
        }
        else
        {
            Add(Tampering.Inserted, e.StreamKey, e.Version, e.Sequence, $"version {e.Version} appears a second time (sequence {e.Sequence})");
        }
    }

    /// <summary>Verifies the events that arrived before their predecessor, now that it has arrived.</summary>
    private void Drain(string key, StreamChain chain)
    {
        while (chain.Parked is not null && chain.Parked.Remove(chain.NextVersion, out var parked))
        {
            Add(Tampering.Reordered, key, parked.Event.Version, parked.Event.Sequence,
                $"version {parked.Event.Version} stands at sequence {parked.Event.Sequence}, before version {parked.Event.Version - 1} of its stream");
            Verify(parked.Event, parked.Canonical, chain);
        }
    }

    private void Verify(StoredEvent e, ReadOnlySpan<byte> canonical, StreamChain chain)
    {
        var expected = EventChain.Hash(chain.Head, e.StreamKey, e.Version, e.EventType, canonical);
        if (e.Hash is null || !string.Equals(e.Hash, expected, StringComparison.OrdinalIgnoreCase))
            expected = EventChain.Hash(chain.Head, e.StreamKey, e.Version, e.EventType, FullyCanonical(e));
        if (e.Hash is null)
        {
            Add(Tampering.Inserted, e.StreamKey, e.Version, e.Sequence,
                $"{e.EventType} has no chain hash: it was not appended through the service");
            chain.Head = expected;
        }
        else if (!string.Equals(e.Hash, expected, StringComparison.OrdinalIgnoreCase))
        {
            Add(Tampering.Altered, e.StreamKey, e.Version, e.Sequence,
                $"{e.EventType} does not hash to its recorded chain hash: its data, type or position was changed after it was appended, or the event before it was");
            // Its successor was chained to the hash recorded, so one altered event is one finding.
            chain.Head = e.Hash;
        }
        else
        {
            chain.Head = expected;
        }

        chain.NextVersion = e.Version + 1;
    }

    private void ObserveLink(StoredEvent? e, StoredLink link)
    {
        var expected = EventChain.LogLink(_logHead, link.Sequence, link.EventHash);
        if (!string.Equals(expected, link.LogHash, StringComparison.OrdinalIgnoreCase))
            Add(Tampering.Altered, link.StreamKey, link.Version, link.Sequence,
                $"log checkpoint {link.Sequence} does not follow from the one before it: the log chain itself was rewritten");
        _logHead = link.LogHash;

        foreach (var unlinked in _unlinked)
            Add(Tampering.Inserted, unlinked.StreamKey, unlinked.Version, unlinked.Sequence,
                $"{unlinked.EventType} at sequence {unlinked.Sequence} was never linked into the log, which had already moved past it");
        _unlinked.Clear();

        if (e is null || e.IsTombstone)
            Add(Tampering.Deleted, link.StreamKey, link.Version, link.Sequence,
                $"the event committed at sequence {link.Sequence} (version {link.Version} of {link.StreamKey}) is gone");
        else if (e.StreamKey != link.StreamKey || e.Version != link.Version)
            Add(Tampering.Reordered, e.StreamKey, e.Version, e.Sequence,
                $"sequence {link.Sequence} was committed as version {link.Version} of {link.StreamKey}, and now holds version {e.Version} of {e.StreamKey}");
        else if (!string.Equals(e.Hash ?? "", link.EventHash, StringComparison.OrdinalIgnoreCase))
            Add(Tampering.Altered, e.StreamKey, e.Version, e.Sequence,
                "its chain hash differs from the one the log recorded when it was committed");
    }

    /// <summary>The canonical form of data that is not PostgreSQL's own text (or was altered): parsed and written in full.</summary>
    private static byte[] FullyCanonical(StoredEvent e)
    {
        try
        {
            var canonical = new ArrayBufferWriter<byte>(e.Utf8.Length);
            EventChain.Canonicalize(e.Utf8, canonical);
            return canonical.WrittenSpan.ToArray();
        }
        catch (JsonException)
        {
            // Not JSON at all: the text as stored, which will not match any recorded hash.
            return e.Utf8.ToArray();
        }
    }

    private void Add(Tampering kind, string stream, long? version, long? sequence, string detail) =>
        _findings.Add(new TamperingFinding(store, kind, stream, version, sequence, detail));

    private sealed class StreamChain
    {
        public long NextVersion { get; set; } = 1;
        public string Head { get; set; } = EventChain.Genesis;
        // Made only for a stream whose versions arrive out of order (tampering): a million streams, none parked, would
        // otherwise keep a million empty dictionaries for the whole replay.
        public Dictionary<long, ParkedEvent>? Parked { get; set; }
    }

    private sealed record ParkedEvent(StoredEvent Event, byte[] Canonical);
}
