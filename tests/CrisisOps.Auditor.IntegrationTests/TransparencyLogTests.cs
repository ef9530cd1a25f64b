using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using CrisisOps.Transparency;
using CrisisOps.Transparency.Grpc.V1;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>The Merkle log a service keeps and the checkpoints it signs, checked from outside against the rows PostgreSQL holds.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TransparencyLogTests(StackFixture stack)
{
    [Fact]
    public async Task Every_event_is_proven_included_in_a_signed_checkpoint_that_is_consistent_with_the_one_before()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("tlog");
        using var setup = new TransparencySetup(schema);
        await using var declaration = await stack.StartDeclarationAsync(schema, clock, s =>
        {
            setup.Apply(s);
            s["ConnectionStrings:postgres"] = stack.Infra.Application;
            s[$"ConnectionStrings:{MartenConventions.MigratorConnection}"] = stack.Infra.Migrator;
        });
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declaration);
        var log = new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(declaration.Channel);

        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        // The law the store adopted at start-up, then the crisis.
        await stack.WaitUntilLoggedAsync(schema, 2, stack.Infra.Auditor);
        var first = SignedCheckpoint.Parse((await log.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true })).Note);
        await crises.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-2"), poland);
        await stack.WaitUntilLoggedAsync(schema, 4, stack.Infra.Auditor);
        var response = await log.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });
        var second = SignedCheckpoint.Parse(response.Note);

        Assert.Equal(setup.Key.Verifier.ToString(), response.LogKey);
        Assert.True(first.Note.IsSignedBy(setup.Key.Verifier));
        Assert.True(second.Note.IsSignedBy(setup.Key.Verifier));
        Assert.Equal(($"{TransparencySetup.LogName}/{schema}", 2L, 4L), (second.Checkpoint.Origin, first.Checkpoint.Size, second.Checkpoint.Size));
        var consistency = await log.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = 2, SecondSize = 4 });
        Assert.True(MerkleVerifier.VerifyConsistency(2, 4, first.Checkpoint.Root, second.Checkpoint.Root, consistency.Hashes.Select(h => h.ToByteArray()).ToList()));

        // Each leaf recomputed from the row as PostgreSQL holds it, read as the auditor role.
        var leaves = await stack.LeavesAsync(schema, stack.Infra.Auditor);
        Assert.Equal(4, leaves.Count);
        // The audit's lean pass reads the jsonb text with its whitespace removed, not parsed: the same leaves, byte for byte.
        var shortcut = await stack.LeavesAsync(schema, stack.Infra.Auditor, jsonbShortcut: true);
        Assert.Equal(leaves.Select(l => Convert.ToHexStringLower(l.Encode())), shortcut.Select(l => Convert.ToHexStringLower(l.Encode())));
        for (var i = 0; i < leaves.Count; i++)
        {
            var proof = await log.GetInclusionProofAsync(new GetInclusionProofRequest { Sequence = leaves[i].Sequence, TreeSize = 4 });
            Assert.Equal(i, proof.LeafIndex);
            Assert.True(MerkleVerifier.VerifyInclusion(i, 4, leaves[i].Hash(), proof.Hashes.Select(h => h.ToByteArray()).ToList(), second.Checkpoint.Root));
        }

        // Published once each (the empty log at start too), outside the database, and the latest served as text over HTTP.
        var files = Directory.GetFiles(Path.Combine(setup.Checkpoints, schema), "*.checkpoint").Order(StringComparer.Ordinal).ToList();
        // The start-up checkpoint (before or after the law was logged), then the two asked for.
        Assert.Equal([CheckpointLog(2), CheckpointLog(4)], files.Select(Path.GetFileName).TakeLast(2));
        Assert.All(files.SkipLast(2).Select(Path.GetFileName), f => Assert.Contains(f, new[] { CheckpointLog(0), CheckpointLog(1) }));
        Assert.Equal(second.ToString(), await File.ReadAllTextAsync(files[^1]));
        using var http = new HttpClient { DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        Assert.Equal(second.ToString(), await http.GetStringAsync(new Uri(new Uri(declaration.Address), "/checkpoint")));

        // The application role may add to the log but never change it.
        await AssertRefusedAsync($"update {schema}.mt_doc_merkleleaf set data = data");
        await AssertRefusedAsync($"delete from {schema}.mt_doc_merklenode");
        await AssertRefusedAsync($"truncate {schema}.mt_doc_merkleleaf");
    }

    [Fact]
    public async Task A_proof_asked_for_beyond_the_log_is_refused_naming_the_field()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("tbad");
        using var setup = new TransparencySetup(schema);
        await using var declaration = await stack.StartDeclarationAsync(schema, clock, setup.Apply);
        var log = new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(declaration.Channel);
        await StackFixture.Declaration(declaration).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), As(stack.Tokens.Ministry("PL")));
        await stack.WaitUntilLoggedAsync(schema, 2);

        var beyond = await Assert.ThrowsAsync<RpcException>(async () => await log.GetInclusionProofAsync(new GetInclusionProofRequest { LeafIndex = 0, TreeSize = 3 }));
        Assert.Equal((StatusCode.InvalidArgument, "tree_size: must be above the leaf index 0 and at most the log's size 2"), (beyond.StatusCode, beyond.Status.Detail));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await log.GetInclusionProofAsync(new GetInclusionProofRequest { Sequence = 999, TreeSize = 1 }));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        var backwards = await Assert.ThrowsAsync<RpcException>(async () => await log.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = 2, SecondSize = 1 }));
        Assert.Equal((StatusCode.InvalidArgument, "first_size: must be between 1 and second_size 1"), (backwards.StatusCode, backwards.Status.Detail));
    }

    private static string CheckpointLog(long size) => CrisisOps.ServiceDefaults.Transparency.CheckpointLog.FileName(size);

    private async Task AssertRefusedAsync(string sql)
    {
        await using var c = new NpgsqlConnection(stack.Infra.Application);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }
}
