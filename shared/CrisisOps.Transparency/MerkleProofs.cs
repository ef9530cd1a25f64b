namespace CrisisOps.Transparency;

/// <summary>
/// Builds RFC 9162 proofs (§2.1.3.1 inclusion, §2.1.4.1 consistency) from the hashes of complete subtrees, so a log
/// that stores each complete subtree once (<see cref="SubtreeAddress"/>) answers any proof from O(log n) stored hashes.
/// The recursion follows the RFC's PATH and SUBPROOF definitions over leaf ranges; every range it asks for is aligned,
/// and at most one (the right edge of the tree) is not a complete subtree, which <see cref="RangeHash"/> folds from
/// its complete parts.
/// </summary>
public static class MerkleProofs
{
    /// <summary>The complete-subtree hashes a proof needs: what a store reads in one query before building it.</summary>
    public static IReadOnlySet<SubtreeAddress> Needed(Action<Func<SubtreeAddress, byte[]>> build)
    {
        var needed = new HashSet<SubtreeAddress>();
        var zero = new byte[MerkleHash.Size];
        build(address =>
        {
            needed.Add(address);
            return zero;
        });
        return needed;
    }

    /// <summary>The root of the first <paramref name="size"/> leaves (MTH(D[0:size])).</summary>
    public static byte[] Root(long size, Func<SubtreeAddress, byte[]> subtree) =>
        size == 0 ? MerkleHash.EmptyRoot() : RangeHash(0, size, subtree);

    /// <summary>The inclusion proof of leaf <paramref name="index"/> in the tree of <paramref name="size"/> leaves.</summary>
    public static IReadOnlyList<byte[]> Inclusion(long index, long size, Func<SubtreeAddress, byte[]> subtree)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), index, $"no leaf {index} in a tree of {size}");
        var path = new List<byte[]>();
        Path(index, 0, size, subtree, path);
        return path;
    }

    /// <summary>The consistency proof from the tree of <paramref name="first"/> leaves to the one of <paramref name="second"/>.</summary>
    public static IReadOnlyList<byte[]> Consistency(long first, long second, Func<SubtreeAddress, byte[]> subtree)
    {
        if (first < 0 || first > second) throw new ArgumentOutOfRangeException(nameof(first), first, $"a tree of {first} is not a prefix of one of {second}");
        var proof = new List<byte[]>();
        if (first > 0 && first < second) SubProof(first, 0, second, true, subtree, proof);
        return proof;
    }

    /// <summary>MTH(D[lo:hi]) for an aligned range: one stored hash when it is a complete subtree, else folded from its parts.</summary>
    public static byte[] RangeHash(long lo, long hi, Func<SubtreeAddress, byte[]> subtree)
    {
        var n = hi - lo;
        if (MerkleHash.IsPowerOfTwo(n) && lo % n == 0) return subtree(SubtreeAddress.Of(lo, n));
        var k = MerkleHash.Split(n);
        return MerkleHash.Node(RangeHash(lo, lo + k, subtree), RangeHash(lo + k, hi, subtree));
    }

    private static void Path(long m, long lo, long hi, Func<SubtreeAddress, byte[]> subtree, List<byte[]> path)
    {
        var n = hi - lo;
        if (n == 1) return;
        var k = MerkleHash.Split(n);
        if (m < k)
        {
            Path(m, lo, lo + k, subtree, path);
            path.Add(RangeHash(lo + k, hi, subtree));
        }
        else
        {
            Path(m - k, lo + k, hi, subtree, path);
            path.Add(RangeHash(lo, lo + k, subtree));
        }
    }

    private static void SubProof(long m, long lo, long hi, bool complete, Func<SubtreeAddress, byte[]> subtree, List<byte[]> proof)
    {
        var n = hi - lo;
        if (m == n)
        {
            if (!complete) proof.Add(RangeHash(lo, hi, subtree));
            return;
        }

        var k = MerkleHash.Split(n);
        if (m <= k)
        {
            SubProof(m, lo, lo + k, complete, subtree, proof);
            proof.Add(RangeHash(lo + k, hi, subtree));
        }
        else
        {
            SubProof(m - k, lo + k, hi, false, subtree, proof);
            proof.Add(RangeHash(lo, lo + k, subtree));
        }
    }
}
