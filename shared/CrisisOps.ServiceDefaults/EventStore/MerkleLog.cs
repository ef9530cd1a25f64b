using System.Globalization;
using CrisisOps.Transparency;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// One leaf of the store's Merkle log: leaf <see cref="Index"/> (from 0, in commit order) is the event committed at
/// <see cref="Sequence"/>. Inserted once, never updated (the application role may not, deploy/db-roles.sql).
/// </summary>
public sealed class MerkleLeaf
{
    /// <summary>The leaf's number, its index + 1: Marten replaces a numeric id of 0 with one it generates.</summary>
    public long Id { get; set; }

    /// <summary>The leaf index (RFC 9162's position, from 0).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Index => Id - 1;

    /// <summary>The document id of leaf <paramref name="index"/>.</summary>
    public static long IdOf(long index) => index + 1;

    /// <summary>The event's global sequence (<c>mt_events.seq_id</c>).</summary>
    public long Sequence { get; set; }

    /// <summary>The RFC 9162 leaf hash, lowercase hex.</summary>
    public string Hash { get; set; } = "";
}

/// <summary>
/// The hash of one complete subtree above the leaves (<see cref="SubtreeAddress"/>, level ≥ 1), stored when its last
/// leaf arrives and never changed: any inclusion or consistency proof is a handful of these.
/// </summary>
public sealed class MerkleNode
{
    /// <summary><c>{level}/{index}</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Lowercase hex.</summary>
    public string Hash { get; set; } = "";

    public static string IdOf(SubtreeAddress address) =>
        string.Create(CultureInfo.InvariantCulture, $"{address.Level}/{address.Index}");
}

/// <summary>
/// Grows the store's RFC 9162 Merkle log in commit order (docs/transparency-log.md). Fed by
/// <see cref="EventLogSubscription"/> with the rows of one daemon page (only events below the high-water mark, in
/// sequence order); what it inserts commits with the page's progress in one transaction. Each page resumes from the
/// right edge of the tree as stored (O(log n) rows), so no append and no page ever rebuilds the tree. The leaves are
/// the rows as stored, not the events as deserialized.
/// </summary>
public sealed class MerkleLogWriter
{
    private readonly MerkleBuilder _builder;
    private long _lastSequence;

    private MerkleLogWriter(MerkleBuilder builder, long lastSequence)
    {
        _builder = builder;
        _lastSequence = lastSequence;
    }

    /// <summary>Rows at or below this sequence are leaves already (or below the page): the log needs the rows after it.</summary>
    public long After => _lastSequence;

    /// <summary>
    /// The log as committed, to grow from a page whose events follow <paramref name="pageFloor"/>: read again for every
    /// page, since a rewound or retried page must not add a leaf twice.
    /// </summary>
    public static async Task<MerkleLogWriter> ResumeAsync(IQuerySession operations, long pageFloor, CancellationToken ct)
    {
        var last = await operations.Query<MerkleLeaf>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        var builder = await MerkleLogReader.ResumeAsync(operations, last?.Id ?? 0, ct);
        // From its own last leaf, not the page's floor: the page's progress is the log chain's (one subscription for
        // both since issue 12), and a store whose Merkle log lagged its log chain must not skip what lies between.
        // An empty log starts at the floor, as before: truncating it stays visible to the audit, never silently rebuilt.
        return new MerkleLogWriter(builder, last?.Sequence ?? pageFloor);
    }

    /// <summary>Adds one committed event as the next leaf, with the subtrees it completes.</summary>
    public void Add(IDocumentOperations operations, EventLeaf row)
    {
        if (row.Sequence <= _lastSequence) return;
        foreach (var (address, hash) in _builder.Append(row.Hash()))
        {
            if (address.Level == 0)
                operations.Insert(new MerkleLeaf { Id = MerkleLeaf.IdOf(address.Index), Sequence = row.Sequence, Hash = Convert.ToHexStringLower(hash) });
            else
                operations.Insert(new MerkleNode { Id = MerkleNode.IdOf(address), Hash = Convert.ToHexStringLower(hash) });
        }

        _lastSequence = row.Sequence;
    }
}
