namespace CrisisOps.Transparency;

/// <summary>
/// A Merkle tree grown one leaf at a time in O(log n) memory: only the right edge (one complete subtree per bit of the
/// size) is kept. Each append reports the complete subtrees it finished, which is all a log stores; the root of the
/// current size is folded from the edge. The log's writer and the auditor's recomputation both use it.
/// </summary>
public sealed class MerkleBuilder
{
    private readonly List<(SubtreeAddress Address, byte[] Hash)> _edge = [];

    /// <summary>An empty tree.</summary>
    public MerkleBuilder()
    {
    }

    /// <summary>
    /// Resumes a tree of <paramref name="size"/> leaves from its right edge (<see cref="SubtreeAddress.Frontier"/> of the
    /// size, left to right), as stored.
    /// </summary>
    public MerkleBuilder(long size, IReadOnlyList<byte[]> frontier)
    {
        var addresses = SubtreeAddress.Frontier(size);
        if (addresses.Count != frontier.Count)
            throw new ArgumentException($"a tree of {size} leaves has {addresses.Count} frontier subtrees, not {frontier.Count}");
        for (var i = 0; i < addresses.Count; i++) _edge.Add((addresses[i], frontier[i]));
        Size = size;
    }

    /// <summary>Leaves so far.</summary>
    public long Size { get; private set; }

    /// <summary>Appends one leaf hash; returns the complete subtrees this leaf finished, from the leaf itself upwards.</summary>
    public IReadOnlyList<(SubtreeAddress Address, byte[] Hash)> Append(byte[] leafHash)
    {
        var finished = new List<(SubtreeAddress, byte[])>();
        Grow(leafHash, finished);
        return finished;
    }

    /// <summary>Appends one leaf hash, for a verifier that keeps no subtree: nothing is allocated but the hashes.</summary>
    public void Add(byte[] leafHash) => Grow(leafHash, null);

    private void Grow(byte[] leafHash, List<(SubtreeAddress, byte[])>? finished)
    {
        var current = (Address: new SubtreeAddress(0, Size), Hash: leafHash);
        finished?.Add(current);
        while (_edge.Count > 0 && _edge[^1].Address.Level == current.Address.Level)
        {
            var left = _edge[^1];
            _edge.RemoveAt(_edge.Count - 1);
            current = (new SubtreeAddress(current.Address.Level + 1, left.Address.Index >> 1), MerkleHash.Node(left.Hash, current.Hash));
            finished?.Add(current);
        }

        _edge.Add(current);
        Size++;
    }

    /// <summary>The root of the tree as it stands.</summary>
    public byte[] Root()
    {
        if (_edge.Count == 0) return MerkleHash.EmptyRoot();
        var root = _edge[^1].Hash;
        for (var i = _edge.Count - 2; i >= 0; i--) root = MerkleHash.Node(_edge[i].Hash, root);
        return root;
    }
}
