using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.ServiceDefaults.Transparency;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Weasel.Core;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>The event-store conventions every service follows.</summary>
public static class MartenConventions
{
    /// <summary>
    /// The connection string of the migration role (<c>ConnectionStrings:postgres_migrator</c>, deploy/db-roles.sql).
    /// When it is set, the schema is created and changed with it at start-up, the application role named by
    /// <c>ConnectionStrings:postgres</c> is granted what Marten needs to run and nothing that rewrites history, and the
    /// service then runs as that role without creating anything.
    /// </summary>
    public const string MigratorConnection = "postgres_migrator";

    /// <summary>
    /// Marten on the service's own schema, string stream keys, decision metadata columns, the event chains of issue 6,
    /// the async daemon and the relay that forwards committed events to RabbitMQ.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="schema">The service's own PostgreSQL schema; no service reads another's.</param>
    /// <param name="configure">Service-specific document mappings.</param>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddCrisisOpsEventStore(
        this WebApplicationBuilder builder, string schema, Action<StoreOptions>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured");
        var migrator = builder.Configuration.GetConnectionString(MigratorConnection);
        schema = builder.Configuration["EventStore:Schema"] ?? schema;
        var daemonMode = builder.Configuration.GetValue("EventStore:DaemonMode", DaemonMode.HotCold);
        var polling = builder.Configuration.GetSection(DaemonPolling.Section).Get<DaemonPolling>() ?? new DaemonPolling();
        var budget = builder.Configuration.GetSection(ConnectionBudget.Section).Get<ConnectionBudget>() ?? new ConnectionBudget();
        var applicationName = ConnectionBudget.ApplicationNameOf(schema);
        var logReader = budget.Apply(connectionString, applicationName + "-log", budget.LogReaderPoolSize);
        connectionString = budget.Apply(connectionString, applicationName, budget.MaxPoolSize);
        // The migration runs once at start-up: unpooled, it leaves no idle connection behind for the next 5 minutes.
        if (migrator is { Length: > 0 })
            migrator = new NpgsqlConnectionStringBuilder(migrator) { Pooling = false, ApplicationName = applicationName + "-migrator" }.ConnectionString;

        void Configure(StoreOptions opts, string connection)
        {
            ConfigureStore(opts, connection, schema, connection == connectionString ? logReader : null, polling.DerivedCommitsWaitForDisk);
            polling.ApplyTo(opts);
            configure?.Invoke(opts);
        }

        if (migrator is { Length: > 0 })
        {
            // Registered before Marten's own hosted services, so the schema exists before the daemon starts.
            var applicationRole = new NpgsqlConnectionStringBuilder(connectionString).Username
                ?? throw new InvalidOperationException("ConnectionStrings:postgres names no user");
            // The migration store only changes the schema; the service's own store runs the daemon. Saying so keeps Marten
            // from printing "The async daemon is disabled" at every start while the projections run.
            builder.Services.AddHostedService(_ => new EventStoreMigration(o =>
            {
                Configure(o, migrator);
                o.Projections.AsyncMode = DaemonMode.ExternallyManaged;
            }, migrator, schema, applicationRole));
        }

        builder.Services.Configure<DaemonPolling>(builder.Configuration.GetSection(DaemonPolling.Section));
        builder.Services.AddCrisisOpsTransparency();
        var marten = builder.Services.AddMarten(opts =>
            {
                Configure(opts, connectionString);
                if (migrator is { Length: > 0 }) opts.AutoCreateSchemaObjects = AutoCreate.None;
            })
            .UseLightweightSessions();
        // Schema changes happen at start-up, not inside the first command that touches a table.
        if (migrator is not { Length: > 0 }) marten.ApplyAllDatabaseChangesOnStartup();
        return marten
            .AddSubscriptionWithServices<IntegrationEventRelay>(ServiceLifetime.Singleton, o =>
            {
                o.Options.BatchSize = 200;
            })
            .AddAsyncDaemon(daemonMode);
    }

    /// <summary>
    /// The event-store conventions every service shares, on <paramref name="schema"/>: string stream keys, Rich
    /// appends, decision metadata columns, the service documents and the log chain. The audit benchmark builds its
    /// scratch store with the same call.
    /// The Merkle log (issue 11) reads committed rows with <paramref name="logReaderConnection"/>, or else
    /// <paramref name="connection"/>.
    /// </summary>
    public static void ConfigureStore(StoreOptions opts, string connection, string schema, string? logReaderConnection = null,
        bool derivedCommitsWaitForDisk = true)
    {
        opts.Connection(connection);
        opts.DatabaseSchemaName = schema;
        opts.Events.DatabaseSchemaName = schema;
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        // Rich appends assign version and sequence in the client, which the expected-version
        // Append and the audit hash chain (issue 6) both need; decisions are few, so the
        // throughput Quick appends buy is not worth losing that.
        opts.Events.AppendMode = EventAppendMode.Rich;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString);
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.Schema.For<ProcessedCommand>();
        opts.Schema.For<StreamHead>();
        opts.Schema.For<ProcessedMessage>();
        opts.Schema.For<FeedCheckpoint>();
        opts.Schema.For<Deadline>().Index(d => d.DueAt);
        opts.Schema.For<LogChainLink>();
        // The Merkle log of issue 11: what signed checkpoints commit to.
        opts.Schema.For<MerkleLeaf>().UniqueIndex(l => l.Sequence);
        opts.Schema.For<MerkleNode>();
        // One daemon reader for both logs: each would otherwise load and deserialize every page of events.
        opts.Events.Subscribe(new EventLogSubscription(logReaderConnection ?? connection, schema, derivedCommitsWaitForDisk));
    }
}

/// <summary>
/// Creates or changes the service's schema as the migration role, then grants the application role what Marten needs
/// to run (deploy/db-roles.sql, <c>crisisops_secure_event_store</c>): events and streams may be appended and read,
/// never updated or deleted.
/// </summary>
internal sealed class EventStoreMigration(Action<StoreOptions> configure, string migrator, string schema, string applicationRole)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using (var store = DocumentStore.For(configure))
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        await using var connection = new NpgsqlConnection(migrator);
        await connection.OpenAsync(cancellationToken);
        await using var grant = connection.CreateCommand();
        grant.CommandText = "select public.crisisops_secure_event_store(@schema, @role)";
        grant.Parameters.AddWithValue("schema", schema);
        grant.Parameters.AddWithValue("role", applicationRole);
        await grant.ExecuteNonQueryAsync(cancellationToken);

        // The Merkle log (issue 11) is append-only like the events. deploy/db-roles.sql says so too; repeated here so a
        // store is safe on a database whose function predates the log.
        await using var revoke = connection.CreateCommand();
        var role = "\"" + applicationRole.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        revoke.CommandText = $"revoke update, delete, truncate on {EventLeafRows.Quote(schema)}.mt_doc_merkleleaf from {role};"
            + $"revoke update, delete, truncate on {EventLeafRows.Quote(schema)}.mt_doc_merklenode from {role}";
        await revoke.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
