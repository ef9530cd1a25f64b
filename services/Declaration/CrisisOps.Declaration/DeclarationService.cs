using CrisisOps.Declaration.Crises;
using CrisisOps.Declaration.Grpc;
using CrisisOps.Declaration.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.ServiceDefaults.Messaging;

namespace CrisisOps.Declaration;

/// <summary>Composition of the crisis declaration service; tests build it with their own configuration.</summary>
public static class DeclarationService
{
    public const string Name = "crisisops-declaration";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        builder.AddCrisisOpsEventStore("declaration", o =>
        {
            o.Schema.For<CrisisView>().Index(c => c.TargetCountry).Index(c => c.Status);
            o.Schema.For<EarlyWarning.AlertPicture>().Index(p => p.TargetCountry);
        });
        builder.Services.AddSingleton<IIntegrationEventMapper, DeclarationContracts>();
        builder.Services.AddSingleton<ChangeFeed>();
        // After the event store: the law is adopted into the store once its schema exists.
        builder.AddCrisisOpsLaw();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddConsumer<CrisisChangeSignalConsumer>().Endpoint(e =>
            {
                // One auto-deleted queue per instance: every instance hears every change for its own watchers.
                e.Temporary = true;
                e.InstanceId = Guid.NewGuid().ToString("N")[..8];
            });
            x.AddConsumer<EarlyWarning.ReceptionStrainConsumer>();
        });
        builder.Services.AddDeadlineHandler<EmergencyExpiryHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<CrisisDeclarationGrpcService>();
        return app;
    }
}
