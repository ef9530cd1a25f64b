using System.Globalization;
using CrisisOps.Transparency;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;

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
/// Grows the store's RFC 9162 Merkle log in commit order (docs/transparency-log.md). It runs in the async daemon, which
/// passes only events below the high-water mark and in sequence order, and commits what it inserts with its progress in
/// one transaction; each page resumes from the right edge of the tree as stored (O(log n) rows), so no append and no
/// page ever rebuilds the tree. The leaves are read from the rows as stored, not from the events as deserialized.
/// </summary>
public sealed class MerkleLogSubscription : SubscriptionBase
{
    /// <summary>The subscription's name (its progress row in <c>mt_event_progression</c>).</summary>
    public const string SubscriptionName = "merkle-log";

    private readonly string _connection;
    private readonly string _schema;

    public MerkleLogSubscription(string connection, string schema)
    {
        _connection = connection;
        _schema = schema;
        Name = SubscriptionName;
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // Read again for every page: a rewound or retried page must not add a leaf twice.
        var last = await operations.Query<MerkleLeaf>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(cancellationToken);
        var size = last?.Id ?? 0;
        var builder = await MerkleLogReader.ResumeAsync(operations, size, cancellationToken);
        var after = Math.Max(last?.Sequence ?? 0, page.SequenceFloor);

        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(cancellationToken);
        await foreach (var leaf in EventLeafRows.ReadAsync(connection, _schema, after, page.SequenceCeiling, cancellationToken))
        {
            foreach (var (address, hash) in builder.Append(leaf.Hash()))
            {
                if (address.Level == 0)
                    operations.Insert(new MerkleLeaf { Id = MerkleLeaf.IdOf(address.Index), Sequence = leaf.Sequence, Hash = Convert.ToHexStringLower(hash) });
                else
                    operations.Insert(new MerkleNode { Id = MerkleNode.IdOf(address), Hash = Convert.ToHexStringLower(hash) });
            }
        }

        return NullChangeListener.Instance;
    }
}
