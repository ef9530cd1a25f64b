using System.Buffers.Binary;
using System.Text;

namespace CrisisOps.Transparency;

/// <summary>One signature line of a note: the key's name, its 4-byte id and the signature bytes after it.</summary>
public sealed record NoteSignature(string Name, uint KeyId, byte[] Signature)
{
    /// <summary>The line, <c>— name base64(key id ‖ signature)</c>, with its newline.</summary>
    public string Line()
    {
        var blob = new byte[4 + Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, KeyId);
        Signature.CopyTo(blob, 4);
        return $"{SignedNote.Dash} {Name} {Convert.ToBase64String(blob)}\n";
    }
}

/// <summary>
/// A C2SP signed note: a UTF-8 text ending in a newline, a blank line, then one line per signature. Signing and
/// verifying are over the text (with its final newline); the verifier must already know the keys, and signatures by
/// keys it does not know are kept but ignored (they may be other witnesses').
/// </summary>
public sealed record SignedNote(string Text, IReadOnlyList<NoteSignature> Signatures)
{
    /// <summary>The em dash (U+2014) that opens a signature line.</summary>
    public const string Dash = "\u2014";

    /// <summary>The note as it is published.</summary>
    public override string ToString() => Text + "\n" + string.Concat(Signatures.Select(s => s.Line()));

    /// <summary>Signs <paramref name="text"/> with Ed25519 keys (type 0x01).</summary>
    public static SignedNote Sign(string text, params NoteKey[] keys)
    {
        CheckText(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return new SignedNote(text, keys.Select(k => k.Verifier.Type == NoteKeyType.Ed25519
            ? new NoteSignature(k.Name, k.Verifier.KeyId, k.Sign(bytes))
            : throw new ArgumentException($"key {k.Name} is a cosigner key: cosign with Cosignature.Sign")).ToList());
    }

    /// <summary>This note with one more signature (a cosignature, or the same line another party sent).</summary>
    public SignedNote With(NoteSignature signature) =>
        Signatures.Any(s => s.Name == signature.Name && s.KeyId == signature.KeyId) ? this : this with { Signatures = [.. Signatures, signature] };

    /// <summary>Whether the Ed25519 key <paramref name="key"/> signed this note, validly.</summary>
    public bool IsSignedBy(NoteVerifierKey key)
    {
        if (key.Type != NoteKeyType.Ed25519) return false;
        var matching = Signatures.Where(s => s.Name == key.Name && s.KeyId == key.KeyId).ToList();
        var text = Encoding.UTF8.GetBytes(Text);
        return matching.Count > 0 && matching.All(s => key.Verify(text, s.Signature));
    }

    /// <summary>Reads a signed note; a malformed one is refused saying why.</summary>
    public static SignedNote Parse(string note)
    {
        if (note.Any(c => c < 0x20 && c != '\n')) throw new FormatException("a signed note holds no control characters but newlines");
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new FormatException("a signed note is a text, a blank line and signature lines; this one has no blank line");
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..];
        if (!lines.EndsWith('\n')) throw new FormatException("the last signature line of the note does not end in a newline");
        var signatures = new List<NoteSignature>();
        foreach (var line in lines[..^1].Split('\n'))
        {
            var fields = line.Split(' ');
            if (fields.Length != 3 || fields[0] != Dash) throw new FormatException($"'{line}' is not a signature line (— name base64)");
            byte[] blob;
            try
            {
                blob = Convert.FromBase64String(fields[2]);
            }
            catch (FormatException)
            {
                throw new FormatException($"the signature of {fields[1]} is not base64");
            }

            if (blob.Length < 5) throw new FormatException($"the signature of {fields[1]} is too short");
            signatures.Add(new NoteSignature(NoteKey.CheckName(fields[1]), BinaryPrimitives.ReadUInt32BigEndian(blob), blob[4..]));
        }

        if (signatures.Count == 0) throw new FormatException("the note has no signature");
        return new SignedNote(text, signatures);
    }

    private static void CheckText(string text)
    {
        if (!text.EndsWith('\n')) throw new ArgumentException("a note's text ends in a newline");
        if (text.Any(c => c < 0x20 && c != '\n')) throw new ArgumentException("a note's text holds no control characters but newlines");
    }
}
