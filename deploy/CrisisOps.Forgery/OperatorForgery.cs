using CrisisOps.ServiceDefaults.EventStore;
using Npgsql;

namespace CrisisOps.Forgery;

/// <summary>
/// What an operator with full database rights (the owner or superuser role, never a service's) does to hide a change to
/// one decision: edit its row, recompute every stream chain from the rows, and drop the log chain and the Merkle log with
/// their progress, so the service's own daemon rebuilds both from the edited rows when it next starts. What it cannot
/// forge: the decision's signature (the service's key is not in PostgreSQL) and the checkpoints already kept or
/// cosigned outside the database.
/// </summary>
public static class OperatorForgery
{
    /// <summary>Sets one top-level field of the data of the event at <paramref name="sequence"/>; returns its stream and version.</summary>
    public static async Task<(string Stream, long Version)> RewriteAsync(string connection, string schema, long sequence, string field, string jsonValue, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync(ct);
        await using var update = new NpgsqlCommand(
            $"update {Quoted(schema)}.mt_events set data = jsonb_set(data, array[@field], @value::jsonb) where seq_id = @sequence returning stream_id, version", c);
        update.Parameters.AddWithValue("field", field);
        update.Parameters.AddWithValue("value", jsonValue);
        update.Parameters.AddWithValue("sequence", sequence);
        await using var reader = await update.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetString(0), reader.GetInt64(1))
            : throw new ArgumentException($"{schema} holds no event at sequence {sequence}");
    }

    /// <summary>
    /// Every stream chain recomputed from the rows (the chain-hash header of each event), then the log chain and the
    /// Merkle log deleted with their daemon progress; returns how many events the store holds.
    /// </summary>
    public static async Task<long> RecomputeAsync(string connection, string schema, CancellationToken ct)
    {
        var s = Quoted(schema);
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync(ct);
        var rows = new List<(long Seq, string Stream, long Version, string Type, string Data)>();
        await using (var read = new NpgsqlCommand($"select seq_id, stream_id, version, type, data::text from {s}.mt_events order by stream_id, version", c))
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
        }

        await using var tx = await c.BeginTransactionAsync(ct);
        foreach (var stream in rows.GroupBy(r => r.Stream))
        {
            var previous = EventChain.Genesis;
            foreach (var row in stream)
            {
                previous = EventChain.Hash(previous, row.Stream, row.Version, row.Type, row.Data);
                await using var set = new NpgsqlCommand($"update {s}.mt_events set headers = jsonb_set(headers, '{{chain-hash}}', to_jsonb(@hash::text)) where seq_id = @seq", c, tx);
                set.Parameters.AddWithValue("hash", previous);
                set.Parameters.AddWithValue("seq", row.Seq);
                await set.ExecuteNonQueryAsync(ct);
            }
        }

        await using (var drop = new NpgsqlCommand($"""
            delete from {s}.mt_doc_logchainlink; delete from {s}.mt_doc_merkleleaf; delete from {s}.mt_doc_merklenode;
            delete from {s}.mt_event_progression where name in ('log-chain:All', 'merkle-log:All');
            """, c, tx))
        {
            await drop.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return rows.Count;
    }

    private static string Quoted(string schema) =>
        schema.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '_') ? schema : throw new ArgumentException($"'{schema}' is not a store's schema name");
}
