using System.Globalization;
using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Testing;
using CrisisOps.Transparency;
using CrisisOps.Transparency.Grpc.V1;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// Rotating a service's decision-signing key (issue 11): each published key signs for a period; what an old key signed
/// in its period stays verifiable after the rotation, and a retired key that signs again is caught.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class KeyRotationTests(StackFixture stack)
{
    [Fact]
    public async Task A_key_rotated_mid_history_keeps_the_audit_passing_and_a_retired_key_signing_again_fails()
    {
        var schema = TestSettings.NewSchema("krot");
        using var setup = new TransparencySetup(schema);
        using var successor = NoteKey.Generate(setup.Key.Name, NoteKeyType.Ed25519);
        var successorFile = Path.Combine(setup.Root, "log-2.key");
        await File.WriteAllTextAsync(successorFile, successor.Export());
        var poland = As(stack.Tokens.Ministry("PL"));

        // The first key's period: the law, a crisis and its emergency.
        string crisis;
        await using (var first = await StartAsync(schema, setup, setup.KeyFile, day: 2))
        {
            var crises = StackFixture.Declaration(first);
            var declared = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
            crisis = declared.Result.Id;
            await crises.DeclareEmergencyAsync(Requests.Emergency(crisis, declared.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
            await stack.WaitUntilLoggedAsync(schema, 3);
            await Log(first).GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });
        }

        // Rotated just after the last event the first key signed: the first key's period ends, the successor's begins.
        var rotation = new DateTimeOffset(await stack.ScalarAsync<DateTime>($"select max(timestamp) from {schema}.mt_events"), TimeSpan.Zero).AddMilliseconds(1);
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        await using (var second = await StartAsync(schema, setup, successorFile, day: 3))
        {
            await StackFixture.Declaration(second).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-2"), poland);
            await stack.WaitUntilLoggedAsync(schema, 4);
            await stack.WaitUntilSealedAsync(schema);
            await Log(second).GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });
        }

        var keys = Path.Combine(setup.Root, "published-keys");
        await File.WriteAllLinesAsync(keys, [
            $"# {schema}: rotated at {rotation:O}",
            $"{setup.Key.Verifier} until={rotation.ToString("O", CultureInfo.InvariantCulture)}",
            $"{successor.Verifier} from={rotation.ToString("O", CultureInfo.InvariantCulture)}",
        ]);
        var kept = Path.Combine(setup.Root, "kept");
        Directory.CreateDirectory(kept);
        foreach (var file in Directory.GetFiles(Path.Combine(setup.Checkpoints, schema))) File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));
        // Checkpoints signed by either key, decisions signed by each in its period.
        Assert.Contains(Directory.GetFiles(kept), f => SignedCheckpoint.Parse(File.ReadAllText(f)).Note.IsSignedBy(setup.Key.Verifier));
        Assert.Contains(Directory.GetFiles(kept), f => SignedCheckpoint.Parse(File.ReadAllText(f)).Note.IsSignedBy(successor.Verifier));

        var (exit, report) = await AuditAsync(schema, setup, kept, keys);
        Assert.Equal("", string.Join("; ", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule}: {f.Message}")));
        Assert.Equal(AuditCommand.Passed, exit);

        // Whoever kept the retired key signs one more decision with it, after its period.
        await using (var stolen = await StartAsync(schema, setup, setup.KeyFile, day: 4))
        {
            await StackFixture.Declaration(stolen).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-3"), poland);
            await stack.WaitUntilLoggedAsync(schema, 5);
        }

        (exit, report) = await AuditAsync(schema, setup, kept, keys);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        var finding = Assert.Single(report.Findings, f => f.Severity == Severity.Error);
        Assert.Equal(("integrity.key-not-valid", schema, 1L, 5L), (finding.Rule, finding.Store, finding.Version, finding.Sequence));
        Assert.Contains(setup.Key.Verifier.ToString(), finding.Message, StringComparison.Ordinal);
    }

    private Task<RunningService> StartAsync(string schema, TransparencySetup setup, string keyFile, int day) =>
        stack.StartDeclarationAsync(schema, new FakeTimeProvider(new DateTimeOffset(2021, 9, day, 10, 0, 0, TimeSpan.FromHours(2))), s =>
        {
            setup.Apply(s);
            s["Transparency:KeyFile"] = keyFile;
        });

    private static CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient Log(RunningService service) => new(service.Channel);

    private async Task<(int Exit, AuditReport Report)> AuditAsync(string schema, TransparencySetup setup, string kept, string keys)
    {
        var json = Path.Combine(setup.Root, $"audit-{Guid.NewGuid():N}.json");
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", schema, "--as-of", "2021-09-05", "--json", json, "--checkpoints", kept, "--log-keys", keys]).InvokeAsync();
        return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
    }
}
