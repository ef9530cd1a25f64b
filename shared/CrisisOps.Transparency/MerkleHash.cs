using System.Buffers;
using System.Security.Cryptography;

namespace CrisisOps.Transparency;

/// <summary>
/// The hashes of an RFC 9162 Merkle tree (§2.1.1): SHA-256, a leaf hashed behind the byte 0x00 and an interior node
/// behind 0x01, so that no leaf can pass for a node (a second preimage).
/// </summary>
public static class MerkleHash
{
    /// <summary>The size of every hash, in bytes.</summary>
    public const int Size = 32;

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary><c>SHA-256(0x00 ‖ leaf)</c>.</summary>
    public static byte[] Leaf(ReadOnlySpan<byte> leaf)
    {
        var rented = ArrayPool<byte>.Shared.Rent(1 + leaf.Length);
        try
        {
            rented[0] = 0x00;
            leaf.CopyTo(rented.AsSpan(1));
            return SHA256.HashData(rented.AsSpan(0, 1 + leaf.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary><c>SHA-256(0x01 ‖ left ‖ right)</c>.</summary>
    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * Size];
        input[0] = 0x01;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + Size)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The largest power of two strictly below <paramref name="n"/> (n ≥ 2): where RFC 9162 splits a tree.</summary>
    public static long Split(long n) => n < 2 ? throw new ArgumentOutOfRangeException(nameof(n), n, "a tree of fewer than 2 leaves does not split")
        : 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    /// <summary>Whether <paramref name="n"/> is a power of two.</summary>
    public static bool IsPowerOfTwo(long n) => n > 0 && (n & (n - 1)) == 0;
}
