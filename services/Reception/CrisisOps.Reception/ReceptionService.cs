using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Grpc;
using CrisisOps.Reception.Messaging;
using CrisisOps.Reception.Strain;
using CrisisOps.Reception.Transfers;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;
using Contract = CrisisOps.Contracts.Reception.V1;

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
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddConsumer<AreaStrainConsumer>(AreaStrainConsumer.Configure);
            x.AddChangeSignals(Name)
                .On<Contract.FacilityRegistered>(m => m.Country)
                .On<Contract.OccupancyChanged>(m => m.Country)
                .On<Contract.RegistrationPointStatusChanged>(m => m.Country)
                .On<Contract.ContingencyActivated>(m => m.Country)
                .On<Contract.ContingencyDeactivated>(m => m.Country)
                .On<Contract.ReceptionStrainChanged>(m => m.Country);
        });
        builder.Services.AddDeadlineHandler<TransferCompletionHandler>();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<ReceptionCapacityGrpcService>();
        return app;
    }
}
