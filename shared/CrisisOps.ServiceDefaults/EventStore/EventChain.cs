using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CrisisOps.Transparency;
using JasperFx.Events;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Tamper evidence for the event store (Marten has none, issue 6). Every event appended carries, in its
/// <see cref="HashHeader"/> header, <c>SHA-256(previous hash of the stream ‖ stream id ‖ version ‖ event type ‖
/// canonical JSON of the data)</c>; the first event of a stream chains to <see cref="Genesis"/>. A second chain over
/// the whole log (<see cref="LogChainWriter"/>) links every committed event in sequence order.
/// </summary>
/// <remarks>
/// Variable-length fields are length-prefixed (4 bytes, big-endian) and the version is 8 bytes big-endian, so no two
/// different inputs hash the same bytes. The canonical JSON is what can be recomputed from PostgreSQL's <c>jsonb</c>,
/// which keeps neither key order nor whitespace nor the spelling of numbers and escapes: keys sorted the way jsonb
/// keeps them (shorter first, then byte by byte in UTF-8), no whitespace, strings escaped minimally as PostgreSQL
/// prints them, numbers as its <c>numeric</c> prints them. PostgreSQL's own text of a jsonb value is then canonical
/// once the whitespace between its tokens is gone (<see cref="CanonicalizeJsonbText(ReadOnlySpan{byte}, IBufferWriter{byte})"/>), which is what lets an
/// auditor verify millions of events without parsing each one twice.
/// </remarks>
public static class EventChain
{
    /// <summary>The event header that carries the event's chain hash (lowercase hex).</summary>
    public const string HashHeader = "chain-hash";

    /// <summary>What the first event of every stream, and the first link of every log, chains to.</summary>
    public static readonly string Genesis = Convert.ToHexStringLower(SHA256.HashData("CrisisOps event chain v1"u8));

    /// <summary>The hash of an event, given the hash of the event before it in its stream and its data as JSON.</summary>
    public static string Hash(string previousHash, string streamKey, long version, string eventType, string dataJson) =>
        Hash(previousHash, streamKey, version, eventType, Canonicalize(dataJson));

    /// <summary>The hash of an event whose data is already canonical (<see cref="Canonicalize(string)"/>).</summary>
    public static string Hash(string previousHash, string streamKey, long version, string eventType, ReadOnlySpan<byte> canonicalData)
    {
        // One buffer and SHA-256 in one shot: the auditor hashes every event of every store.
        var size = 32 + 4 + Encoding.UTF8.GetMaxByteCount(streamKey.Length) + 8 + 4 + Encoding.UTF8.GetMaxByteCount(eventType.Length) + 4
            + canonicalData.Length;
        var rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var input = rented.AsSpan();
            var at = WriteHash(input, previousHash);
            at += WriteText(input[at..], streamKey);
            BinaryPrimitives.WriteInt64BigEndian(input[at..], version);
            at += 8;
            at += WriteText(input[at..], eventType);
            BinaryPrimitives.WriteInt32BigEndian(input[at..], canonicalData.Length);
            at += 4;
            canonicalData.CopyTo(input[at..]);
            at += canonicalData.Length;
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(input[..at], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>One link of a log chain: <c>SHA-256(previous log hash ‖ sequence ‖ event hash)</c>.</summary>
    public static string LogLink(string previousLogHash, long sequence, string eventHash)
    {
        Span<byte> input = stackalloc byte[32 + 8 + 4 + Encoding.UTF8.GetMaxByteCount(eventHash.Length)];
        var at = WriteHash(input, previousLogHash);
        BinaryPrimitives.WriteInt64BigEndian(input[at..], sequence);
        at += 8;
        at += WriteText(input[at..], eventHash);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..at], hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The chain hash an event was recorded with, or null when it has none.</summary>
    public static string? HashOf(IEvent e) =>
        e.Headers is not null && e.Headers.TryGetValue(HashHeader, out var value) && value?.ToString() is { Length: > 0 } hash ? hash : null;

    /// <summary>
    /// The chain hash a stored row was recorded with, or null when it has none: read from its headers column as
    /// <see cref="HashOf(IEvent)"/> reads the deserialized headers (a value that is not a string counts as its JSON text).
    /// </summary>
    public static string? HashOf(EventLeaf row)
    {
        using var headers = JsonDocument.Parse(row.CanonicalHeaders);
        return headers.RootElement.ValueKind == JsonValueKind.Object
            && headers.RootElement.TryGetProperty(HashHeader, out var value) && value.ToString() is { Length: > 0 } hash ? hash : null;
    }

    /// <summary>
    /// Stamps the events of an append (whose stream stood at <paramref name="currentVersion"/>) with their chain hashes.
    /// The versions are the ones Marten assigns in Rich append mode with an explicit expected version.
    /// </summary>
    /// <param name="action">What StartStream/Append returned.</param>
    /// <param name="currentVersion">The stream's version before the append (0 for a new stream).</param>
    /// <param name="previousHash">The hash of the stream's last event (<see cref="Genesis"/> for a new stream).</param>
    /// <param name="store">The store, whose serializer writes the events' data.</param>
    public static void Seal(StreamAction action, long currentVersion, string previousHash, IDocumentStore store)
    {
        var serializer = store.Options.Serializer();
        var streamKey = action.Key ?? throw new InvalidOperationException("the event chain needs string stream keys");
        foreach (var e in action.Events)
        {
            previousHash = Hash(previousHash, streamKey, ++currentVersion, e.EventTypeName, serializer.ToJson(e.Data));
            e.SetHeader(HashHeader, previousHash);
        }
    }

    /// <summary>
    /// The hash the last event of <paramref name="history"/> chains to: its recorded hash, or, for a stream recorded
    /// before it carried hashes, the chain recomputed over its data.
    /// </summary>
    public static string HeadOf(IReadOnlyList<IEvent> history, IDocumentStore store)
    {
        if (history.Count == 0) return Genesis;
        if (HashOf(history[^1]) is { } recorded) return recorded;
        var serializer = store.Options.Serializer();
        return history.Aggregate(Genesis, (previous, e) =>
            Hash(previous, e.StreamKey ?? "", e.Version, e.EventTypeName, serializer.ToJson(e.Data)));
    }

    /// <summary>The canonical form of a JSON document (see the remarks on <see cref="EventChain"/>).</summary>
    public static byte[] Canonicalize(string json)
    {
        var buffer = new ArrayBufferWriter<byte>(json.Length + 16);
        Canonicalize(json, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical form of <paramref name="json"/> to <paramref name="output"/>.</summary>
    public static void Canonicalize(string json, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(json);
        WriteCanonical(document.RootElement, output);
    }

    /// <summary>Writes the canonical form of <paramref name="json"/> (UTF-8) to <paramref name="output"/>.</summary>
    public static void Canonicalize(ReadOnlyMemory<byte> json, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(json);
        WriteCanonical(document.RootElement, output);
    }

    /// <summary>Writes the canonical form of one JSON value.</summary>
    public static void WriteCanonical(JsonElement element, IBufferWriter<byte> output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var count = element.GetPropertyCount();
                var properties = ArrayPool<JsonProperty>.Shared.Rent(count);
                try
                {
                    var n = 0;
                    foreach (var p in element.EnumerateObject()) properties[n++] = p;
                    Array.Sort(properties, 0, n, PropertyOrder.Instance);
                    Write(output, "{"u8);
                    for (var i = 0; i < n; i++)
                    {
                        if (i > 0) Write(output, ","u8);
                        WriteName(properties[i], output);
                        Write(output, ":"u8);
                        WriteCanonical(properties[i].Value, output);
                    }

                    Write(output, "}"u8);
                }
                finally
                {
                    ArrayPool<JsonProperty>.Shared.Return(properties, clearArray: true);
                }

                break;
            case JsonValueKind.Array:
                Write(output, "["u8);
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first) Write(output, ","u8);
                    first = false;
                    WriteCanonical(item, output);
                }

                Write(output, "]"u8);
                break;
            case JsonValueKind.String:
                // Without a backslash the token as written is already canonical: raw JSON cannot hold a quote or a
                // control character unescaped, and other characters are written as their UTF-8.
                var raw = JsonMarshal.GetRawUtf8Value(element);
                if (raw.IndexOf((byte)'\\') < 0) Write(output, raw);
                else WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                var number = JsonMarshal.GetRawUtf8Value(element);
                if (number.IndexOfAny((byte)'e', (byte)'E') < 0 && number[0] != (byte)'-') Write(output, number);
                else WriteNumber(element.GetRawText(), output);
                break;
            case JsonValueKind.True:
                Write(output, "true"u8);
                break;
            case JsonValueKind.False:
                Write(output, "false"u8);
                break;
            case JsonValueKind.Null:
                Write(output, "null"u8);
                break;
            default:
                throw new JsonException($"unexpected JSON value {element.ValueKind}");
        }
    }

    /// <summary>
    /// A JSON number as PostgreSQL's <c>numeric</c> prints it: no exponent, a scale of (fraction digits − exponent),
    /// no sign on zero. <c>1.50e1</c> becomes <c>15.0</c>, <c>1E+2</c> becomes <c>100</c>.
    /// </summary>
    public static string NormalizeNumber(string raw)
    {
        var exponentAt = raw.AsSpan().IndexOfAny('e', 'E');
        var negative = raw.StartsWith('-');
        if (exponentAt < 0 && !(negative && raw.AsSpan(1).IndexOfAnyExcept("0.") < 0)) return raw;

        var mantissa = (exponentAt < 0 ? raw : raw[..exponentAt]).TrimStart('-');
        var exponent = exponentAt < 0 ? 0 : int.Parse(raw.AsSpan(exponentAt + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = point < 0 ? mantissa : mantissa[..point];
        var fractionDigits = point < 0 ? "" : mantissa[(point + 1)..];
        var digits = integerDigits + fractionDigits;
        var scale = Math.Max(0, fractionDigits.Length - exponent);
        var pointAt = integerDigits.Length + exponent;

        string integer, fraction;
        if (pointAt <= 0)
            (integer, fraction) = ("0", new string('0', -pointAt) + digits);
        else if (pointAt >= digits.Length)
            (integer, fraction) = (digits + new string('0', pointAt - digits.Length), "");
        else
            (integer, fraction) = (digits[..pointAt], digits[pointAt..]);
        fraction = fraction.Length >= scale ? fraction[..scale] : fraction.PadRight(scale, '0');
        integer = integer.TrimStart('0');
        if (integer.Length == 0) integer = "0";
        var zero = integer == "0" && fraction.AsSpan().IndexOfAnyExcept('0') < 0;
        return (negative && !zero ? "-" : "") + integer + (scale > 0 ? "." + fraction : "");
    }

    /// <summary>
    /// Writes the canonical form of PostgreSQL's own text of a jsonb value (<c>data::text</c>): its keys are in canonical
    /// order and its strings and numbers in canonical form already, so only the whitespace between tokens goes. Any
    /// other text gives something else, which a verifier notices by the hash and then canonicalizes in full.
    /// </summary>
    public static void CanonicalizeJsonbText(ReadOnlySpan<byte> text, IBufferWriter<byte> output) =>
        output.Advance(CanonicalizeJsonbText(text, output.GetSpan(text.Length)));

    /// <summary>
    /// As <see cref="CanonicalizeJsonbText(ReadOnlySpan{byte}, IBufferWriter{byte})"/>, into <paramref name="destination"/>
    /// (at least as long as the text; it may be the text itself: the form only shrinks); returns the bytes written.
    /// </summary>
    public static int CanonicalizeJsonbText(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var written = 0;
        var inString = false;
        var escaped = false;
        foreach (var c in text)
        {
            if (inString)
            {
                if (escaped) escaped = false;
                else if (c == (byte)'\\') escaped = true;
                else if (c == (byte)'"') inString = false;
            }
            else if (c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                continue;
            }
            else if (c == (byte)'"')
            {
                inString = true;
            }

            destination[written++] = c;
        }

        return written;
    }

    /// <summary>
    /// The order jsonb keeps the keys of an object in: shorter first (in UTF-8 bytes), then byte by byte. Names written
    /// in plain ASCII, as every event property is, compare without decoding; any other name is decoded first.
    /// </summary>
    private sealed class PropertyOrder : IComparer<JsonProperty>
    {
        public static readonly PropertyOrder Instance = new();

        public int Compare(JsonProperty x, JsonProperty y)
        {
            var a = JsonMarshal.GetRawUtf8PropertyName(x);
            var b = JsonMarshal.GetRawUtf8PropertyName(y);
            return PlainAscii(a) && PlainAscii(b) ? Compare(a, b) : Compare(Encoding.UTF8.GetBytes(x.Name), Encoding.UTF8.GetBytes(y.Name));
        }

        private static int Compare(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
            a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }

    private static bool PlainAscii(ReadOnlySpan<byte> raw) => !raw.ContainsAnyExceptInRange((byte)0x20, (byte)0x7e) && raw.IndexOf((byte)'\\') < 0;

    /// <summary>A property name: as written when plain ASCII (already canonical), else decoded and written again.</summary>
    private static void WriteName(JsonProperty property, IBufferWriter<byte> output)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (!PlainAscii(raw))
        {
            WriteString(property.Name, output);
            return;
        }

        Write(output, "\""u8);
        Write(output, raw);
        Write(output, "\""u8);
    }

    private static void WriteNumber(string raw, IBufferWriter<byte> output)
    {
        var text = NormalizeNumber(raw);
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    /// <summary>A string with only the escapes JSON requires: quote, backslash and control characters.</summary>
    private static void WriteString(string value, IBufferWriter<byte> output)
    {
        Write(output, "\""u8);
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\') continue;
            WriteUtf8(value.AsSpan(start, i - start), output);
            var escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            };
            WriteUtf8(escape, output);
            start = i + 1;
        }

        WriteUtf8(value.AsSpan(start), output);
        Write(output, "\""u8);
    }

    private static void WriteUtf8(ReadOnlySpan<char> text, IBufferWriter<byte> output)
    {
        if (text.IsEmpty) return;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    private static int WriteHash(Span<byte> destination, string hex)
    {
        if (hex.Length != 64 || Convert.FromHexString(hex, destination[..32], out _, out var written) != OperationStatus.Done || written != 32)
            throw new FormatException($"'{hex}' is not a SHA-256 hash in hex");
        return 32;
    }

    /// <summary>UTF-8 text after its length (4 bytes, big-endian).</summary>
    private static int WriteText(Span<byte> destination, string text)
    {
        var length = Encoding.UTF8.GetBytes(text, destination[4..]);
        BinaryPrimitives.WriteInt32BigEndian(destination, length);
        return 4 + length;
    }
}
