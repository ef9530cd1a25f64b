using System.Buffers;
using System.Data;
using System.Runtime.CompilerServices;
using CrisisOps.Transparency;
using Npgsql;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Reads committed events straight from <c>mt_events</c> as leaves of the store's Merkle log
/// (docs/transparency-log.md): the log is built from the rows as PostgreSQL holds them, never from events
/// deserialized and written again, so the writer and any auditor compute the same bytes from the same columns.
/// </summary>
public static class EventLeafRows
{
    /// <summary>The columns a leaf covers, in the order <see cref="Read(NpgsqlDataReader, int)"/> expects them.</summary>
    public const string Columns =
        "e.seq_id, e.id, e.stream_id, e.version, e.type, e.timestamp, e.user_name, convert_to(e.headers::text, 'UTF8'), convert_to(e.data::text, 'UTF8')";

    /// <summary>Marten's placeholders for sequence numbers of failed transactions: not leaves.</summary>
    public static bool IsTombstone(string eventType, string streamKey) => eventType == "tombstone" || streamKey == "mt_tombstone";

    /// <summary>The leaf of the current row of a reader over <see cref="Columns"/> starting at column <paramref name="at"/>, or null for a tombstone.</summary>
    public static EventLeaf? Read(NpgsqlDataReader reader, int at = 0) => Read(reader, at, jsonbShortcut: false);

    /// <summary>
    /// As <see cref="Read(NpgsqlDataReader, int)"/>; with <paramref name="jsonbShortcut"/> the JSON columns are made
    /// canonical by removing the whitespace between the tokens of PostgreSQL's text (docs/transparency-log.md §3,
    /// <see cref="EventChain.CanonicalizeJsonbText(ReadOnlySpan{byte}, Span{byte})"/>) instead of parsing them: the same bytes from jsonb, at a fraction
    /// of the cost, for a verifier that falls back to the full form when a hash does not match.
    /// </summary>
    public static EventLeaf? Read(NpgsqlDataReader reader, int at, bool jsonbShortcut)
    {
        // Column by column in order: readers run with sequential access, the data being the large part.
        var sequence = reader.GetInt64(at);
        var id = reader.GetGuid(at + 1);
        var stream = reader.IsDBNull(at + 2) ? "" : reader.GetString(at + 2);
        var version = reader.GetInt64(at + 3);
        var type = reader.GetString(at + 4);
        var timestamp = reader.GetFieldValue<DateTimeOffset>(at + 5);
        var user = reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6);
        var headers = reader.IsDBNull(at + 7) ? null : reader.GetFieldValue<byte[]>(at + 7);
        var data = reader.GetFieldValue<byte[]>(at + 8);
        if (IsTombstone(type, stream)) return null;
        return new EventLeaf(sequence, id, stream, version, type, timestamp, user,
            headers is null ? EventLeaf.NoHeaders : jsonbShortcut ? Stripped(headers) : Canonical(headers),
            jsonbShortcut ? Stripped(data) : Canonical(data));
    }

    /// <summary>The leaves committed at sequences in (<paramref name="after"/>, <paramref name="upTo"/>], in commit order.</summary>
    public static IAsyncEnumerable<EventLeaf> ReadAsync(NpgsqlConnection connection, string schema, long after, long upTo, CancellationToken ct) =>
        ReadAsync(connection, schema, after, upTo, jsonbShortcut: false, ct);

    /// <summary>The leaves committed at sequences in (<paramref name="after"/>, <paramref name="upTo"/>], in commit order; see <see cref="Read(NpgsqlDataReader, int, bool)"/> for <paramref name="jsonbShortcut"/>.</summary>
    public static async IAsyncEnumerable<EventLeaf> ReadAsync(NpgsqlConnection connection, string schema, long after, long upTo, bool jsonbShortcut,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select {Columns} from {Quote(schema)}.mt_events e where e.seq_id > @after and e.seq_id <= @upto order by e.seq_id", connection);
        command.Parameters.AddWithValue("after", after);
        command.Parameters.AddWithValue("upto", upTo);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            if (Read(reader, 0, jsonbShortcut) is { } leaf) yield return leaf;
        }
    }

    /// <summary>The canonical JSON of a jsonb column's text, parsed and written in full (<see cref="EventChain.Canonicalize(ReadOnlyMemory{byte}, IBufferWriter{byte})"/>).</summary>
    public static byte[] Canonical(byte[] jsonbText)
    {
        var output = new ArrayBufferWriter<byte>(jsonbText.Length);
        EventChain.Canonicalize(jsonbText, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>PostgreSQL's text of a jsonb value without the whitespace between its tokens, in place (it only shrinks): no copy per column.</summary>
    public static ReadOnlyMemory<byte> Stripped(byte[] jsonbText) =>
        jsonbText.AsMemory(0, EventChain.CanonicalizeJsonbText(jsonbText, jsonbText));

    /// <summary>A schema name as an SQL identifier.</summary>
    public static string Quote(string schema) => "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
