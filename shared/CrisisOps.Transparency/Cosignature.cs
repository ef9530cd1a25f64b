using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace CrisisOps.Transparency;

/// <summary>
/// C2SP tlog-cosignature, cosignature/v1 (Ed25519): a witness's statement that, at its timestamp, the checkpoint is the
/// largest consistent tree it has seen of that log. The signed message is <c>cosignature/v1\n</c>, <c>time T\n</c> and the
/// checkpoint's whole note text; the signature line carries the key id, T as 8 bytes big-endian and the signature.
/// </summary>
public static class Cosignature
{
    /// <summary>Cosigns <paramref name="checkpoint"/> at <paramref name="time"/> with a cosigner key (type 0x04).</summary>
    public static NoteSignature Sign(SignedCheckpoint checkpoint, NoteKey witness, DateTimeOffset time)
    {
        if (witness.Verifier.Type != NoteKeyType.Cosignature) throw new ArgumentException($"key {witness.Name} is not a cosigner key (type 0x04)");
        var seconds = (ulong)time.ToUnixTimeSeconds();
        var signature = witness.Sign(Message(checkpoint.Note.Text, seconds));
        var blob = new byte[8 + signature.Length];
        BinaryPrimitives.WriteUInt64BigEndian(blob, seconds);
        signature.CopyTo(blob, 8);
        return new NoteSignature(witness.Name, witness.Verifier.KeyId, blob);
    }

    /// <summary>The moment of the witness's valid cosignature on the checkpoint, or null when it has none that verifies.</summary>
    public static DateTimeOffset? VerifiedBy(SignedCheckpoint checkpoint, NoteVerifierKey witness)
    {
        if (witness.Type != NoteKeyType.Cosignature) return null;
        foreach (var s in checkpoint.Note.Signatures.Where(s => s.Name == witness.Name && s.KeyId == witness.KeyId && s.Signature.Length == 72))
        {
            var seconds = BinaryPrimitives.ReadUInt64BigEndian(s.Signature);
            if (seconds > long.MaxValue) continue;
            if (witness.Verify(Message(checkpoint.Note.Text, seconds), s.Signature.AsSpan(8))) return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
        }

        return null;
    }

    private static byte[] Message(string body, ulong seconds) =>
        Encoding.UTF8.GetBytes($"cosignature/v1\ntime {seconds.ToString(CultureInfo.InvariantCulture)}\n{body}");
}
