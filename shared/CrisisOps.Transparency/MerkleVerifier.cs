namespace CrisisOps.Transparency;

/// <summary>
/// Verifies RFC 9162 proofs (§2.1.3.2 inclusion, §2.1.4.2 consistency) exactly as the RFC states the algorithms. This is
/// the code an outside verifier relies on, so it depends on nothing but the hashes (immudb's advisory
/// GHSA-672p-m5jq-mrh8 is what a verifier that trusts the server's proof structure looks like).
/// </summary>
public static class MerkleVerifier
{
    /// <summary>Whether <paramref name="path"/> proves leaf <paramref name="index"/> (hash <paramref name="leafHash"/>) in the tree of <paramref name="size"/> with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != MerkleHash.Size || root.Length != MerkleHash.Size) return false;
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (p.Length != MerkleHash.Size || sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = MerkleHash.Node(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = MerkleHash.Node(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>Whether <paramref name="proof"/> shows the tree of <paramref name="first"/> (<paramref name="firstRoot"/>) is a prefix of the tree of <paramref name="second"/> (<paramref name="secondRoot"/>).</summary>
    public static bool VerifyConsistency(long first, long second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first < 0 || second < first || firstRoot.Length != MerkleHash.Size || secondRoot.Length != MerkleHash.Size) return false;
        if (first == second) return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        // Every tree extends the empty one; the RFC's algorithm starts at a size of at least one.
        if (first == 0) return proof.Count == 0;
        if (proof.Count == 0 || proof.Any(p => p.Length != MerkleHash.Size)) return false;

        var path = MerkleHash.IsPowerOfTwo(first) ? [firstRoot.ToArray(), .. proof] : proof.ToList();
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = MerkleHash.Node(c, fr);
                sr = MerkleHash.Node(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = MerkleHash.Node(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot);
    }
}
