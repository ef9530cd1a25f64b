using CrisisOps.Declaration.Crises;
using CrisisOps.Declaration.Grpc;
using CrisisOps.Declaration.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.ServiceDefaults.Messaging;
using Contract = CrisisOps.Contracts.Declaration.V1;

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
        // After the event store: the law is adopted into the store once its schema exists.
        builder.AddCrisisOpsLaw();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddChangeSignals(Name)
                .On<Contract.CrisisDeclared>(m => m.CrisisId)
                .On<Contract.EmergencyDeclared>(m => m.CrisisId)
                .On<Contract.EmergencyExtended>(m => m.CrisisId)
                .On<Contract.EmergencyExpired>(m => m.CrisisId)
                .On<Contract.EmergencyLifted>(m => m.CrisisId)
                .On<Contract.CrisisStageChanged>(m => m.CrisisId)
                .On<Contract.CrisisEnded>(m => m.CrisisId);
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
