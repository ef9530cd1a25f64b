using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Grpc;
using CrisisOps.Humanitarian.Messaging;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Humanitarian.Overflow;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;

namespace CrisisOps.Humanitarian;

/// <summary>Composition of the humanitarian support service; tests build it with their own configuration.</summary>
public static class HumanitarianService
{
    public const string Name = "crisisops-humanitarian";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        builder.AddServiceDefaults(Name);
        builder.Services.AddSingleton(OrganisationRegistry.Load(builder.Configuration));
        builder.Services.AddOptions<OverflowOptions>().BindConfiguration("ReceptionOverflow");
        builder.AddCrisisOpsEventStore("humanitarian", o =>
        {
            o.Schema.For<NeedsView>().Index(n => n.Country).Index(n => n.Sector);
            o.Schema.For<AssistanceRequestView>().Index(r => r.Country).Index(r => r.Status).Index(r => r.Origin);
            o.Schema.For<OverflowShelterSlot>();
        });
        builder.Services.AddSingleton<IIntegrationEventMapper, HumanitarianContracts>();
        builder.AddCrisisOpsMessaging(Name, x => x.AddConsumer<ReceptionOverflowConsumer>());
        builder.Services.AddDeadlineHandler<AssistanceDeadlineHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<HumanitarianSupportGrpcService>();
        return app;
    }
}
