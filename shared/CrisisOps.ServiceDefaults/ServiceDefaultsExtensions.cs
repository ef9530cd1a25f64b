using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.ServiceDefaults.Security;
using CrisisOps.ServiceDefaults.Telemetry;
using CrisisOps.ServiceDefaults.Transparency;
using MassTransit;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CrisisOps.ServiceDefaults;

/// <summary>What every CrisisOps service starts with.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>
    /// Telemetry (traces, metrics, logs; OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set), gRPC with clean errors
    /// (every request checked against <see cref="FieldLimits"/>, malformed bytes refused, every exception a status), health and reflection, bearer authentication, HTTP/2 on every endpoint (TLS outside loopback: <see cref="TransportSecurity"/>), and
    /// <see cref="TimeProvider"/> (tests replace it).
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.AddCrisisOpsTransportSecurity();
        builder.Services.TryAddSingleton(TimeProvider.System);

        QuietPerRequestLogs(builder);
        builder.Logging.AddOpenTelemetry(l =>
        {
            l.IncludeFormattedMessage = true;
            l.IncludeScopes = true;
        });
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t
                .SetSampler(DecisionTraceSampler.For(builder.Configuration.GetValue("Telemetry:TraceBackground", false)))
                .AddSource(serviceName, "Marten", DiagnosticHeaders.DefaultListenerName, IntegrationEventRelay.Source.Name,
                    DecisionTraceSampler.Deadlines.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/grpc.health.v1.Health"))
                .AddGrpcClientInstrumentation()
                .AddNpgsql())
            .WithMetrics(m => m
                .AddMeter(serviceName, "Marten", InstrumentationOptions.MeterName, Deadlines.DeadlineWorker.MeterName, DecisionTelemetry.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) otel.UseOtlpExporter();

        builder.Services.AddGrpc(o =>
        {
            // The first interceptor is the outermost: every exception, the validator's refusals included, leaves as a status.
            o.Interceptors.Add<DomainExceptionInterceptor>();
            o.Interceptors.Add<RequestValidationInterceptor>();
            o.EnableDetailedErrors = builder.Environment.EnvironmentName == "Development";
        });
        builder.Services.AddGrpcHealthChecks().AddCheck("self", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
        builder.Services.AddGrpcReflection();
        builder.Services.RefuseMalformedRequests();
        builder.AddCrisisOpsAuthentication();
        return builder;
    }

    /// <summary>
    /// ASP.NET Core logs four lines at Information for every call (request starting and finished, endpoint executing
    /// and executed), and Marten's daemon one for every page each subscription executes (375 lines for 450 decisions in
    /// declaration, issue 12), each one formatted and exported. The traces, the <c>http.server.request.duration</c>
    /// metric and <c>crisisops.relay.lag</c> carry the same facts. Configuration still wins:
    /// <c>Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics=Information</c> brings them back.
    /// </summary>
    private static void QuietPerRequestLogs(WebApplicationBuilder builder)
    {
        foreach (var category in (string[])["Microsoft.AspNetCore.Hosting.Diagnostics", "Microsoft.AspNetCore.Routing.EndpointMiddleware",
                     "Marten.Events.Daemon.Coordination.ProjectionCoordinator"])
        {
            if (builder.Configuration[$"Logging:LogLevel:{category}"] is null)
                builder.Logging.AddFilter(category, LogLevel.Warning);
        }
    }

    /// <summary>
    /// MassTransit over RabbitMQ (<c>ConnectionStrings:rabbitmq</c>, an <c>amqp://</c> URI), kebab-case endpoints
    /// prefixed with the service name, in-process retries for about three minutes (no delayed-exchange plugin on our brokers).
    /// </summary>
    public static WebApplicationBuilder AddCrisisOpsMessaging(this WebApplicationBuilder builder, string serviceName,
        Action<IBusRegistrationConfigurator> configure)
    {
        var uri = builder.Configuration.GetConnectionString("rabbitmq")
            ?? throw new InvalidOperationException("ConnectionStrings:rabbitmq is not configured");
        var prefix = builder.Configuration["Messaging:EndpointPrefix"] ?? serviceName;
        builder.Services.AddOptions<RelayOptions>().BindConfiguration("Relay");
        builder.Services.AddMassTransit(x =>
        {
            // MassTransit 8.5 reports usage telemetry to its vendor a few minutes after start: a government system
            // sends nothing to anyone it was not configured to (NoCallHomeTests).
            x.DisableUsageTelemetry();
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(prefix, false));
            MessageTopology.ExpireUnusedQueues(x, builder.Configuration.GetValue<TimeSpan?>(MessageTopology.QueueExpirySetting));
            configure(x);
            x.UsingRabbitMq((ctx, cfg) =>
            {
                cfg.Host(new Uri(uri));
                MessageTopology.Isolate(cfg, builder.Configuration[MessageTopology.PrefixSetting]);
                // Up to about three minutes of retries (100 ms doubling to 30 s): a message must outlast a database
                // restart (the fault suite stops PostgreSQL for 20 s) rather than end in the error queue, unconsumed.
                cfg.UseMessageRetry(r => r.Exponential(12, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(400)));
                cfg.ConfigureEndpoints(ctx);
            });
        });
        builder.Services.AddOptions<MassTransitHostOptions>().Configure(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }

    /// <summary>Maps the health service, gRPC reflection and, where the service keeps an event store, its transparency log.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        MalformedRequestRefusal.EnsureOnlyProvider(app.Services);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthChecksService().AllowAnonymous();
        app.MapGrpcReflectionService().AllowAnonymous();
        // Every service with an event store serves its transparency log (issue 11).
        if (app.Services.GetService<Transparency.CheckpointLog>() is not null) app.MapCrisisOpsTransparency();
        return app;
    }
}
