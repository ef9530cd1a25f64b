using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using CrisisOps.Transparency.Grpc.V1;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// crisisops-audit --checkpoints against the operator (issue 11): a store is recorded through the service, its
/// checkpoints are kept outside the database (at 3 and 5 events: the law the store adopted, then its decisions), then whoever owns the database attacks it, and the
/// audit must fail naming the store, the checkpoint and where the history no longer matches. Each attack first beats
/// the hash chains of issue 6 where it can (both recomputed), to show the checkpoint is what catches it.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CheckpointAuditTests(StackFixture stack)
{
    [Fact]
    public async Task An_untouched_store_passes_against_its_kept_checkpoints()
    {
        using var store = await RecordAsync("cclean");
        var (exit, report) = await AuditAsync(store);
        Assert.Equal("", string.Join("; ", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule}: {f.Message}")));
        Assert.Equal(AuditCommand.Passed, exit);
    }

    [Fact]
    public async Task An_event_edited_with_both_chains_and_the_Merkle_log_recomputed_fails_on_the_first_checkpoint_after_it()
    {
        using var store = await RecordAsync("cedit");
        await stack.ExecuteAsync($$"""
            update {{store.Schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2022-12-31"') where seq_id = 3
            """);
        await RecomputeEverythingAsync(store);
        Assert.Empty((await stack.VerifyAsync(store.Schema)).Findings);

        var finding = await FailingAsync(store, "integrity.checkpoint-mismatch");
        Assert.Contains($"checkpoint {TransparencySetup.LogName}/{store.Schema} at size 3", finding.Message, StringComparison.Ordinal);
        Assert.Contains("among leaves 0 to 2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("Merkle log was recomputed", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_newest_events_deleted_with_their_chain_rows_fail_as_truncated()
    {
        using var store = await RecordAsync("ctrunc");
        await DeleteTailAsync(store, after: 3);
        Assert.Empty((await stack.VerifyAsync(store.Schema)).Findings);

        var finding = await FailingAsync(store, "integrity.truncated");
        Assert.Contains($"at size 5", finding.Message, StringComparison.Ordinal);
        Assert.Contains("holds only 3 event(s)", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_whole_stream_deleted_and_the_chains_recomputed_fails_against_the_checkpoint()
    {
        using var store = await RecordAsync("cstream");
        await stack.ExecuteAsync($"""
            delete from {store.Schema}.mt_events where stream_id = '{store.Second}';
            delete from {store.Schema}.mt_streams where id = '{store.Second}';
            """);
        await RecomputeEverythingAsync(store);
        Assert.Empty((await stack.VerifyAsync(store.Schema)).Findings);

        var finding = await FailingAsync(store, "integrity.truncated");
        Assert.Contains("holds only 4 event(s) where the checkpoint signed 5", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncate {0}.mt_doc_merkleleaf, {0}.mt_doc_merklenode", "integrity.merkle-log-empty")]
    [InlineData("drop table {0}.mt_doc_merkleleaf", "integrity.no-merkle-log")]
    public async Task A_Merkle_log_truncated_or_dropped_is_an_error(string attack, string rule)
    {
        using var store = await RecordAsync("clog");
        await stack.ExecuteAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, attack, store.Schema));
        await FailingAsync(store, rule);
    }

    [Theory]
    [InlineData("timestamp = timestamp - interval '40 days'")]
    [InlineData("user_name = 'another-minister'")]
    [InlineData("headers = jsonb_set(headers, '{actor-role}', '\"Coordinator\"')")]
    [InlineData("id = gen_random_uuid()")]
    public async Task A_metadata_column_the_chains_do_not_cover_is_named_as_rewritten_at_its_position(string change)
    {
        using var store = await RecordAsync("cmeta");
        await stack.ExecuteAsync($"update {store.Schema}.mt_events set {change} where seq_id = 3");
        Assert.Empty((await stack.VerifyAsync(store.Schema)).Findings);

        var finding = await FailingAsync(store, "integrity.rewritten");
        Assert.Equal((store.First, 2L, 3L), (finding.StreamKey, finding.Version, finding.Sequence));
        Assert.Contains("leaf 2: emergency_declared v2", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_rolled_back_to_an_older_backup_and_written_on_fails_after_the_last_checkpoint_that_holds()
    {
        using var store = await RecordAsync("crollback");
        await DeleteTailAsync(store, after: 3);
        // The service runs on, on the restored store, and records two other decisions where the lost ones were.
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 3, 10, 0, 0, TimeSpan.FromHours(2)));
        await using (var restored = await stack.StartDeclarationAsync(store.Schema, clock))
        {
            var crises = StackFixture.Declaration(restored);
            var poland = As(stack.Tokens.Ministry("PL"));
            await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-9"), poland);
            await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-10"), poland);
            await stack.WaitUntilLoggedAsync(store.Schema, 5);
        }

        var finding = await FailingAsync(store, "integrity.checkpoint-mismatch");
        Assert.Contains("at size 5", finding.Message, StringComparison.Ordinal);
        Assert.Contains("among leaves 3 to 4", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"checkpoint {TransparencySetup.LogName}/{store.Schema} at size 3", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_well_chained_backdated_event_inserted_with_the_application_role_fails_as_unsigned()
    {
        using var store = await RecordAsync("cinsert");
        var s = store.Schema;
        // The grants deploy/db-roles.sql gives the application role: append and read history.
        await stack.ExecuteAsync($"""
            grant usage on schema {s} to crisisops_app; grant select, insert on {s}.mt_events, {s}.mt_streams to crisisops_app;
            grant usage, select on all sequences in schema {s} to crisisops_app;
            """);
        var (data, head) = await ReadAsync(s, $"select data::text, headers->>'chain-hash' from {s}.mt_events where seq_id = 3");
        var hash = EventChain.Hash(head, store.First, 3, "emergency_lifted", data);
        await stack.ExecuteAsync($$"""
            insert into {{s}}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
            select nextval('{{s}}.mt_events_sequence'), gen_random_uuid(), stream_id, 3, data, 'emergency_lifted', timestamp - interval '1 hour', tenant_id, mt_dotnet_type,
                   jsonb_set(headers - 'decision-signature' - 'decision-key', '{chain-hash}', '"{{hash}}"'), 'another-minister'
            from {{s}}.mt_events where seq_id = 3
            """, stack.Infra.Application);
        Assert.DoesNotContain((await stack.VerifyAsync(s)).Findings, f => f.StreamKey == store.First && f.Version == 3 && f.Kind != Core.Integrity.Tampering.Inserted);

        var finding = await FailingAsync(store, "integrity.unsigned");
        Assert.Equal((store.First, 3L), (finding.StreamKey, finding.Version));
    }

    private async Task<(string, string)> ReadAsync(string schema, string sql)
    {
        await using var c = new NpgsqlConnection(stack.Infra.Postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetString(0), reader.GetString(1));
    }

    /// <summary>A store of five events (the law adopted, a crisis, its emergency, two more crises) with checkpoints kept at 3 and 5.</summary>
    private async Task<RecordedStore> RecordAsync(string prefix)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema(prefix);
        var setup = new TransparencySetup(schema);
        await using var declaration = await stack.StartDeclarationAsync(schema, clock, setup.Apply);
        var crises = StackFixture.Declaration(declaration);
        var log = new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(declaration.Channel);
        var poland = As(stack.Tokens.Ministry("PL"));

        var first = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await crises.DeclareEmergencyAsync(Requests.Emergency(first.Result.Id, first.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await stack.WaitUntilLoggedAsync(schema, 3);
        await log.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });
        var second = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-2"), poland);
        await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-3"), poland);
        await stack.WaitUntilLoggedAsync(schema, 5);
        await stack.WaitUntilSealedAsync(schema);
        await log.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true });

        // The auditor's own copy, out of the operator's reach.
        var kept = Path.Combine(setup.Root, "kept");
        Directory.CreateDirectory(kept);
        foreach (var file in Directory.GetFiles(Path.Combine(setup.Checkpoints, schema))) File.Copy(file, Path.Combine(kept, Path.GetFileName(file)));
        return new RecordedStore(schema, setup, kept, first.Result.Id, second.Result.Id);
    }

    private async Task<Finding> FailingAsync(RecordedStore store, string rule)
    {
        var (exit, report) = await AuditAsync(store);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        // The first: every later checkpoint fails as well, for the same reason.
        var finding = report.Findings.FirstOrDefault(f => f.Rule == rule)
            ?? throw new Xunit.Sdk.XunitException($"no {rule} among: {string.Join("; ", report.Findings.Select(f => f.Rule + ": " + f.Message))}");
        Assert.Equal((Severity.Error, store.Schema), (finding.Severity, finding.Store));
        return finding;
    }

    private async Task<(int Exit, AuditReport Report)> AuditAsync(RecordedStore store)
    {
        var json = Path.Combine(store.Setup.Root, $"audit-{Guid.NewGuid():N}.json");
        var keys = Path.Combine(store.Setup.Root, "log-keys");
        await File.WriteAllTextAsync(keys, store.Setup.Key.Verifier + "\n");
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", store.Schema, "--as-of", "2021-09-04", "--json", json,
             "--checkpoints", store.Kept, "--log-keys", keys]).InvokeAsync();
        return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
    }

    private Task DeleteTailAsync(RecordedStore store, long after) => OperatorAttacks.DeleteTailAsync(stack, store.Schema, after);

    private Task RecomputeEverythingAsync(RecordedStore store) => OperatorAttacks.RecomputeEverythingAsync(stack, store.Schema);

    private sealed record RecordedStore(string Schema, TransparencySetup Setup, string Kept, string First, string Second) : IDisposable
    {
        public void Dispose() => Setup.Dispose();
    }
}
