using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Grpc;
using CrisisOps.ServiceDefaults;

namespace CrisisOps.Auditor;

/// <summary>Settings of the auditor service (<c>Audit</c> section); the stores are read with <c>ConnectionStrings:postgres</c>.</summary>
public sealed class AuditSettings
{
    /// <summary>The stores (schemas) to replay; empty: every schema that holds an event store.</summary>
    public string[] Schemas { get; set; } = [];

    /// <summary>How long after a legal end its recording still counts as on time.</summary>
    public double ToleranceMinutes { get; set; } = AuditOptions.DefaultTolerance.TotalMinutes;
}

/// <summary>Composition of the auditor service: no store of its own and no bus, only reads (as crisisops_auditor in production).</summary>
public static class AuditorService
{
    public const string Name = "crisisops-auditor";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        var settings = builder.Configuration.GetSection("Audit").Get<AuditSettings>() ?? new AuditSettings();
        builder.Services.AddSingleton(settings);

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapGrpcService<AuditGrpcService>();
        return app;
    }
}
