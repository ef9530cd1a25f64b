namespace CrisisOps.Transparency;

/// <summary>
/// A complete subtree of a Merkle log: the <see cref="Index"/>-th run of 2^<see cref="Level"/> leaves, covering leaves
/// [Index·2^Level, (Index+1)·2^Level). Level 0 is a leaf hash. A log stores the hash of every complete subtree once,
/// when its last leaf arrives, and never changes it: any proof is then a handful of these.
/// </summary>
public readonly record struct SubtreeAddress(int Level, long Index)
{
    /// <summary>The first leaf the subtree covers.</summary>
    public long Start => Index << Level;

    /// <summary>How many leaves it covers.</summary>
    public long Count => 1L << Level;

    /// <summary>The subtree of <paramref name="count"/> leaves (a power of two) from <paramref name="start"/> (a multiple of it).</summary>
    public static SubtreeAddress Of(long start, long count)
    {
        if (!MerkleHash.IsPowerOfTwo(count) || start % count != 0)
            throw new ArgumentException($"leaves [{start}, {start + count}) are not one complete subtree");
        var level = 63 - (int)long.LeadingZeroCount(count);
        return new SubtreeAddress(level, start >> level);
    }

    /// <summary>
    /// The complete subtrees a tree of <paramref name="size"/> leaves decomposes into, left to right (one per bit of the
    /// size): its root is their hashes folded from the right.
    /// </summary>
    public static IReadOnlyList<SubtreeAddress> Frontier(long size)
    {
        var frontier = new List<SubtreeAddress>();
        for (var level = 62; level >= 0; level--)
        {
            if ((size & (1L << level)) == 0) continue;
            var start = size >> (level + 1) << (level + 1);
            frontier.Add(new SubtreeAddress(level, start >> level));
        }

        return frontier;
    }
}
