using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NSec.Cryptography;

namespace CrisisOps.Transparency;

/// <summary>The signature types of C2SP signed-note that CrisisOps uses.</summary>
public enum NoteKeyType : byte
{
    /// <summary>Ed25519 over the note text: a log's checkpoint key, and a service's decision key.</summary>
    Ed25519 = 0x01,

    /// <summary>A timestamped Ed25519 cosignature (C2SP tlog-cosignature, cosignature/v1): a witness's key.</summary>
    Cosignature = 0x04,
}

/// <summary>
/// The public half of a signed-note key: a name (a schema-less URL, no spaces or '+'), a type and 32 bytes of Ed25519
/// public key. Written as a C2SP verifier key, <c>name+hex key id+base64(type ‖ key)</c>, the form other
/// implementations (Go's sumdb/note, the transparency-dev witnesses) read.
/// </summary>
public sealed record NoteVerifierKey(string Name, NoteKeyType Type, byte[] PublicKey)
{
    /// <summary><c>SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]</c>, big-endian.</summary>
    public uint KeyId { get; } = KeyIdOf(Name, Type, PublicKey);

    /// <summary>The verifier key text.</summary>
    public override string ToString() =>
        $"{Name}+{KeyId:x8}+{Convert.ToBase64String([(byte)Type, .. PublicKey])}";

    /// <summary>Whether <paramref name="signature"/> is this key's Ed25519 signature of <paramref name="message"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64) return false;
        if (!NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, PublicKey, KeyBlobFormat.RawPublicKey, out var key)) return false;
        return SignatureAlgorithm.Ed25519.Verify(key!, message, signature);
    }

    /// <summary>Reads a verifier key; a bad one is refused saying why.</summary>
    public static NoteVerifierKey Parse(string text)
    {
        var parts = text.Trim().Split('+', 3);
        if (parts.Length != 3) throw new FormatException($"'{text}' is not a verifier key (name+keyid+base64key)");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new FormatException($"the key of verifier key '{parts[0]}' is not base64");
        }

        if (blob.Length != 33 || blob[0] is not ((byte)NoteKeyType.Ed25519 or (byte)NoteKeyType.Cosignature))
            throw new FormatException($"verifier key '{parts[0]}' is not an Ed25519 key (type 0x01 or 0x04, 32 bytes)");
        var key = new NoteVerifierKey(NoteKey.CheckName(parts[0]), (NoteKeyType)blob[0], blob[1..]);
        if (!uint.TryParse(parts[1], System.Globalization.NumberStyles.HexNumber, null, out var id) || parts[1].Length != 8 || id != key.KeyId)
            throw new FormatException($"verifier key '{parts[0]}' names key id {parts[1]}, but its key has id {key.KeyId:x8}");
        return key;
    }

    internal static uint KeyIdOf(string name, NoteKeyType type, byte[] publicKey)
    {
        var input = new byte[Encoding.UTF8.GetByteCount(name) + 2 + publicKey.Length];
        var at = Encoding.UTF8.GetBytes(name, input);
        input[at++] = 0x0A;
        input[at++] = (byte)type;
        publicKey.CopyTo(input, at);
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }
}

/// <summary>
/// A signed-note private key: Ed25519, held in a file outside PostgreSQL and loaded at start. Written as
/// <c>PRIVATE+KEY+name+hex key id+base64(type ‖ 32-byte seed)</c>, the form of Go's sumdb/note.
/// </summary>
public sealed class NoteKey : IDisposable
{
    private readonly Key _key;

    private NoteKey(string name, NoteKeyType type, Key key)
    {
        _key = key;
        Verifier = new NoteVerifierKey(name, type, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>The public half.</summary>
    public NoteVerifierKey Verifier { get; }

    /// <summary>The key's name.</summary>
    public string Name => Verifier.Name;

    /// <summary>A new random key.</summary>
    public static NoteKey Generate(string name, NoteKeyType type) =>
        new(CheckName(name), type, Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport }));

    /// <summary>Reads a private key's text; a bad one is refused saying why (never echoing the key).</summary>
    public static NoteKey Parse(string text)
    {
        var parts = text.Trim().Split('+', 5);
        if (parts.Length != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY")
            throw new FormatException("not a signed-note private key (PRIVATE+KEY+name+keyid+base64key)");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[4]);
        }
        catch (FormatException)
        {
            throw new FormatException($"the private key '{parts[2]}' is not base64");
        }

        if (blob.Length != 33 || blob[0] is not ((byte)NoteKeyType.Ed25519 or (byte)NoteKeyType.Cosignature))
            throw new FormatException($"the private key '{parts[2]}' is not an Ed25519 key (type 0x01 or 0x04, 32-byte seed)");
        var key = Key.Import(SignatureAlgorithm.Ed25519, blob.AsSpan(1), KeyBlobFormat.RawPrivateKey,
            new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        var note = new NoteKey(CheckName(parts[2]), (NoteKeyType)blob[0], key);
        if (!string.Equals(parts[3], note.Verifier.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase))
        {
            note.Dispose();
            throw new FormatException($"the private key '{parts[2]}' names key id {parts[3]}, which is not its key's id");
        }

        return note;
    }

    /// <summary>Reads a private key file.</summary>
    public static NoteKey Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>The private key's text (for the key file only).</summary>
    public string Export() =>
        $"PRIVATE+KEY+{Name}+{Verifier.KeyId:x8}+{Convert.ToBase64String([(byte)Verifier.Type, .. _key.Export(KeyBlobFormat.RawPrivateKey)])}";

    /// <summary>The Ed25519 signature of <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => SignatureAlgorithm.Ed25519.Sign(_key, message);

    public void Dispose() => _key.Dispose();

    internal static string CheckName(string name) =>
        name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c == '+' || char.IsControl(c))
            ? throw new FormatException($"'{name}' is not a key name: non-empty, without spaces or '+'")
            : name;
}
