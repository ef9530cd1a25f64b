using CrisisOps.Leverages.Grpc;
using CrisisOps.Leverages.Leverages;
using CrisisOps.Leverages.Messaging;
using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.ServiceDefaults.Messaging;
using Contract = CrisisOps.Contracts.Leverages.V1;

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
        // After the event store: the law is adopted into the store once its schema exists.
        builder.AddCrisisOpsLaw();
        builder.AddCrisisOpsMessaging(Name, x =>
        {
            x.AddChangeSignals(Name)
                .On<Contract.LeverageProposed>(m => m.LeverageId)
                .On<Contract.AllyPositionRecorded>(m => m.LeverageId)
                .On<Contract.LeverageImposed>(m => m.LeverageId)
                .On<Contract.LeverageReviewed>(m => m.LeverageId)
                .On<Contract.LeverageRenewed>(m => m.LeverageId)
                .On<Contract.LeverageEscalated>(m => m.LeverageId)
                .On<Contract.LeverageSuspended>(m => m.LeverageId)
                .On<Contract.LeverageResumed>(m => m.LeverageId)
                .On<Contract.LeverageLifted>(m => m.LeverageId)
                .On<Contract.LeverageLapsed>(m => m.LeverageId)
                .On<Contract.LeverageReviewFellDue>(m => m.LeverageId)
                .On<Contract.LeverageFlaggedForReview>(m => m.LeverageId);
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
