using CsCheck;
using Xunit;

namespace CrisisOps.Transparency.Tests;

/// <summary>
/// Over random trees: every proof the log serves verifies, against a root computed independently (by the RFC's
/// recursive definition over the leaves), and flipping any byte of a proof, a leaf or a root makes it fail.
/// </summary>
public sealed class MerkleProofPropertyTests
{
    // Each leaf starts with its position, so no two are equal (equal siblings would make a proof hold at either place).
    private static readonly Gen<byte[][]> Leaves = Gen.Byte.Array[0, 12].Array[1, 300]
        .Select(leaves => leaves.Select((l, i) => (byte[])[.. BitConverter.GetBytes(i), .. l]).ToArray());

    [Fact]
    public void The_incremental_root_is_the_recursive_definition_of_RFC_9162() =>
        Leaves.Sample(leaves =>
        {
            var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
            var tree = new MemoryTree(hashes);
            return Reference(hashes).AsSpan().SequenceEqual(MerkleProofs.Root(tree.Size, tree.Subtree));
        });

    [Fact]
    public void A_tree_grown_without_reporting_its_subtrees_has_the_root_of_one_grown_with_them_at_every_size() =>
        Leaves.Sample(leaves =>
        {
            var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
            var (reporting, silent) = (new MerkleBuilder(), new MerkleBuilder());
            for (var i = 0; i < hashes.Length; i++)
            {
                reporting.Append(hashes[i]);
                silent.Add(hashes[i]);
                if (!silent.Root().AsSpan().SequenceEqual(reporting.Root()) || !silent.Root().AsSpan().SequenceEqual(Reference(hashes.AsSpan(0, i + 1))))
                    return false;
            }

            return silent.Size == hashes.Length;
        });

    [Fact]
    public void Every_inclusion_proof_verifies_and_any_flipped_byte_fails() =>
        Gen.Select(Leaves, Gen.Int.Positive, Gen.Int.Positive, Gen.Int[0, 255]).Sample((leaves, a, b, bit) =>
        {
            var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
            var tree = new MemoryTree(hashes);
            var size = 1 + (a % hashes.Length);
            var index = b % size;
            var root = Reference(hashes.AsSpan(0, size));
            var proof = MerkleProofs.Inclusion(index, size, tree.Subtree);
            if (!MerkleVerifier.VerifyInclusion(index, size, hashes[index], proof, root)) return false;
            if (size > 1 && MerkleVerifier.VerifyInclusion((index + 1) % size, size, hashes[index], proof, root)) return false;
            if (MerkleVerifier.VerifyInclusion(index, size, Flip(hashes[index], bit), proof, root)) return false;
            if (MerkleVerifier.VerifyInclusion(index, size, hashes[index], proof, Flip(root, bit))) return false;
            for (var i = 0; i < proof.Count; i++)
            {
                var tampered = proof.ToArray();
                tampered[i] = Flip(tampered[i], bit);
                if (MerkleVerifier.VerifyInclusion(index, size, hashes[index], tampered, root)) return false;
            }

            return proof.Count == 0 || !MerkleVerifier.VerifyInclusion(index, size, hashes[index], proof.Take(proof.Count - 1).ToList(), root);
        });

    [Fact]
    public void Every_consistency_proof_verifies_and_any_flipped_byte_fails() =>
        Gen.Select(Leaves, Gen.Int.Positive, Gen.Int.Positive, Gen.Int[0, 255]).Sample((leaves, a, b, bit) =>
        {
            var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
            var tree = new MemoryTree(hashes);
            var second = 1 + (a % hashes.Length);
            var first = b % (second + 1);
            var firstRoot = Reference(hashes.AsSpan(0, first));
            var secondRoot = Reference(hashes.AsSpan(0, second));
            var proof = MerkleProofs.Consistency(first, second, tree.Subtree);
            if (!MerkleVerifier.VerifyConsistency(first, second, firstRoot, secondRoot, proof)) return false;
            if (first == 0) return true;
            if (MerkleVerifier.VerifyConsistency(first, second, Flip(firstRoot, bit), secondRoot, proof)) return false;
            if (MerkleVerifier.VerifyConsistency(first, second, firstRoot, Flip(secondRoot, bit), proof)) return false;
            for (var i = 0; i < proof.Count; i++)
            {
                var tampered = proof.ToArray();
                tampered[i] = Flip(tampered[i], bit);
                if (MerkleVerifier.VerifyConsistency(first, second, firstRoot, secondRoot, tampered)) return false;
            }

            return true;
        });

    [Fact]
    public void A_tree_resumed_from_its_stored_frontier_grows_to_the_same_root() =>
        Gen.Select(Leaves, Gen.Int.Positive).Sample((leaves, a) =>
        {
            var hashes = leaves.Select(l => MerkleHash.Leaf(l)).ToArray();
            var tree = new MemoryTree(hashes);
            var cut = a % (hashes.Length + 1);
            var resumed = new MerkleBuilder(cut, SubtreeAddress.Frontier(cut).Select(tree.Subtree).ToList());
            foreach (var h in hashes[cut..]) resumed.Append(h);
            return resumed.Root().AsSpan().SequenceEqual(Reference(hashes));
        });

    /// <summary>MTH as RFC 9162 §2.1.1 defines it, straight over the leaf hashes.</summary>
    private static byte[] Reference(ReadOnlySpan<byte[]> leaves)
    {
        if (leaves.Length == 0) return MerkleHash.EmptyRoot();
        if (leaves.Length == 1) return leaves[0];
        var k = (int)MerkleHash.Split(leaves.Length);
        return MerkleHash.Node(Reference(leaves[..k]), Reference(leaves[k..]));
    }

    private static byte[] Flip(byte[] hash, int bit)
    {
        var copy = hash.ToArray();
        copy[bit / 8 % copy.Length] ^= (byte)(1 << (bit % 8));
        return copy;
    }
}
