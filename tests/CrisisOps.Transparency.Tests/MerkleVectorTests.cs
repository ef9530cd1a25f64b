using System.Text;
using Xunit;

namespace CrisisOps.Transparency.Tests;

/// <summary>
/// The RFC 6962 / RFC 9162 reference vectors every Certificate Transparency implementation is tested against (the
/// eight inputs and roots of the C++ reference tree, as Trillian and transparency-dev carry them).
/// </summary>
public sealed class MerkleVectorTests
{
    private static readonly byte[][] Inputs =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    private static readonly string[] Roots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    [Fact]
    public void The_root_of_each_prefix_of_the_reference_tree_is_the_reference_root()
    {
        var builder = new MerkleBuilder();
        for (var i = 0; i < Inputs.Length; i++)
        {
            builder.Append(MerkleHash.Leaf(Inputs[i]));
            Assert.Equal(Roots[i], Convert.ToHexStringLower(builder.Root()));
        }
    }

    [Fact]
    public void The_empty_tree_has_the_hash_of_nothing_as_its_root() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleHash.EmptyRoot()));

    [Fact]
    public void The_reference_inclusion_proof_of_the_first_leaf_in_eight_is_served_and_verifies()
    {
        var tree = new MemoryTree(Inputs.Select(l => MerkleHash.Leaf(l)));
        var proof = MerkleProofs.Inclusion(0, 8, tree.Subtree);

        Assert.Equal(
            ["96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
             "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"],
            proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerifier.VerifyInclusion(0, 8, MerkleHash.Leaf(Inputs[0]), proof, Convert.FromHexString(Roots[7])));
    }

    [Fact]
    public void The_reference_consistency_proof_from_two_to_five_leaves_is_served_and_verifies()
    {
        var tree = new MemoryTree(Inputs.Select(l => MerkleHash.Leaf(l)));
        var proof = MerkleProofs.Consistency(2, 5, tree.Subtree);

        Assert.Equal(
            ["5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
             "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"],
            proof.Select(Convert.ToHexStringLower));
        Assert.True(MerkleVerifier.VerifyConsistency(2, 5, Convert.FromHexString(Roots[1]), Convert.FromHexString(Roots[4]), proof));
        Assert.False(MerkleVerifier.VerifyConsistency(2, 5, Convert.FromHexString(Roots[2]), Convert.FromHexString(Roots[4]), proof));
    }

    [Fact]
    public void Proofs_served_from_complete_subtrees_read_logarithmically_many_of_them()
    {
        var tree = new MemoryTree(Enumerable.Range(0, 1_000_003).Select(i => MerkleHash.Leaf(Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        var inclusion = MerkleProofs.Needed(s => MerkleProofs.Inclusion(123_456, 1_000_003, s));
        var consistency = MerkleProofs.Needed(s => MerkleProofs.Consistency(777_777, 1_000_003, s));

        Assert.InRange(inclusion.Count, 1, 2 * 20);
        Assert.InRange(consistency.Count, 1, 3 * 20);
        Assert.True(MerkleVerifier.VerifyInclusion(123_456, 1_000_003, tree.Subtree(new SubtreeAddress(0, 123_456)),
            MerkleProofs.Inclusion(123_456, 1_000_003, tree.Subtree), MerkleProofs.Root(1_000_003, tree.Subtree)));
    }
}

/// <summary>A tree in memory keeping every complete subtree, as the log's table does.</summary>
internal sealed class MemoryTree
{
    private readonly Dictionary<SubtreeAddress, byte[]> _subtrees = [];
    private readonly MerkleBuilder _builder = new();

    public MemoryTree(IEnumerable<byte[]> leafHashes)
    {
        foreach (var leaf in leafHashes) Append(leaf);
    }

    public long Size => _builder.Size;

    public void Append(byte[] leafHash)
    {
        foreach (var (address, hash) in _builder.Append(leafHash)) _subtrees.Add(address, hash);
    }

    public byte[] Subtree(SubtreeAddress address) =>
        _subtrees.TryGetValue(address, out var hash) ? hash : throw new KeyNotFoundException($"no complete subtree {address}");
}
