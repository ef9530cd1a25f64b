using CrisisOps.Forgery;
using Microsoft.Extensions.Time.Testing;

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
    /// Every stream chain recomputed from the rows, the log chain and the Merkle log deleted (<see cref="OperatorForgery"/>,
    /// the walkthrough's tool) and rebuilt by the service's own daemon from the tampered rows (the service restarted with
    /// <paramref name="settings"/>, then stopped).
    /// </summary>
    public static async Task RecomputeEverythingAsync(StackFixture stack, string s, Action<Dictionary<string, string?>>? settings = null)
    {
        var events = await OperatorForgery.RecomputeAsync(stack.Infra.Postgres, s, CancellationToken.None);
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 3, 10, 0, 0, TimeSpan.FromHours(2)));
        await using var restarted = await stack.StartDeclarationAsync(s, clock, settings);
        await stack.WaitUntilLoggedAsync(s, events);
        await stack.WaitUntilSealedAsync(s);
    }
}
