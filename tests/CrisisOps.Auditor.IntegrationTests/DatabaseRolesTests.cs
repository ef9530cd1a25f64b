using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>deploy/db-roles.sql against the real PostgreSQL: the services run as a role that cannot rewrite history.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DatabaseRolesTests(StackFixture stack)
{
    private string Migrator => stack.Infra.Migrator;
    private string Application => stack.Infra.Application;
    private string Auditor => stack.Infra.Auditor;

    [Fact]
    public async Task A_service_running_as_the_application_role_records_decisions_that_the_role_cannot_rewrite()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("roles");
        await using var declaration = await stack.StartDeclarationAsync(schema, clock, s =>
        {
            s["ConnectionStrings:postgres"] = Application;
            s[$"ConnectionStrings:{MartenConventions.MigratorConnection}"] = Migrator;
        });
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declaration);

        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await crises.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        // The deadline worker deletes its deadline document and appends the expiry, as the application role.
        clock.SetUtcNow(new DateTimeOffset(2021, 10, 2, 0, 0, 5, TimeSpan.FromHours(2)));
        var details = await WaitForAsync(async () => await crises.GetCrisisAsync(new() { CrisisId = crisis.Result.Id }, poland),
            d => d.Emergency.Status == CrisisOps.Declaration.Grpc.V1.EmergencyStatus.Expired);
        Assert.Equal(3, details.Version);

        // The async daemon (log chain and relay) keeps its progression as the application role too.
        await stack.WaitUntilSealedAsync(schema, Auditor);
        await WaitForAsync(() => stack.ScalarAsync<long>(
            $"select coalesce(min(last_seq_id), 0) from {schema}.mt_event_progression where name in ('log-chain:All', 'integration-event-relay:All')", Auditor),
            seq => seq >= 3);
        Assert.Empty((await stack.VerifyAsync(schema, Auditor)).Findings);

        Assert.Equal("crisisops_migrator", await stack.ScalarAsync<string>($"select nspowner::regrole::text from pg_namespace where nspname = '{schema}'", Auditor));
        await AssertRefusedAsync($"update {schema}.mt_events set data = jsonb_set(data, '{{TargetCountry}}', '\"GR\"') where version = 1");
        await AssertRefusedAsync($"delete from {schema}.mt_events where version = 3");
        await AssertRefusedAsync($"truncate {schema}.mt_events cascade");
        await AssertRefusedAsync($"delete from {schema}.mt_streams");
        await AssertRefusedAsync($"update {schema}.mt_streams set type = 'x'");
        await AssertRefusedAsync($"update {schema}.mt_doc_logchainlink set data = data");
        await AssertRefusedAsync($"delete from {schema}.mt_doc_logchainlink");
        await AssertRefusedAsync($"alter table {schema}.mt_events disable trigger all");
        await AssertRefusedAsync($"drop table {schema}.mt_events cascade");
        Assert.Equal(3, await stack.ScalarAsync<long>($"select count(*) from {schema}.mt_events where stream_id = '{crisis.Result.Id}'", Application));
    }

    private async Task AssertRefusedAsync(string sql)
    {
        await using var c = new NpgsqlConnection(Application);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        // 42501 insufficient_privilege; 42501 is also what "must be owner" raises.
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"the condition was never met (last value: {value})");
            await Task.Delay(100);
        }
    }
}
