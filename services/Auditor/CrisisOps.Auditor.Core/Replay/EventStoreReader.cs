using System.Data;
using System.Runtime.CompilerServices;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.ServiceDefaults.EventStore;
using Npgsql;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>One row of the replay: the event and the log checkpoint stored at one sequence number (either may be missing).</summary>
public readonly record struct ReplayRow(StoredEvent? Event, StoredLink? Link);

/// <summary>
/// Reads a service's stored history as PostgreSQL holds it, straight from its tables and not through Marten: the
/// auditor trusts neither the service's code nor its serializer, only the rows. The only I/O of the auditor's core.
/// </summary>
public static class EventStoreReader
{
    /// <summary>Every schema of the database that holds a Marten event store, with whether it has a log chain.</summary>
    public static async Task<IReadOnlyList<(string Schema, bool HasLogChain)>> EventStoresAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("""
            select e.table_schema, exists (select 1 from information_schema.tables l
                                           where l.table_schema = e.table_schema and l.table_name = 'mt_doc_logchainlink')
            from information_schema.tables e
            where e.table_name = 'mt_events'
            order by e.table_schema
            """, connection);
        var stores = new List<(string, bool)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) stores.Add((reader.GetString(0), reader.GetBoolean(1)));
        return stores;
    }

    /// <summary>How many events a store holds (for progress).</summary>
    public static async Task<long> CountAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select count(*) from {Quote(schema)}.mt_events", connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// The store's events in global sequence order, each joined to the log checkpoint of the same sequence. PostgreSQL
    /// merges the two primary keys, so this is one pass over each table. The data comes as UTF-8 bytes, PostgreSQL's
    /// own text of the jsonb.
    /// </summary>
    public static async IAsyncEnumerable<ReplayRow> ReadAsync(NpgsqlConnection connection, string schema, bool hasLogChain,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var events = $"""
            e.seq_id, e.stream_id, e.version, e.type, convert_to(e.data::text, 'UTF8'), e.headers->>'{EventChain.HashHeader}', e.timestamp
            """;
        var sql = hasLogChain
            ? $"""
              select {events}, l.id, nullif(l.data->>'StreamKey', e.stream_id), (l.data->>'Version')::bigint,
                     nullif(l.data->>'EventHash', e.headers->>'{EventChain.HashHeader}'), l.data->>'LogHash'
              from {Quote(schema)}.mt_events e full outer join {Quote(schema)}.mt_doc_logchainlink l on l.id = e.seq_id
              order by coalesce(e.seq_id, l.id)
              """
            : $"select {events} from {Quote(schema)}.mt_events e order by e.seq_id";
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            StoredEvent? e = reader.IsDBNull(0)
                ? null
                : new StoredEvent(reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                    reader.GetFieldValue<byte[]>(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6));
            // A checkpoint's stream and event hash come back only where they differ from the event's, which they
            // do only when something was tampered with: the common row carries them once.
            StoredLink? link = !hasLogChain || reader.IsDBNull(7)
                ? null
                : new StoredLink(reader.GetInt64(7), reader.IsDBNull(8) ? e?.StreamKey ?? "" : reader.GetString(8), reader.GetInt64(9),
                    reader.IsDBNull(10) ? e?.Hash ?? "" : reader.GetString(10), reader.GetString(11));
            yield return new ReplayRow(e, link);
        }
    }

    /// <summary>A schema name as an SQL identifier.</summary>
    public static string Quote(string schema) => "\"" + schema.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
