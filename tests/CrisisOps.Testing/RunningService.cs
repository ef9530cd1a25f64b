using CrisisOps.ServiceDefaults.Messaging;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CrisisOps.Testing;

/// <summary>
/// A service started for real: Kestrel on a loopback port, HTTP/2 (h2c) gRPC, real PostgreSQL and RabbitMQ.
/// Stopping and starting another on the same schema is a service restart.
/// </summary>
public sealed class RunningService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningService(WebApplication app, string address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address);
    }

    public string Address { get; }

    public GrpcChannel Channel { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningService> StartAsync(
        Func<string[], Action<WebApplicationBuilder>, WebApplication> build,
        IDictionary<string, string?> settings,
        TimeProvider? clock = null)
    {
        var app = build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseUrls("http://127.0.0.1:0");
            if (clock is not null) b.Services.AddSingleton(clock);
        });
        await app.StartAsync();
        return new RunningService(app, app.Urls.First());
    }

    /// <summary>Call options carrying a bearer token.</summary>
    public static CallOptions As(string token, CancellationToken ct = default) =>
        new(new Metadata { { "Authorization", $"Bearer {token}" } }, cancellationToken: ct);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Settings of one isolated service instance: its own schema and queue names on the shared servers.</summary>
public static class TestSettings
{
    public static Dictionary<string, string?> For(Infrastructure infra, Tokens tokens, string schema) => new()
    {
        ["ConnectionStrings:postgres"] = infra.Postgres,
        ["ConnectionStrings:rabbitmq"] = infra.RabbitMq,
        ["Auth:SigningKeyFile"] = tokens.PublicKeyFile,
        ["EventStore:Schema"] = schema,
        ["EventStore:DaemonMode"] = "Solo",
        ["Messaging:EndpointPrefix"] = schema.Replace('_', '-'),
        [MessageTopology.PrefixSetting] = infra.BusTopology,
        [MessageTopology.QueueExpirySetting] = "00:10:00",
        ["Deadlines:PollInterval"] = "00:00:00.200",
    };

    public static string NewSchema(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..24];
}

/// <summary>A gRPC channel to a service running in another process.</summary>
public sealed class ServiceEndpoint(string address) : IDisposable
{
    public Grpc.Net.Client.GrpcChannel Channel { get; } = Grpc.Net.Client.GrpcChannel.ForAddress(address);

    public void Dispose() => Channel.Dispose();
}
