using System.Globalization;
using CrisisOps.Transparency;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>The store's Merkle log as stored: its size, its root and proofs, each from O(log n) rows read in one or two queries.</summary>
public static class MerkleLogReader
{
    /// <summary>Leaves in the log.</summary>
    public static async Task<long> SizeAsync(IQuerySession session, CancellationToken ct)
    {
        var last = await session.Query<MerkleLeaf>().OrderByDescending(l => l.Id).FirstOrDefaultAsync(ct);
        return last?.Id ?? 0;
    }

    /// <summary>The root of the first <paramref name="size"/> leaves.</summary>
    public static async Task<byte[]> RootAsync(IQuerySession session, long size, CancellationToken ct)
    {
        var subtrees = await LoadAsync(session, MerkleProofs.Needed(s => MerkleProofs.Root(size, s)), ct);
        return MerkleProofs.Root(size, subtrees);
    }

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/>.</summary>
    public static async Task<IReadOnlyList<byte[]>> InclusionAsync(IQuerySession session, long index, long size, CancellationToken ct)
    {
        var subtrees = await LoadAsync(session, MerkleProofs.Needed(s => MerkleProofs.Inclusion(index, size, s)), ct);
        return MerkleProofs.Inclusion(index, size, subtrees);
    }

    /// <summary>The consistency proof from the tree of <paramref name="first"/> to the one of <paramref name="second"/>.</summary>
    public static async Task<IReadOnlyList<byte[]>> ConsistencyAsync(IQuerySession session, long first, long second, CancellationToken ct)
    {
        var subtrees = await LoadAsync(session, MerkleProofs.Needed(s => MerkleProofs.Consistency(first, second, s)), ct);
        return MerkleProofs.Consistency(first, second, subtrees);
    }

    /// <summary>The tree of <paramref name="size"/> leaves, ready to grow, from its stored right edge.</summary>
    public static async Task<MerkleBuilder> ResumeAsync(IQuerySession session, long size, CancellationToken ct)
    {
        var frontier = SubtreeAddress.Frontier(size);
        var subtrees = await LoadAsync(session, frontier.ToHashSet(), ct);
        return new MerkleBuilder(size, frontier.Select(subtrees).ToList());
    }

    /// <summary>
    /// Loads the hashes of the subtrees named in one round trip (leaves and nodes in one statement: a proof at a million
    /// leaves is about 20 index look-ups, and a second round trip would cost more than they do); one that is not stored
    /// means the log is broken, and is refused.
    /// </summary>
    public static async Task<Func<SubtreeAddress, byte[]>> LoadAsync(IQuerySession session, IReadOnlySet<SubtreeAddress> needed, CancellationToken ct)
    {
        var hashes = new Dictionary<SubtreeAddress, byte[]>();
        var leaves = needed.Where(a => a.Level == 0).Select(a => MerkleLeaf.IdOf(a.Index)).ToArray();
        var nodes = needed.Where(a => a.Level > 0).ToDictionary(MerkleNode.IdOf);
        if (needed.Count > 0)
        {
            var schema = EventLeafRows.Quote(session.DocumentStore.Options.DatabaseSchemaName);
            // Each row is "<level>/<index> <hash>", the node's own id form: one text column is what a scalar query returns.
            var rows = await session.QueryAsync<string>(
                $"select '0/' || (l.id - 1) || ' ' || (l.data ->> 'Hash') from {schema}.mt_doc_merkleleaf l where l.id = any(?) "
                + $"union all select n.id || ' ' || (n.data ->> 'Hash') from {schema}.mt_doc_merklenode n where n.id = any(?)",
                ct, leaves, nodes.Keys.ToArray());
            // A row whose hash was nulled is no row: the subtree is then missing, and refused below.
            foreach (var row in rows.Where(r => r is not null))
            {
                var space = row.IndexOf(' ', StringComparison.Ordinal);
                var id = row[..space];
                var address = id.StartsWith("0/", StringComparison.Ordinal)
                    ? new SubtreeAddress(0, long.Parse(id.AsSpan(2), CultureInfo.InvariantCulture))
                    : nodes[id];
                hashes[address] = Convert.FromHexString(row.AsSpan(space + 1));
            }
        }

        var missing = needed.Where(a => !hashes.ContainsKey(a)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"the Merkle log is missing subtree(s) {string.Join(", ", missing.Take(5))}: it was truncated or never built");
        return address => hashes[address];
    }
}
