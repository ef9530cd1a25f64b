using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Transparency;

namespace CrisisOps.Auditor.Core.Integrity;

/// <summary>One leaf as the store's Merkle log recorded it (<c>mt_doc_merkleleaf</c>): only a hint, since whoever owns the database can rewrite it.</summary>
public readonly record struct StoredLeaf(long Sequence, byte[] Hash);

/// <summary>
/// Verifies that a store is a consistent extension of every checkpoint kept of it (issue 11): the tree is recomputed
/// from the events as read, in commit order, and its root at each checkpoint's size must be the checkpoint's root.
/// Where one is not, the first position that no longer matches is named: exactly, from the store's own log where that
/// log still agrees with the checkpoint; else as the range between the last checkpoint that holds and the first that
/// does not (the operator recomputed the log too). Pure: rows in, findings out.
/// </summary>
/// <remarks>
/// At a million events the leaves themselves would not fit a verifier that keeps them all, so by default it keeps
/// only each leaf's sequence and hash (40 bytes) and names a position by its sequence. A verifier made with
/// <c>keepLeaves</c> keeps every leaf as well, to name the event at a position (its type, stream and version): the
/// audit makes one when a first, lean pass has found something wrong.
/// </remarks>
public sealed class LogVerifier
{
    private readonly string _store;
    private readonly List<KeptCheckpoint> _checkpoints;
    private readonly MerkleBuilder _tree = new();
    private readonly List<long> _sequences = [];
    private readonly HashColumn _hashes = new();
    private readonly List<EventLeaf>? _kept;
    private readonly Dictionary<long, byte[]> _roots = [];
    private int _next;

    /// <summary>A verifier of <paramref name="store"/> against <paramref name="checkpoints"/>.</summary>
    /// <param name="store">The store's name, in the findings.</param>
    /// <param name="checkpoints">The checkpoints kept of it.</param>
    /// <param name="keepLeaves">Keep every leaf observed, to name the event at a position that no longer matches.</param>
    public LogVerifier(string store, IEnumerable<KeptCheckpoint> checkpoints, bool keepLeaves = true)
    {
        _store = store;
        _checkpoints = checkpoints.OrderBy(c => c.Signed.Checkpoint.Size).ToList();
        _kept = keepLeaves ? [] : null;
    }

    /// <summary>Leaves recomputed so far.</summary>
    public long Size => _tree.Size;

    /// <summary>Observes the next event of the store in commit order (tombstones excluded).</summary>
    public void Observe(EventLeaf leaf)
    {
        RootsAtCurrentSize();
        var hash = leaf.Hash();
        _tree.Add(hash);
        _sequences.Add(leaf.Sequence);
        _hashes.Add(hash);
        _kept?.Add(leaf);
    }

    /// <summary>
    /// The findings: every kept checkpoint checked against the recomputed tree, and the store's own log against the
    /// events (missing, empty, lagging or disagreeing is an error).
    /// </summary>
    /// <param name="storedLog">The store's Merkle log leaves in index order, or null when the store has no log table.</param>
    public IReadOnlyList<Finding> Complete(IReadOnlyList<StoredLeaf>? storedLog)
    {
        RootsAtCurrentSize();
        var findings = new List<Finding>();
        if (_checkpoints.Count == 0)
            findings.Add(Error("integrity.no-checkpoint", null, $"no checkpoint of this store was kept or cosigned: nothing outside the database vouches for its {Size} event(s)"));

        KeptCheckpoint? lastGood = null;
        foreach (var kept in _checkpoints)
        {
            var checkpoint = kept.Signed.Checkpoint;
            if (checkpoint.Size > Size)
            {
                findings.Add(Mismatch(kept, lastGood, storedLog, truncated: true));
                continue;
            }

            if (_roots[checkpoint.Size].AsSpan().SequenceEqual(checkpoint.Root)) lastGood = kept;
            else findings.Add(Mismatch(kept, lastGood, storedLog, truncated: false));
        }

        if (_checkpoints.Count > 0 && _checkpoints[^1].Signed.Checkpoint.Size < Size)
            findings.Add(new Finding(Severity.Warning, "integrity.beyond-checkpoint", _store, null, null, null, null, null, null, null,
                $"{Size - _checkpoints[^1].Signed.Checkpoint.Size} event(s) were recorded after the newest kept checkpoint ({_checkpoints[^1].Name}): keep a newer one to cover them"));

        findings.AddRange(CheckStoredLog(storedLog, findings.Count > 0));
        return findings;
    }

    private IEnumerable<Finding> CheckStoredLog(IReadOnlyList<StoredLeaf>? storedLog, bool alreadyFailed)
    {
        if (storedLog is null)
        {
            yield return Error("integrity.no-merkle-log", null, "the store has no Merkle log table: it was dropped, or the store predates issue 11");
            yield break;
        }

        if (storedLog.Count == 0 && Size > 0)
        {
            yield return Error("integrity.merkle-log-empty", null, $"the store's Merkle log is empty, but the store holds {Size} event(s): it was truncated");
            yield break;
        }

        if (storedLog.Count < Size)
            yield return Error("integrity.merkle-log-lagging", storedLog.Count,
                $"the store's Merkle log holds {storedLog.Count} leaves, but the store {Size} event(s): the log is behind, or events were inserted behind it");
        if (alreadyFailed) yield break;
        var first = FirstDifference(storedLog);
        if (first < Math.Min(storedLog.Count, Size))
            yield return Error("integrity.leaf-mismatch", first,
                $"leaf {first}: {Describe(first, storedLog)} (after the newest kept checkpoint, or in a log no checkpoint covers yet)");
    }

    private Finding Mismatch(KeptCheckpoint kept, KeptCheckpoint? lastGood, IReadOnlyList<StoredLeaf>? storedLog, bool truncated)
    {
        var size = kept.Signed.Checkpoint.Size;
        var storedAgrees = storedLog is not null && storedLog.Count >= size && RootOf(storedLog, size).AsSpan().SequenceEqual(kept.Signed.Checkpoint.Root);
        if (storedAgrees)
        {
            // The store's log still holds the tree the checkpoint signed: it tells which leaf went wrong and how.
            var first = FirstDifference(storedLog!);
            return Error(Rule(first, storedLog!), first, $"{kept.Name}: leaf {first}: {Describe(first, storedLog!)}");
        }

        var from = lastGood?.Signed.Checkpoint.Size ?? 0;
        var what = truncated
            ? $"the store holds only {Size} event(s) where the checkpoint signed {size}: events were deleted (truncated, or restored from an older backup)"
            : $"the events no longer hash to its root: an event among leaves {from} to {size - 1} was rewritten, deleted, inserted or moved";
        var log = storedLog is null ? "the store's Merkle log is gone" : "the store's own Merkle log was recomputed to match the tampered events";
        return Error(truncated ? "integrity.truncated" : "integrity.checkpoint-mismatch", (int)from,
            $"{kept.Name}: {what}; {log}" + (lastGood is null ? "" : $"; {lastGood.Name} still holds"));
    }

    private int FirstDifference(IReadOnlyList<StoredLeaf> storedLog)
    {
        var n = Math.Min(storedLog.Count, _sequences.Count);
        for (var i = 0; i < n; i++)
            if (!storedLog[i].Hash.AsSpan().SequenceEqual(_hashes[i])) return i;
        return n;
    }

    private string Rule(int i, IReadOnlyList<StoredLeaf> storedLog)
    {
        if (i >= _sequences.Count) return "integrity.truncated";
        if (i >= storedLog.Count) return "integrity.inserted";
        var sequence = _sequences[i];
        var committed = storedLog[i].Sequence;
        if (sequence == committed) return "integrity.rewritten";
        // The events are read in commit order: their sequences ascend.
        if (_sequences.BinarySearch(committed) < 0) return "integrity.deleted";
        return storedLog.Any(s => s.Sequence == sequence) ? "integrity.reordered" : "integrity.inserted-before";
    }

    private string Describe(int i, IReadOnlyList<StoredLeaf> storedLog)
    {
        if (i >= _sequences.Count) return $"the event committed at sequence {storedLog[i].Sequence} and every one after it are gone (truncated)";
        var at = _kept is null ? $"the event at sequence {_sequences[i]}" : $"{_kept[i].EventType} v{_kept[i].Version} of {_kept[i].StreamKey} at sequence {_sequences[i]}";
        if (i >= storedLog.Count) return $"{at} is not in the log";
        var committed = storedLog[i].Sequence;
        return Rule(i, storedLog) switch
        {
            "integrity.rewritten" => $"{at} was changed after it was committed (its data, type, stream, version, time, actor, headers or id)",
            "integrity.deleted" => $"the event committed at sequence {committed} is gone; {at} now stands in its place",
            "integrity.reordered" => $"{at} stands where the event at sequence {committed} was committed",
            _ => $"{at} was inserted before the event committed at sequence {committed}",
        };
    }

    private static byte[] RootOf(IReadOnlyList<StoredLeaf> storedLog, long size)
    {
        var tree = new MerkleBuilder();
        for (var i = 0; i < size; i++) tree.Append(storedLog[i].Hash);
        return tree.Root();
    }

    private void RootsAtCurrentSize()
    {
        while (_next < _checkpoints.Count && _checkpoints[_next].Signed.Checkpoint.Size <= Size)
        {
            if (_checkpoints[_next].Signed.Checkpoint.Size == Size) _roots[Size] = _tree.Root();
            _next++;
        }
    }

    /// <summary>An error at leaf <paramref name="index"/> (none when it is past the leaves observed).</summary>
    private Finding Error(string rule, int? index, string message)
    {
        var at = index < _sequences.Count ? index : null;
        var leaf = at is { } i ? _kept?[i] : null;
        return new(Severity.Error, rule, _store, leaf?.StreamKey, leaf?.Version, at is { } j ? _sequences[j] : null, null, null, null, null, message);
    }

    /// <summary>The leaf hashes in 32-byte slots of large chunks: a million of them as 32 MB in a few arrays, not a million objects.</summary>
    private sealed class HashColumn
    {
        private const int PerChunk = 1 << 15;
        private readonly List<byte[]> _chunks = [];
        private int _count;

        public ReadOnlySpan<byte> this[int index] => _chunks[index / PerChunk].AsSpan(index % PerChunk * MerkleHash.Size, MerkleHash.Size);

        public void Add(ReadOnlySpan<byte> hash)
        {
            if (_count % PerChunk == 0) _chunks.Add(new byte[PerChunk * MerkleHash.Size]);
            hash.CopyTo(_chunks[^1].AsSpan(_count % PerChunk * MerkleHash.Size));
            _count++;
        }
    }
}
