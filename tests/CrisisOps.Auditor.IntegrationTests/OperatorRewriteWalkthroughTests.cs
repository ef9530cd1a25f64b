extern alias witness;
using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Forgery;
using Xunit;
using WitnessCommand = witness::CrisisOps.Witness.WitnessCommand;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// Issue 11's "Done when", on a small history, as <c>deploy/walkthrough/operator-rewrite.sh</c> does it on the demo's: the
/// auditor keeps the published checkpoints and the witness's cosigned state; the operator rewrites one decision with full
/// database rights and recomputes every hash the database holds, and the service, which holds the log key, rebuilds its
/// logs and signs the rewritten tree; then the audit against what was kept fails naming that decision, the witness
/// refuses the next checkpoint, and a receipt of an untouched decision fetched before still verifies offline.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OperatorRewriteWalkthroughTests(StackFixture stack)
{
    [Fact]
    public async Task One_decision_rewritten_with_full_database_rights_is_named_by_the_audit_refused_by_the_witness_and_an_untouched_receipt_still_verifies()
    {
        using var w = await Witnessed.RecordAsync(stack, "walk");
        var auditor = Path.Combine(w.Setup.Root, "auditor");
        var keptCheckpoints = Path.Combine(auditor, "checkpoints");
        var keptWitness = Path.Combine(auditor, "witness");
        Copy(w.Setup.Checkpoints, keptCheckpoints);
        Copy(w.State, keptWitness);
        var receipt = Path.Combine(auditor, "receipt.json");
        await using (var service = await w.StartAsync())
        {
            // The first crisis (v1, sequence 2): a decision the operator will not touch.
            Assert.Equal(AuditCommand.Passed, await AuditCommand.Create().Parse(
                ["fetch-receipt", "--endpoint", service.Address, "--stream", w.First, "--stream-version", "1", "--out", receipt]).InvokeAsync());
        }

        var (logKeys, witnessKeys) = (Path.Combine(auditor, "log-keys"), Path.Combine(auditor, "witness-keys"));
        await File.WriteAllTextAsync(logKeys, w.Setup.Key.Verifier + "\n");
        await File.WriteAllTextAsync(witnessKeys, w.Key.Verifier + "\n");
        var (before, _) = await AuditAsync(w, keptCheckpoints, keptWitness, logKeys, witnessKeys);
        Assert.Equal(AuditCommand.Passed, before);

        // The operator: the emergency's end moved by a year, every hash recomputed, the published checkpoints deleted,
        // and the service, restarted with its log key, rebuilding both logs and signing the rewritten tree.
        var (stream, version) = await OperatorForgery.RewriteAsync(stack.Infra.Postgres, w.Schema, 3, "EndDate", "\"2022-10-01\"", CancellationToken.None);
        Assert.Equal((w.First, 2L), (stream, version));
        await w.ForgetPublishedCheckpointsAsync();
        await OperatorAttacks.RecomputeEverythingAsync(stack, w.Schema, w.Setup.Apply);

        var (after, report) = await AuditAsync(w, keptCheckpoints, keptWitness, logKeys, witnessKeys);
        Assert.Equal(AuditCommand.ChecksFailed, after);
        var all = string.Join("\n", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule} {f.StreamKey} v{f.Version} #{f.Sequence}: {f.Message}"));
        Assert.True(report.Findings.Any(f => f.Rule == "integrity.bad-signature" && (f.StreamKey, f.Version, f.Sequence) == (stream, version, 3L)), all);
        Assert.True(report.Findings.Any(f => f.Rule == "integrity.checkpoint-mismatch" && f.Store == w.Schema), all);

        await using (var service = await w.StartAsync())
        {
            Assert.Equal(WitnessCommand.Refused, await w.PollAsync(service));
        }

        Assert.Single(Directory.GetFiles(Path.Combine(w.State, "refused"), "*.refusal", SearchOption.AllDirectories));
        Assert.Equal(AuditCommand.Passed, await AuditCommand.Create().Parse(
            ["verify-receipt", receipt, "--log-keys", logKeys, "--witness-keys", witnessKeys]).InvokeAsync());
    }

    private async Task<(int Exit, AuditReport Report)> AuditAsync(Witnessed w, string checkpoints, string witnessState, string logKeys, string witnessKeys)
    {
        var json = Path.Combine(w.Setup.Root, $"audit-{Guid.NewGuid():N}.json");
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", w.Schema, "--as-of", "2021-09-04", "--json", json,
             "--checkpoints", checkpoints, "--witness", witnessState, "--witness-keys", witnessKeys, "--log-keys", logKeys]).InvokeAsync();
        return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
    }

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
