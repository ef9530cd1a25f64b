using CrisisOps.ServiceDefaults;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Situation.Board;
using CrisisOps.Situation.Grpc;
using CrisisOps.Situation.Messaging;
using CrisisOps.Situation.Picture;

namespace CrisisOps.Situation;

/// <summary>Composition of the situation service; tests build it with their own configuration.</summary>
public static class SituationService
{
    public const string Name = "crisisops-situation";

    /// <summary>The five services whose feeds the picture is rebuilt from (<c>Feed:Sources:{name}</c>).</summary>
    public static readonly string[] Sources = ["declaration", "measures", "reception", "humanitarian", "leverages"];

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        BoardEndpoint.Configure(builder);
        builder.AddServiceDefaults(Name);
        builder.AddCrisisOpsEventStore("situation", o =>
        {
            o.Schema.For<CountryPicture>();
            o.Schema.For<RequestCountry>();
            o.Schema.For<Reports.IssuedReport>().Index(r => r.Scope);
        });
        // The picture publishes nothing of its own; its feed is empty, but served like every service's.
        builder.Services.AddSingleton<IIntegrationEventMapper, NoIntegrationEvents>();
        builder.Services.AddSingleton(ReportingCadence.Default);
        builder.Services.AddSingleton<SituationChanges>();
        builder.Services.AddSingleton<SituationReader>();
        builder.Services.AddSingleton<Reports.ReportIssuer>();
        // One message at a time: a country's picture has one writer.
        builder.AddCrisisOpsMessaging(Name, x => x.AddConsumer<SituationConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1));
        foreach (var source in Sources) builder.AddIntegrationEventCatchUp(source, typeof(SituationConsumer));

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapIntegrationEventFeed();
        app.MapGrpcService<SituationGrpcService>();
        app.MapBoard();
        return app;
    }
}
