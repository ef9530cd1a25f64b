using CrisisOps.Leverages.Grpc;
using CrisisOps.Leverages.Leverages;
using CrisisOps.Leverages.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.ServiceDefaults.Messaging;

namespace CrisisOps.Leverages;

/// <summary>Composition of the diplomatic leverages service; tests build it with their own configuration.</summary>
public static class LeveragesService
{
    public const string Name = "crisisops-leverages";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        builder.AddCrisisOpsEventStore("leverages", o =>
            o.Schema.For<LeverageView>().Index(l => l.Country).Index(l => l.CrisisId).Index(l => l.Status));
        builder.Services.AddSingleton<IIntegrationEventMapper, LeverageContracts>();
        builder.Services.AddSingleton<ChangeFeed>();
        // After the event store: the law is adopted into the store once its schema exists.
        builder.AddCrisisOpsLaw();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddConsumer<LeverageChangeSignalConsumer>().Endpoint(e =>
            {
                // One auto-deleted queue per instance: every instance hears every change for its own watchers.
                e.Temporary = true;
                e.InstanceId = Guid.NewGuid().ToString("N")[..8];
            });
            x.AddConsumer<CrisisDeescalationConsumer>();
        });
        // Crises that de-escalated or ended before this service's queue existed.
        builder.AddIntegrationEventCatchUp("declaration", typeof(CrisisDeescalationConsumer));
        builder.Services.AddDeadlineHandler<LeverageLapseHandler>();
        builder.Services.AddDeadlineHandler<LeverageReviewDueHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<DiplomaticLeveragesGrpcService>();
        return app;
    }
}
