using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace CrisisOps.Transparency;

/// <summary>
/// One committed event as a leaf of its store's Merkle log: every column an auditor relies on, in the canonical form
/// of docs/transparency-log.md (format version 1). The JSON columns arrive already canonical (the jsonb canonical form
/// of <c>EventChain</c>), so this type needs no JSON writer and is what an auditor in another language re-implements.
/// </summary>
/// <param name="Sequence">Commit-order position, <c>mt_events.seq_id</c>.</param>
/// <param name="EventId">The event's id, <c>mt_events.id</c>.</param>
/// <param name="StreamKey">The stream, <c>mt_events.stream_id</c>.</param>
/// <param name="Version">Position in the stream, <c>mt_events.version</c>.</param>
/// <param name="EventType">Marten's event type name, <c>mt_events.type</c>.</param>
/// <param name="Timestamp">When it was recorded, <c>mt_events.timestamp</c> (microsecond precision, as PostgreSQL keeps it).</param>
/// <param name="UserName">The actor, <c>mt_events.user_name</c>; null when the column is null.</param>
/// <param name="CanonicalHeaders">Canonical JSON of <c>mt_events.headers</c> (<c>{}</c> when null): trace, actor role, chain hash, signature.</param>
/// <param name="CanonicalData">Canonical JSON of <c>mt_events.data</c>.</param>
public sealed record EventLeaf(
    long Sequence, Guid EventId, string StreamKey, long Version, string EventType, DateTimeOffset Timestamp, string? UserName,
    ReadOnlyMemory<byte> CanonicalHeaders, ReadOnlyMemory<byte> CanonicalData)
{
    /// <summary>The leaf format version, the first byte of every leaf.</summary>
    public const byte FormatVersion = 1;

    /// <summary>The canonical JSON of a null or absent headers column.</summary>
    public static ReadOnlyMemory<byte> NoHeaders { get; } = "{}"u8.ToArray();

    /// <summary>Microseconds since 1970-01-01T00:00:00Z, the unit PostgreSQL stores a <c>timestamptz</c> in.</summary>
    public static long Microseconds(DateTimeOffset t) => (t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    /// <summary>The length of the leaf's bytes.</summary>
    public int EncodedLength => 1 + 8 + 16 + Text(StreamKey) + 8 + Text(EventType) + 8 + 1 + (UserName is null ? 0 : Text(UserName))
        + 4 + CanonicalHeaders.Length + 4 + CanonicalData.Length;

    /// <summary>The leaf's bytes (docs/transparency-log.md §2).</summary>
    public byte[] Encode()
    {
        var leaf = new byte[EncodedLength];
        EncodeTo(leaf);
        return leaf;
    }

    /// <summary>Writes the leaf's bytes to the start of <paramref name="span"/> (at least <see cref="EncodedLength"/> long); returns their length.</summary>
    public int EncodeTo(Span<byte> span)
    {
        var size = EncodedLength;
        if (span.Length < size) throw new ArgumentException($"the leaf needs {size} bytes, the span has {span.Length}", nameof(span));
        span[0] = FormatVersion;
        var at = 1;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], Sequence);
        at += 8;
        EventId.TryWriteBytes(span[at..], bigEndian: true, out _);
        at += 16;
        at += WriteText(span[at..], StreamKey);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], Version);
        at += 8;
        at += WriteText(span[at..], EventType);
        BinaryPrimitives.WriteInt64BigEndian(span[at..], Microseconds(Timestamp));
        at += 8;
        span[at++] = UserName is null ? (byte)0 : (byte)1;
        if (UserName is not null) at += WriteText(span[at..], UserName);
        at += WriteBytes(span[at..], CanonicalHeaders.Span);
        at += WriteBytes(span[at..], CanonicalData.Span);
        return at == size ? at : throw new InvalidOperationException("the leaf encoding miscounted its size");
    }

    /// <summary>Reads leaf bytes back (a receipt's leaf); bytes that are not one version-1 leaf are refused saying where.</summary>
    public static EventLeaf Decode(ReadOnlySpan<byte> leaf)
    {
        var at = 0;
        ReadOnlySpan<byte> Take(ReadOnlySpan<byte> all, int count, string field)
        {
            if (count < 0 || at + count > all.Length) throw new FormatException($"the leaf ends inside its {field}");
            var part = all.Slice(at, count);
            at += count;
            return part;
        }

        if (leaf.IsEmpty || leaf[0] != FormatVersion) throw new FormatException($"the leaf's format byte is not {FormatVersion}");
        at = 1;
        var sequence = BinaryPrimitives.ReadInt64BigEndian(Take(leaf, 8, "sequence"));
        var id = new Guid(Take(leaf, 16, "event id"), bigEndian: true);
        var stream = Encoding.UTF8.GetString(Take(leaf, BinaryPrimitives.ReadInt32BigEndian(Take(leaf, 4, "stream length")), "stream"));
        var version = BinaryPrimitives.ReadInt64BigEndian(Take(leaf, 8, "version"));
        var type = Encoding.UTF8.GetString(Take(leaf, BinaryPrimitives.ReadInt32BigEndian(Take(leaf, 4, "type length")), "type"));
        var micros = BinaryPrimitives.ReadInt64BigEndian(Take(leaf, 8, "recorded time"));
        var hasActor = Take(leaf, 1, "actor flag")[0];
        if (hasActor > 1) throw new FormatException("the leaf's actor flag is neither 0 nor 1");
        var actor = hasActor == 1 ? Encoding.UTF8.GetString(Take(leaf, BinaryPrimitives.ReadInt32BigEndian(Take(leaf, 4, "actor length")), "actor")) : null;
        var headers = Take(leaf, BinaryPrimitives.ReadInt32BigEndian(Take(leaf, 4, "headers length")), "headers").ToArray();
        var data = Take(leaf, BinaryPrimitives.ReadInt32BigEndian(Take(leaf, 4, "data length")), "data").ToArray();
        if (at != leaf.Length) throw new FormatException($"the leaf has {leaf.Length - at} byte(s) after its data");
        return new EventLeaf(sequence, id, stream, version, type, DateTimeOffset.UnixEpoch.AddTicks(micros * 10), actor, headers, data);
    }

    /// <summary>The RFC 9162 leaf hash, <c>SHA-256(0x00 ‖ leaf)</c>.</summary>
    public byte[] Hash()
    {
        // Encoded behind the 0x00 prefix in one pooled buffer and hashed in one shot: the auditor hashes every event of a
        // store, and a buffer and a hash object per leaf cost more than the hashing at a million events.
        var rented = ArrayPool<byte>.Shared.Rent(1 + EncodedLength);
        try
        {
            rented[0] = 0x00;
            var length = EncodeTo(rented.AsSpan(1));
            return SHA256.HashData(rented.AsSpan(0, 1 + length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int Text(string value) => 4 + Encoding.UTF8.GetByteCount(value);

    private static int WriteText(Span<byte> destination, string value)
    {
        var length = Encoding.UTF8.GetBytes(value, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return 4 + length;
    }

    private static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, value.Length);
        value.CopyTo(destination[4..]);
        return 4 + value.Length;
    }
}
