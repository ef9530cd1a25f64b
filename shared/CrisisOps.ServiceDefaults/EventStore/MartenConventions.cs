using CrisisOps.ServiceDefaults.Messaging;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Weasel.Core;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>The event-store conventions every service follows.</summary>
public static class MartenConventions
{
    /// <summary>
    /// Marten on the service's own schema, string stream keys, decision metadata columns, the async daemon
    /// and the relay that forwards committed events to RabbitMQ.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="schema">The service's own PostgreSQL schema; no service reads another's.</param>
    /// <param name="configure">Service-specific document mappings.</param>
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddCrisisOpsEventStore(
        this WebApplicationBuilder builder, string schema, Action<StoreOptions>? configure = null)
    {
        var connectionString = builder.Configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured");
        schema = builder.Configuration["EventStore:Schema"] ?? schema;
        var daemonMode = builder.Configuration.GetValue("EventStore:DaemonMode", DaemonMode.HotCold);

        return builder.Services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
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
                opts.Schema.For<ProcessedMessage>();
                opts.Schema.For<Deadline>().Index(d => d.DueAt);
                configure?.Invoke(opts);
            })
            .UseLightweightSessions()
            // Schema changes happen at start-up, not inside the first command that touches a table.
            .ApplyAllDatabaseChangesOnStartup()
            .AddSubscriptionWithServices<IntegrationEventRelay>(ServiceLifetime.Singleton, o =>
            {
                o.Options.BatchSize = 200;
            })
            .AddAsyncDaemon(daemonMode);
    }
}
