using System.Diagnostics;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;
using Xunit;

namespace CrisisOps.Testing;

/// <summary>
/// The real PostgreSQL and RabbitMQ the integration tests run against: the servers named by
/// <c>ConnectionStrings__postgres</c> / <c>ConnectionStrings__rabbitmq</c> (set by deploy/infra.sh, the CI path on
/// machines without Docker), or else Testcontainers where a Docker engine answers. Never an in-memory stand-in.
/// </summary>
public sealed class Infrastructure : IAsyncLifetime
{
    private PostgreSqlContainer? _postgres;
    private RabbitMqContainer? _rabbit;

    public string Postgres { get; private set; } = "";
    public string RabbitMq { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres") ?? "";
        RabbitMq = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "";
        if (Postgres.Length > 0 && RabbitMq.Length > 0) return;
        if (!DockerAnswers())
            throw new InvalidOperationException(
                "No PostgreSQL/RabbitMQ: run `eval \"$(deploy/infra.sh)\"` first (or run deploy/test.sh), or start a Docker engine for Testcontainers.");
        _postgres = new PostgreSqlBuilder("postgres:16").Build();
        _rabbit = new RabbitMqBuilder("rabbitmq:3.13").Build();
        await Task.WhenAll(_postgres.StartAsync(), _rabbit.StartAsync());
        Postgres = _postgres.GetConnectionString();
        RabbitMq = _rabbit.GetConnectionString();
    }

    public async Task DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_rabbit is not null) await _rabbit.DisposeAsync();
    }

    private static bool DockerAnswers()
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("docker", "info") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (p is null) return false;
            p.WaitForExit(10_000);
            return p.HasExited && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
