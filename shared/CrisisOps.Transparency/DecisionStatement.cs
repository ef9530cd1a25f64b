using System.Buffers.Binary;
using System.Text;

namespace CrisisOps.Transparency;

/// <summary>
/// What a service signs when it records a decision (docs/transparency-log.md §6): what is known at append, before the
/// commit gives the event its position and time. The stream, version, type, data, actor, headers (the signature
/// headers themselves left out) and the event id, encoded as the leaf encodes them, behind a domain-separation line,
/// so a decision signature can never pass for a checkpoint's or anything else's.
/// </summary>
public static class DecisionStatement
{
    /// <summary>The header that carries the signature: base64 of the signing key's 4-byte id and the 64-byte Ed25519 signature.</summary>
    public const string SignatureHeader = "decision-signature";

    /// <summary>The header that names the signing key (its signed-note name).</summary>
    public const string KeyHeader = "decision-key";

    private static readonly byte[] Domain = "crisisops/decision-signature/v1\n"u8.ToArray();

    /// <summary>The bytes signed.</summary>
    public static byte[] Encode(Guid eventId, string streamKey, long version, string eventType, string? actor,
        ReadOnlySpan<byte> canonicalHeaders, ReadOnlySpan<byte> canonicalData)
    {
        using var buffer = new MemoryStream();
        buffer.Write(Domain);
        Span<byte> scratch = stackalloc byte[16];
        eventId.TryWriteBytes(scratch, bigEndian: true, out _);
        buffer.Write(scratch);
        Text(buffer, streamKey);
        BinaryPrimitives.WriteInt64BigEndian(scratch, version);
        buffer.Write(scratch[..8]);
        Text(buffer, eventType);
        buffer.WriteByte(actor is null ? (byte)0 : (byte)1);
        if (actor is not null) Text(buffer, actor);
        Bytes(buffer, canonicalHeaders);
        Bytes(buffer, canonicalData);
        return buffer.ToArray();
    }

    /// <summary>The signature header's value.</summary>
    public static string Header(NoteKey key, byte[] statement)
    {
        var blob = new byte[4 + 64];
        BinaryPrimitives.WriteUInt32BigEndian(blob, key.Verifier.KeyId);
        key.Sign(statement).CopyTo(blob, 4);
        return Convert.ToBase64String(blob);
    }

    /// <summary>Whether <paramref name="header"/> is <paramref name="key"/>'s valid signature of <paramref name="statement"/>.</summary>
    public static bool Verify(NoteVerifierKey key, string header, byte[] statement)
    {
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(header);
        }
        catch (FormatException)
        {
            return false;
        }

        return blob.Length == 68 && BinaryPrimitives.ReadUInt32BigEndian(blob) == key.KeyId && key.Verify(statement, blob.AsSpan(4));
    }

    private static void Text(MemoryStream buffer, string value) => Bytes(buffer, Encoding.UTF8.GetBytes(value));

    private static void Bytes(MemoryStream buffer, ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        buffer.Write(length);
        buffer.Write(value);
    }
}
