using Microsoft.Extensions.Configuration;

namespace CrisisOps.AppHost;

/// <summary>
/// What every CrisisOps service gets from the AppHost: the shared PostgreSQL and RabbitMQ connection strings, the token
/// validation settings, and one plain-HTTP/2 gRPC endpoint on a fixed loopback port.
/// </summary>
internal sealed class CrisisOpsServices
{
    private readonly IDistributedApplicationBuilder _builder;
    private readonly IResourceBuilder<IResourceWithConnectionString> _migrator;
    private readonly IResourceBuilder<IResourceWithConnectionString> _application;
    private readonly IResourceBuilder<IResourceWithConnectionString> _auditor;
    private readonly IResourceBuilder<IResourceWithConnectionString> _rabbitmq;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _auth;

    public CrisisOpsServices(IDistributedApplicationBuilder builder)
    {
        _builder = builder;
        // Read from the AppHost's own configuration (ConnectionStrings:postgres-migrator / -app / -auditor and
        // :rabbitmq, the roles of deploy/db-roles.sql that deploy/infra.sh creates) and handed to each service by
        // WithReference: a service migrates its schema as the migrator and runs as the application role, which may
        // append events but never update or delete them; the auditor reads as crisisops_auditor.
        _migrator = builder.AddConnectionString("postgres-migrator");
        _application = builder.AddConnectionString("postgres-app");
        _auditor = builder.AddConnectionString("postgres-auditor");
        _rabbitmq = builder.AddConnectionString("rabbitmq");
        _auth = AuthSettings(builder.Configuration, builder.AppHostDirectory);
    }

    /// <summary>Adds a service project listening for gRPC on http://127.0.0.1:<paramref name="port"/>.</summary>
    /// <remarks>
    /// With <c>ConnectionStrings:postgres-{name}</c> and <c>ConnectionStrings:rabbitmq-{name}</c> (deploy/run.sh passes
    /// them from deploy/infra.sh), the service runs as its own database role and RabbitMQ user, limited to its own schema,
    /// queues and exchanges; otherwise as the shared application role and broker user.
    /// </remarks>
    public IResourceBuilder<ProjectResource> Add<TProject>(string name, int port)
        where TProject : IProjectMetadata, new() =>
        Project<TProject>(name, port)
            .WithReference(Own("postgres", name) ?? _application, connectionName: "postgres")
            // The name the services look for (MartenConventions.MigratorConnection).
            .WithReference(_migrator, connectionName: "postgres_migrator")
            .WithReference(Own("rabbitmq", name) ?? _rabbitmq, connectionName: "rabbitmq");

    private IResourceBuilder<IResourceWithConnectionString>? Own(string kind, string service) =>
        _builder.Configuration.GetConnectionString($"{kind}-{service}") is { Length: > 0 } ? _builder.AddConnectionString($"{kind}-{service}") : null;

    /// <summary>Adds the auditor's read-only API: the stores read as crisisops_auditor, no bus.</summary>
    public IResourceBuilder<ProjectResource> AddAuditor<TProject>(string name, int port)
        where TProject : IProjectMetadata, new() =>
        Project<TProject>(name, port).WithReference(_auditor, connectionName: "postgres");

    private IResourceBuilder<ProjectResource> Project<TProject>(string name, int port)
        where TProject : IProjectMetadata, new()
    {
        var service = _builder.AddProject<TProject>(name, options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: port, targetPort: port, name: "grpc", isProxied: false)
            .WithEndpoint("grpc", e => e.TargetHost = "127.0.0.1")
            // gRPC without TLS needs HTTP/2-only endpoints (the services also set this themselves).
            .WithEnvironment("Kestrel__EndpointDefaults__Protocols", "Http2")
            // The services run in the AppHost's environment (Development locally: detailed gRPC errors).
            .WithEnvironment("DOTNET_ENVIRONMENT", _builder.Environment.EnvironmentName);
        foreach (var (key, value) in _auth)
            service.WithEnvironment(key, value);
        // The catch-up feeds (Feed__Sources__<service>, Feed__TokenFile), the board's address and the transparency log's
        // keys and directories (Transparency__*), as deploy/run.sh sets them.
        foreach (var (key, value) in _builder.Configuration.AsEnumerable()
                     .Where(c => c.Value is not null && (c.Key.StartsWith("Feed:", StringComparison.Ordinal) || c.Key == "Board:Url"
                         || c.Key.StartsWith("Transparency:", StringComparison.Ordinal))))
            service.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value!);
        return service;
    }

    /// <summary>
    /// Token validation for the services, from the AppHost's configuration: <c>Auth__Authority</c> (an OIDC issuer)
    /// or <c>Auth__SigningKeyFile</c> (the public PEM made by <c>crisisops token keygen</c>), else the key deploy/run.sh
    /// keeps in deploy/.local/keys; made absolute because each service runs in its own project directory.
    /// </summary>
    private static List<KeyValuePair<string, string>> AuthSettings(ConfigurationManager configuration, string appHostDirectory)
    {
        var settings = new List<KeyValuePair<string, string>>();
        if (configuration["Auth:Authority"] is { Length: > 0 } authority)
            settings.Add(new("Auth__Authority", authority));
        var keyFile = configuration["Auth:SigningKeyFile"];
        var localKey = Path.Combine(appHostDirectory, "..", ".local", "keys", "signing-key.pub.pem");
        if (string.IsNullOrEmpty(keyFile) && settings.Count == 0 && File.Exists(localKey))
            keyFile = localKey;
        if (!string.IsNullOrEmpty(keyFile))
            settings.Add(new("Auth__SigningKeyFile", Path.GetFullPath(keyFile)));
        if (settings.Count == 0)
            throw new InvalidOperationException(
                "Set Auth__SigningKeyFile (public PEM from `crisisops token keygen`) or Auth__Authority before starting the AppHost; deploy/run.sh does this.");
        return settings;
    }
}
