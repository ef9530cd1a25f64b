using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Grpc;
using CrisisOps.Measures.Measures;
using CrisisOps.Measures.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.ServiceDefaults.Messaging;

namespace CrisisOps.Measures;

/// <summary>Composition of the emergency legal measures service; tests build it with their own configuration.</summary>
public static class MeasuresService
{
    public const string Name = "crisisops-measures";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        builder.AddCrisisOpsEventStore("measures", o =>
        {
            o.Schema.For<MeasureView>().Index(m => m.Country).Index(m => m.CrisisId).Index(m => m.Status);
            o.Schema.For<CrisisFacts>();
            o.Schema.For<RegistrationPoint>().Index(r => r.Country);
        });
        // After the event store: the law is adopted into the store once its schema exists.
        builder.AddCrisisOpsLaw();
        builder.Services.AddSingleton<IIntegrationEventMapper, MeasureContracts>();
        builder.Services.AddSingleton<MeasureCascade>();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            // One at a time, in queue order: crisis facts are applied in the order crisis declaration recorded them.
            x.AddConsumer<CrisisFactsConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
            x.AddConsumer<RegistrationPointConsumer>();
        });
        // Crises declared (and registration points opened) before this service's queues existed.
        builder.AddIntegrationEventCatchUp("declaration", typeof(CrisisFactsConsumer));
        builder.AddIntegrationEventCatchUp("reception", typeof(RegistrationPointConsumer));
        builder.Services.AddDeadlineHandler<MeasureExpiryHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<EmergencyMeasuresGrpcService>();
        return app;
    }
}
