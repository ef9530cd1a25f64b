using CrisisOps.Leverages.Catalogue;
using CrisisOps.Leverages.Grpc;
using CrisisOps.Leverages.Leverages;
using CrisisOps.Leverages.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
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
        builder.Services.AddSingleton(LeverageCatalogue.Load(builder.Configuration));
        builder.AddCrisisOpsEventStore("leverages", o =>
            o.Schema.For<LeverageView>().Index(l => l.Country).Index(l => l.CrisisId).Index(l => l.Status));
        builder.Services.AddSingleton<IIntegrationEventMapper, LeverageContracts>();
        builder.AddCrisisOpsMessaging(Name, x => x.AddConsumer<CrisisDeescalationConsumer>());
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
