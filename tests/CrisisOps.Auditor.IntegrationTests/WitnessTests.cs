extern alias witness;
using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Transparency;
using Xunit;
using static CrisisOps.Testing.RunningService;
using WitnessCommand = witness::CrisisOps.Witness.WitnessCommand;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// crisisops-witness against a real service and the operator (issue 11): the witness cosigns each checkpoint it can
/// prove extends the last it cosigned, and refuses, with evidence kept, the checkpoint of a store rewritten by whoever
/// owns the database, who recomputed every hash, and even deleted the service's own published checkpoints. The audit
/// against the witness's directory then fails naming the store, the checkpoint and where the history no longer matches.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WitnessTests(StackFixture stack)
{
    [Fact]
    public async Task A_normal_extension_is_cosigned_and_the_audit_against_the_witness_passes()
    {
        using var w = await Witnessed.RecordAsync(stack, "wclean");

        var cosigned = Directory.GetFiles(Path.Combine(w.State, "cosigned"), "*.checkpoint", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["00000000000000000003.checkpoint", "00000000000000000005.checkpoint"], cosigned.Select(Path.GetFileName));
        var newest = SignedCheckpoint.Parse(await File.ReadAllTextAsync(cosigned[^1]));
        Assert.True(newest.Note.IsSignedBy(w.Setup.Key.Verifier));
        Assert.NotNull(Cosignature.VerifiedBy(newest, w.Key.Verifier));
        // The service restarted signs the same tree anew: nothing new to cosign, nothing refused.
        await using (var restarted = await w.StartAsync())
        {
            Assert.Equal(WitnessCommand.AllCosigned, await w.PollAsync(restarted));
        }

        Assert.Equal(2, Directory.GetFiles(Path.Combine(w.State, "cosigned"), "*.checkpoint", SearchOption.AllDirectories).Length);
        Assert.False(Directory.Exists(Path.Combine(w.State, "refused")));

        var (exit, report) = await AuditAsync(w);
        Assert.Equal("", string.Join("; ", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule}: {f.Message}")));
        Assert.Equal(AuditCommand.Passed, exit);
    }

    [Fact]
    public async Task Two_checkpoints_of_the_same_size_both_signed_by_the_log_are_a_split_view_the_witness_refuses()
    {
        using var w = await Witnessed.RecordAsync(stack, "wsplit");
        // The operator rewrites a decision, recomputes every hash and lets the service sign the rewritten tree of the same size.
        await stack.ExecuteAsync($$"""update {{w.Schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2022-12-31"') where seq_id = 3""");
        await w.ForgetPublishedCheckpointsAsync();
        await OperatorAttacks.RecomputeEverythingAsync(stack, w.Schema);
        await using (var service = await w.StartAsync())
        {
            Assert.Equal(WitnessCommand.Refused, await w.PollAsync(service));
        }

        var refusal = await SingleRefusalAsync(w);
        Assert.Contains("kind: split-view", refusal, StringComparison.Ordinal);
        Assert.Contains("size: 5", refusal, StringComparison.Ordinal);
        // The evidence: two notes of size 5, both signed by the log, with different roots.
        var notes = refusal.Split("\n-- ")[1..3].Select(n => SignedCheckpoint.Parse(n[(n.IndexOf('\n', StringComparison.Ordinal) + 1)..])).ToList();
        Assert.All(notes, n => Assert.True(n.Note.IsSignedBy(w.Setup.Key.Verifier)));
        Assert.Equal(5L, notes[0].Checkpoint.Size);
        Assert.False(notes[0].Checkpoint.SameTree(notes[1].Checkpoint));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(w.State, "cosigned"), "*.checkpoint", SearchOption.AllDirectories).Length);

        var (exit, report) = await AuditAsync(w);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        Assert.Contains(report.Findings, f => f.Rule == "integrity.witness-refused" && f.Store == w.Schema && f.Message.Contains("split-view", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rewrite_after_a_cosigned_checkpoint_is_refused_and_the_audit_names_the_store_the_checkpoint_and_the_position()
    {
        using var w = await Witnessed.RecordAsync(stack, "wrewrite");
        await stack.ExecuteAsync($$"""update {{w.Schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2022-12-31"') where seq_id = 3""");
        await w.ForgetPublishedCheckpointsAsync();
        await OperatorAttacks.RecomputeEverythingAsync(stack, w.Schema);
        await using (var service = await w.StartAsync())
        {
            // The service records on: the tree grows past the cosigned size, on top of the rewritten history.
            await StackFixture.Declaration(service).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-4"), As(stack.Tokens.Ministry("PL")));
            await stack.WaitUntilLoggedAsync(w.Schema, 6);
            Assert.Equal(WitnessCommand.Refused, await w.PollAsync(service));
        }

        Assert.Contains("kind: not-an-extension", await SingleRefusalAsync(w), StringComparison.Ordinal);
        var (exit, report) = await AuditAsync(w);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        var mismatch = report.Findings.First(f => f.Rule == "integrity.checkpoint-mismatch");
        Assert.Equal((Severity.Error, w.Schema), (mismatch.Severity, mismatch.Store));
        Assert.Contains($"checkpoint {TransparencySetup.LogName}/{w.Schema} at size 3 (cosigned by {w.Key.Name} at ", mismatch.Message, StringComparison.Ordinal);
        Assert.Contains("among leaves 0 to 2", mismatch.Message, StringComparison.Ordinal);
        // The first position the range starts at: the store's first leaf.
        Assert.Equal(1L, mismatch.Sequence);
        Assert.Contains(report.Findings, f => f.Rule == "integrity.witness-refused" && f.Store == w.Schema);
    }

    [Fact]
    public async Task A_store_rolled_back_below_the_cosigned_size_is_refused()
    {
        using var w = await Witnessed.RecordAsync(stack, "wroll");
        await OperatorAttacks.DeleteTailAsync(stack, w.Schema, after: 3);
        await w.ForgetPublishedCheckpointsAsync();
        await using (var service = await w.StartAsync())
        {
            Assert.Equal(WitnessCommand.Refused, await w.PollAsync(service));
        }

        Assert.Contains("kind: rollback", await SingleRefusalAsync(w), StringComparison.Ordinal);
    }

    private static async Task<string> SingleRefusalAsync(Witnessed w) =>
        await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(w.State, "refused"), "*.refusal", SearchOption.AllDirectories)));

    private async Task<(int Exit, AuditReport Report)> AuditAsync(Witnessed w)
    {
        var json = Path.Combine(w.Setup.Root, $"audit-{Guid.NewGuid():N}.json");
        var logKeys = Path.Combine(w.Setup.Root, "log-keys");
        var witnessKeys = Path.Combine(w.Setup.Root, "witness-keys");
        await File.WriteAllTextAsync(logKeys, w.Setup.Key.Verifier + "\n");
        await File.WriteAllTextAsync(witnessKeys, w.Key.Verifier + "\n");
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", w.Schema, "--as-of", "2021-09-04", "--json", json,
             "--witness", w.State, "--witness-keys", witnessKeys, "--log-keys", logKeys]).InvokeAsync();
        return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
    }
}
