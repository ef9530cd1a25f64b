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

    /// <summary>Loads the hashes of the subtrees named; one that is not stored means the log is broken, and is refused.</summary>
    public static async Task<Func<SubtreeAddress, byte[]>> LoadAsync(IQuerySession session, IReadOnlySet<SubtreeAddress> needed, CancellationToken ct)
    {
        var hashes = new Dictionary<SubtreeAddress, byte[]>();
        var leaves = needed.Where(a => a.Level == 0).Select(a => MerkleLeaf.IdOf(a.Index)).ToArray();
        if (leaves.Length > 0)
            foreach (var leaf in await session.LoadManyAsync<MerkleLeaf>(ct, leaves))
                hashes[new SubtreeAddress(0, leaf.Index)] = Convert.FromHexString(leaf.Hash);
        var nodes = needed.Where(a => a.Level > 0).ToDictionary(MerkleNode.IdOf);
        if (nodes.Count > 0)
            foreach (var node in await session.LoadManyAsync<MerkleNode>(ct, nodes.Keys.ToArray()))
                hashes[nodes[node.Id]] = Convert.FromHexString(node.Hash);
        var missing = needed.Where(a => !hashes.ContainsKey(a)).ToList();
        if (missing.Count > 0)
            throw new InvalidOperationException($"the Merkle log is missing subtree(s) {string.Join(", ", missing.Take(5))}: it was truncated or never built");
        return address => hashes[address];
    }
}
