using System.Diagnostics;
using CrisisOps.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;
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

    /// <summary>
    /// This fixture's own message exchanges on the shared broker (<see cref="MessageTopology"/>): the services it
    /// starts and the buses it creates meet each other, never those of test assemblies running beside it.
    /// </summary>
    public string BusTopology { get; } = $"test-{Guid.NewGuid():N}"[..13];

    /// <summary>A bus on the shared broker, in this fixture's topology (start it; dispose by stopping it).</summary>
    public IBusControl CreateBus(Action<IRabbitMqBusFactoryConfigurator>? configure = null) =>
        Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(RabbitMq));
            MessageTopology.Isolate(cfg, BusTopology);
            configure?.Invoke(cfg);
        });

    /// <summary>The roles of deploy/db-roles.sql on the same database: the schema owner, the services, the auditor.</summary>
    public string Migrator { get; private set; } = "";

    public string Application { get; private set; } = "";

    public string Auditor { get; private set; } = "";

    /// <summary>
    /// The role a service runs as in a deployment that gives each its own (crisisops_declaration, crisisops_measures, …,
    /// deploy/db-roles.sql): its own schema only, history insert-only.
    /// </summary>
    public string ServiceRole(string service) =>
        _serviceRoles.TryGetValue(service, out var connection) ? connection : Role($"CRISISOPS_PG_{service.ToUpperInvariant()}");

    private readonly Dictionary<string, string> _serviceRoles = [];

    private static readonly string[] Services = ["declaration", "measures", "reception", "humanitarian", "leverages", "situation"];

    public async Task InitializeAsync()
    {
        Postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres") ?? "";
        RabbitMq = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? "";
        if (Postgres.Length > 0 && RabbitMq.Length > 0)
        {
            Migrator = Role("CRISISOPS_PG_MIGRATOR");
            Application = Role("CRISISOPS_PG_APP");
            Auditor = Role("CRISISOPS_PG_AUDITOR");
            return;
        }

        if (!DockerAnswers())
            throw new InvalidOperationException(
                "No PostgreSQL/RabbitMQ: run `eval \"$(deploy/infra.sh)\"` first (or run deploy/test.sh), or start a Docker engine for Testcontainers.");
        _postgres = new PostgreSqlBuilder("postgres:16").Build();
        _rabbit = new RabbitMqBuilder("rabbitmq:3.13").Build();
        await Task.WhenAll(_postgres.StartAsync(), _rabbit.StartAsync());
        Postgres = _postgres.GetConnectionString();
        RabbitMq = _rabbit.GetConnectionString();
        await CreateRolesAsync(_postgres);
    }

    /// <summary>deploy/db-roles.sql in the container, as deploy/infra.sh applies it to the local server.</summary>
    private async Task CreateRolesAsync(PostgreSqlContainer postgres)
    {
        const string password = "crisisops-test";
        var script = $"\\set migrator_password '{password}'\n\\set app_password '{password}'\n\\set auditor_password '{password}'\n"
            + string.Concat(Services.Select(service => $"\\set {service}_password '{password}'\n"))
            + await File.ReadAllTextAsync(Repository.File("deploy/db-roles.sql"));
        var result = await postgres.ExecScriptAsync(script);
        if (result.ExitCode != 0) throw new InvalidOperationException($"deploy/db-roles.sql failed: {result.Stderr}");
        string As(string user) => new NpgsqlConnectionStringBuilder(Postgres) { Username = user, Password = password }.ConnectionString;
        Migrator = As("crisisops_migrator");
        Application = As("crisisops_app");
        Auditor = As("crisisops_auditor");
        foreach (var service in Services) _serviceRoles[service] = As($"crisisops_{service}");
    }

    private static string Role(string variable) => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } connection
        ? connection
        : throw new InvalidOperationException($"{variable} is not set: run `eval \"$(deploy/infra.sh)\"` (it creates the roles of deploy/db-roles.sql)");

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
