using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using JasperFx.Events;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Tamper evidence for the event store (Marten has none, issue 6). Every event appended carries, in its
/// <see cref="HashHeader"/> header, <c>SHA-256(previous hash of the stream ‖ stream id ‖ version ‖ event type ‖
/// canonical JSON of the data)</c>; the first event of a stream chains to <see cref="Genesis"/>. A second chain over
/// the whole log (<see cref="LogChainSubscription"/>) links every committed event in sequence order.
/// </summary>
/// <remarks>
/// Variable-length fields are length-prefixed (4 bytes, big-endian) and the version is 8 bytes big-endian, so no two
/// different inputs hash the same bytes. The canonical JSON is what can be recomputed from PostgreSQL's <c>jsonb</c>,
/// which keeps neither key order nor whitespace nor the spelling of numbers and escapes: keys sorted (ordinal),
/// no whitespace, strings re-escaped minimally, numbers as PostgreSQL's <c>numeric</c> prints them.
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
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendHash(sha, previousHash);
        AppendText(sha, streamKey);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, version);
        sha.AppendData(number);
        AppendText(sha, eventType);
        AppendLength(sha, canonicalData.Length);
        sha.AppendData(canonicalData);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>One link of a log chain: <c>SHA-256(previous log hash ‖ sequence ‖ event hash)</c>.</summary>
    public static string LogLink(string previousLogHash, long sequence, string eventHash)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendHash(sha, previousLogHash);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        sha.AppendData(number);
        AppendText(sha, eventHash);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The chain hash an event was recorded with, or null when it has none.</summary>
    public static string? HashOf(IEvent e) =>
        e.Headers is not null && e.Headers.TryGetValue(HashHeader, out var value) && value?.ToString() is { Length: > 0 } hash ? hash : null;

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
                var properties = new List<JsonProperty>();
                foreach (var p in element.EnumerateObject()) properties.Add(p);
                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                Write(output, "{"u8);
                for (var i = 0; i < properties.Count; i++)
                {
                    if (i > 0) Write(output, ","u8);
                    WriteString(properties[i].Name, output);
                    Write(output, ":"u8);
                    WriteCanonical(properties[i].Value, output);
                }

                Write(output, "}"u8);
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
                WriteString(element.GetString()!, output);
                break;
            case JsonValueKind.Number:
                WriteNumber(element.GetRawText(), output);
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

    private static void AppendHash(IncrementalHash sha, string hex)
    {
        Span<byte> bytes = stackalloc byte[32];
        if (hex.Length != 64 || Convert.FromHexString(hex, bytes, out _, out var written) != OperationStatus.Done || written != 32)
            throw new FormatException($"'{hex}' is not a SHA-256 hash in hex");
        sha.AppendData(bytes);
    }

    private static void AppendText(IncrementalHash sha, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        AppendLength(sha, bytes.Length);
        sha.AppendData(bytes);
    }

    private static void AppendLength(IncrementalHash sha, int length)
    {
        Span<byte> prefix = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(prefix, length);
        sha.AppendData(prefix);
    }
}
