using CrisisOps.ServiceDefaults.EventStore;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>What an operator with full database rights does to a store to hide a change: shared by the checkpoint and witness attacks.</summary>
public static class OperatorAttacks
{
    /// <summary>Deletes every event after sequence <paramref name="after"/> with their streams, log-chain links, Merkle leaves and nodes.</summary>
    public static Task DeleteTailAsync(StackFixture stack, string s, long after) => stack.ExecuteAsync($"""
        delete from {s}.mt_streams where id in (select stream_id from {s}.mt_events where seq_id > {after} and version = 1);
        delete from {s}.mt_events where seq_id > {after};
        delete from {s}.mt_doc_logchainlink where id > {after};
        delete from {s}.mt_doc_merkleleaf where (data->>'Sequence')::bigint > {after};
        delete from {s}.mt_doc_merklenode where split_part(id, '/', 1)::int > 0
          and ((split_part(id, '/', 2)::bigint + 1) << split_part(id, '/', 1)::int) > (select count(*) from {s}.mt_doc_merkleleaf);
        """);

    /// <summary>
    /// Every stream chain recomputed from the rows, the log chain and the Merkle log deleted and rebuilt by the service's
    /// own daemon from the tampered rows (the service restarted with <paramref name="settings"/>, then stopped).
    /// </summary>
    public static async Task RecomputeEverythingAsync(StackFixture stack, string s, Action<Dictionary<string, string?>>? settings = null)
    {
        var rows = new List<(long Seq, string Stream, long Version, string Type, string Data)>();
        await using (var c = new NpgsqlConnection(stack.Infra.Postgres))
        {
            await c.OpenAsync();
            await using var read = new NpgsqlCommand($"select seq_id, stream_id, version, type, data::text from {s}.mt_events order by stream_id, version", c);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
        }

        foreach (var stream in rows.GroupBy(r => r.Stream))
        {
            var previous = EventChain.Genesis;
            foreach (var row in stream)
            {
                previous = EventChain.Hash(previous, row.Stream, row.Version, row.Type, row.Data);
                await stack.ExecuteAsync($"update {s}.mt_events set headers = jsonb_set(headers, '{{chain-hash}}', '\"{previous}\"') where seq_id = {row.Seq}");
            }
        }

        await stack.ExecuteAsync($"""
            delete from {s}.mt_doc_logchainlink; delete from {s}.mt_doc_merkleleaf; delete from {s}.mt_doc_merklenode;
            delete from {s}.mt_event_progression where name in ('log-chain:All', 'merkle-log:All');
            """);
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 3, 10, 0, 0, TimeSpan.FromHours(2)));
        await using var restarted = await stack.StartDeclarationAsync(s, clock, settings);
        await stack.WaitUntilLoggedAsync(s, rows.Count);
        await stack.WaitUntilSealedAsync(s);
    }
}
