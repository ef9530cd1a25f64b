extern alias declaration;
using System.Net;
using CrisisOps.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;

namespace CrisisOps.Deployment.Tests;

/// <summary>A started service talks to its configured PostgreSQL, RabbitMQ and OTLP endpoints, and to no one else.</summary>
public sealed class NoCallHomeTests : ServiceStack
{
    // Nothing listens there: the exporter's attempts are recorded all the same, and must be the only other ones.
    private const int OtlpPort = 5159;

    [Fact]
    public async Task A_service_started_and_stopped_opens_no_connection_beyond_its_database_its_broker_and_its_collector()
    {
        using var outbound = new OutboundConnections();
        var settings = TestSettings.For(Infra, Tokens, TestSettings.NewSchema("callhome"));
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{OtlpPort}";
        var app = DeclarationService.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseUrls("http://127.0.0.1:0");
            // MassTransit waits minutes before it reports usage; on shutdown it reports at once when asked to. If the
            // report were still switched on, this makes it go out within the test.
            b.Services.Configure<UsageTelemetryOptions>(o => o.ReportOnShutdown = true);
        });
        await app.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        await app.StopAsync();
        await app.DisposeAsync();

        var postgres = new NpgsqlConnectionStringBuilder(Infra.Postgres);
        var rabbit = new Uri(Infra.RabbitMq);
        var allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { postgres.Host!, rabbit.Host };
        var allowedPorts = new HashSet<int> { postgres.Port, rabbit.IsDefaultPort ? 5672 : rabbit.Port, OtlpPort };
        var names = outbound.NamesResolved.Distinct().ToList();
        var connections = outbound.ConnectionsStarted.Distinct().ToList();

        // The recorder works: the service's own database and broker connections are in it.
        Assert.Contains(connections, c => c.Port == postgres.Port);
        Assert.Contains(connections, c => c.Port == (rabbit.IsDefaultPort ? 5672 : rabbit.Port));
        Assert.All(names, n => Assert.True(allowedHosts.Contains(n), $"resolved {n}: not a configured endpoint"));
        Assert.All(connections, c => Assert.True(IPAddress.IsLoopback(c.Address) && allowedPorts.Contains(c.Port),
            $"connected to {c}: not a configured endpoint"));
    }
}
