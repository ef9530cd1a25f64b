using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Testing;
using CrisisOps.Transparency.Grpc.V1;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// Legal ends acted on many per transaction (issue 12) leave a store the audit passes as it passes one decided one
/// at a time: every expiry on its stream's hash chain, signed with the service's key, in the Merkle log the kept
/// checkpoints commit to, lawful and on time.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BatchedExpiryAuditTests(StackFixture stack)
{
    [Fact]
    public async Task Thirty_emergencies_expired_in_batches_pass_the_audit_with_their_signatures_chains_and_checkpoints()
    {
        const int count = 30;
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("abatch");
        using var setup = new TransparencySetup(schema);
        await using (var declaration = await stack.StartDeclarationAsync(schema, clock, setup.Apply))
        {
            var crises = StackFixture.Declaration(declaration);
            var poland = As(stack.Tokens.Ministry("PL"));
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
                await crises.DeclareEmergencyAsync(Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
                ids.Add(crisis.Result.Id);
            }

            // Thirty seconds past 1 October 2021, 24:00 in Warsaw: the worker acts on all thirty ends at once.
            clock.SetUtcNow(new DateTimeOffset(2021, 10, 2, 0, 0, 30, TimeSpan.FromHours(2)));
            foreach (var id in ids)
            {
                await WaitForAsync(async () =>
                    (await crises.GetCrisisAsync(new GetCrisisRequest { CrisisId = id }, poland)).Emergency.Status == EmergencyStatus.Expired);
            }

            var transactions = await stack.ScalarAsync<long>($"select count(distinct xmin::text) from {schema}.mt_events where type = 'emergency_expired'");
            Assert.InRange(transactions, 1, count / 2);
            await stack.WaitUntilLoggedAsync(schema, 1 + (3 * count));
            await stack.WaitUntilSealedAsync(schema);
            await new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(declaration.Channel)
                .GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });
        }

        var kept = Path.Combine(setup.Root, "kept");
        Directory.CreateDirectory(kept);
        foreach (var file in Directory.GetFiles(Path.Combine(setup.Checkpoints, schema))) File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));
        var json = Path.Combine(setup.Root, "audit.json");
        var keys = Path.Combine(setup.Root, "log-keys");
        await File.WriteAllTextAsync(keys, setup.Key.Verifier + "\n");
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", schema, "--as-of", "2021-10-03", "--json", json, "--checkpoints", kept, "--log-keys", keys])
            .InvokeAsync();
        var report = AuditJson.Deserialize(await File.ReadAllTextAsync(json));

        Assert.Equal("", string.Join("; ", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule}: {f.Message}")));
        Assert.Equal(AuditCommand.Passed, exit);
        Assert.Equal(count, report.RecordedEnds.Count);
        Assert.All(report.RecordedEnds, e => Assert.Equal(30, e.LagSeconds));
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition never held");
            await Task.Delay(100);
        }
    }
}
