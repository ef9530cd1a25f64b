extern alias declaration;
extern alias measures;
using System.Diagnostics;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;

namespace CrisisOps.Deployment.Tests;

/// <summary>
/// Each service's own PostgreSQL role (deploy/db-roles.sql) and RabbitMQ user (deploy/mq-users.sh), on the real servers:
/// a service reaches its own schema, queues and exchanges, and nothing of another's.
/// </summary>
public sealed class ServiceIsolationTests : ServiceStack
{
    [Fact]
    public async Task A_service_role_reads_and_appends_to_its_own_schema_only_and_cannot_rewrite_its_history()
    {
        var declarationSchema = TestSettings.NewSchema("isodecl");
        var measuresSchema = TestSettings.NewSchema("isomeas");
        await using var declarationService = await RunningService.StartAsync(DeclarationService.Build, AsOwnRole("declaration", declarationSchema));
        await using var measuresService = await RunningService.StartAsync(MeasuresService.Build, AsOwnRole("measures", measuresSchema));
        var declaration = Infra.ServiceRole("declaration");
        var measures = Infra.ServiceRole("measures");

        // Its own history: readable and appended to at start-up (the law it adopted), as its own role.
        Assert.True(await CountAsync($"select count(*) from {declarationSchema}.mt_events", declaration) >= 1);
        Assert.True(await CountAsync($"select count(*) from {measuresSchema}.mt_events", measures) >= 1);

        // Another service's schema: neither read nor written.
        await AssertRefusedAsync($"select count(*) from {measuresSchema}.mt_events", declaration);
        await AssertRefusedAsync($"select count(*) from {measuresSchema}.mt_streams", declaration);
        await AssertRefusedAsync($"insert into {measuresSchema}.mt_doc_deadline (id, data) values ('x', '{{}}')", declaration);
        await AssertRefusedAsync($"delete from {measuresSchema}.mt_doc_deadline", declaration);
        await AssertRefusedAsync($"select count(*) from {declarationSchema}.mt_events", measures);

        // Its own history is insert-only: events, streams, the log chain and the Merkle log.
        await AssertRefusedAsync($"update {declarationSchema}.mt_events set data = data", declaration);
        await AssertRefusedAsync($"delete from {declarationSchema}.mt_events", declaration);
        await AssertRefusedAsync($"update {declarationSchema}.mt_streams set type = 'x'", declaration);
        await AssertRefusedAsync($"delete from {declarationSchema}.mt_streams", declaration);
        await AssertRefusedAsync($"update {declarationSchema}.mt_doc_logchainlink set data = data", declaration);
        await AssertRefusedAsync($"delete from {declarationSchema}.mt_doc_logchainlink", declaration);
        await AssertRefusedAsync($"delete from {declarationSchema}.mt_doc_merkleleaf", declaration);
        await AssertRefusedAsync($"update {declarationSchema}.mt_doc_merklenode set data = data", declaration);
        await AssertRefusedAsync($"drop table {declarationSchema}.mt_events cascade", declaration);
    }

    [Fact]
    public async Task A_service_user_declares_and_consumes_its_own_queues_and_cannot_publish_or_consume_another_services()
    {
        var id = Guid.NewGuid().ToString("N")[..10];
        var vhost = $"crisisops-test-{id}";
        var suffix = $"-test-{id}";
        await RabbitMqCtlAsync("add_vhost", vhost);
        try
        {
            await RabbitMqCtlAsync("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            await RunAsync("bash", Repository.File("deploy/mq-users.sh"), "--vhost", vhost, "--suffix", suffix);
            var guest = new Uri(new Uri(Infra.RabbitMq), Uri.EscapeDataString(vhost));
            var user = new UriBuilder(guest) { UserName = $"crisisops-measures{suffix}", Password = "crisisops-measures-local" }.Uri;

            // What the declaration service would have declared: its event exchange and one of its queues.
            await using (var admin = await new ConnectionFactory { Uri = guest }.CreateConnectionAsync())
            await using (var channel = await admin.CreateChannelAsync())
            {
                await channel.ExchangeDeclareAsync("CrisisOps.Contracts.Declaration.V1:CrisisDeclared", ExchangeType.Fanout, durable: true);
                await channel.QueueDeclareAsync("crisisops-declaration-reception-strain", durable: true, exclusive: false, autoDelete: false);
            }

            // The real measures service starts as its user in that virtual host: its topology (its queues bound to the
            // declaration's exchanges, its own exchanges) is within its permissions.
            var settings = AsOwnRole("measures", TestSettings.NewSchema("isomq"));
            settings["ConnectionStrings:rabbitmq"] = user.ToString();
            settings["Messaging:EndpointPrefix"] = "crisisops-measures";
            settings.Remove(MessageTopology.PrefixSetting);
            await using (await RunningService.StartAsync(MeasuresService.Build, settings))
            {
                await using var connection = await new ConnectionFactory { Uri = user }.CreateConnectionAsync();

                // Its own events: declared, published and confirmed.
                await using (var own = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
                {
                    await own.ExchangeDeclareAsync("CrisisOps.Contracts.Measures.V1:MeasureEnacted", ExchangeType.Fanout, durable: true);
                    await own.BasicPublishAsync("CrisisOps.Contracts.Measures.V1:MeasureEnacted", "", false, new BasicProperties(), ReadOnlyMemory<byte>.Empty);
                    Assert.True(own.IsOpen);
                }

                // The declaration's exchange: refused (403 ACCESS_REFUSED closes the channel).
                await using (var foreign = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
                {
                    var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
                        foreign.BasicPublishAsync("CrisisOps.Contracts.Declaration.V1:CrisisDeclared", "", false, new BasicProperties(), ReadOnlyMemory<byte>.Empty).AsTask());
                    Assert.Equal((ushort?)403, foreign.CloseReason?.ReplyCode ?? (refused as OperationInterruptedException)?.ShutdownReason?.ReplyCode);
                }

                // The declaration's queue: neither consumed nor declared.
                await using (var foreign = await connection.CreateChannelAsync())
                {
                    var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
                        foreign.BasicConsumeAsync("crisisops-declaration-reception-strain", true, new AsyncEventingBasicConsumer(foreign)));
                    Assert.Equal((ushort?)403, refused.ShutdownReason?.ReplyCode);
                }

                await using (var foreign = await connection.CreateChannelAsync())
                {
                    var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() =>
                        foreign.QueueDeclareAsync("crisisops-declaration-stolen", durable: true, exclusive: false, autoDelete: false));
                    Assert.Equal((ushort?)403, refused.ShutdownReason?.ReplyCode);
                }
            }
        }
        finally
        {
            foreach (var service in new[] { "declaration", "measures", "reception", "humanitarian", "leverages", "situation" })
                await RabbitMqCtlAsync("delete_user", $"crisisops-{service}{suffix}");
            await RabbitMqCtlAsync("delete_vhost", vhost);
        }
    }

    /// <summary>A service's settings with its own role (and the migrator for its schema).</summary>
    private Dictionary<string, string?> AsOwnRole(string service, string schema)
    {
        var settings = TestSettings.For(Infra, Tokens, schema);
        settings["ConnectionStrings:postgres"] = Infra.ServiceRole(service);
        settings[$"ConnectionStrings:{MartenConventions.MigratorConnection}"] = Infra.Migrator;
        return settings;
    }

    private static async Task<long> CountAsync(string sql, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task AssertRefusedAsync(string sql, string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        // 42501 insufficient_privilege (also what "must be owner" raises).
        Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {refused.SqlState} {refused.MessageText}");
    }

    private static Task RabbitMqCtlAsync(params string[] args) => RunAsync("rabbitmqctl", ["-q", .. args]);

    private static async Task RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {await error}");
    }
}
