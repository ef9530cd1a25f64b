using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Grpc;
using CrisisOps.Reception.Messaging;
using CrisisOps.Reception.Strain;
using CrisisOps.Reception.Transfers;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;

namespace CrisisOps.Reception;

/// <summary>Composition of the reception capacity service; tests build it with their own configuration.</summary>
public static class ReceptionService
{
    public const string Name = "crisisops-reception";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        builder.Services.AddSingleton(StrainPolicy.Load(builder.Configuration));
        builder.AddCrisisOpsEventStore("reception", o =>
            o.Schema.For<FacilityView>().Index(f => f.Country).Index(f => f.Region));
        builder.Services.AddSingleton<IIntegrationEventMapper, ReceptionContracts>();
        builder.Services.AddSingleton<StreamGate>();
        builder.Services.AddSingleton<TransferProcess>();
        builder.Services.AddSingleton<ChangeFeed>();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddConsumer<AreaStrainConsumer>(AreaStrainConsumer.Configure);
            x.AddConsumer<CapacityChangeSignalConsumer>().Endpoint(e =>
            {
                // One auto-deleted queue per instance: every instance hears every change for its own watchers.
                e.Temporary = true;
                e.InstanceId = Guid.NewGuid().ToString("N")[..8];
            });
        });
        builder.Services.AddDeadlineHandler<TransferCompletionHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<ReceptionCapacityGrpcService>();
        return app;
    }
}
