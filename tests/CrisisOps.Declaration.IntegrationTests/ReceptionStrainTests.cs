using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using MassTransit;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Declaration.IntegrationTests;

[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReceptionStrainTests(StackFixture stack)
{
    [Fact]
    public async Task Reception_overflow_reported_on_RabbitMQ_becomes_a_critical_indicator_once_even_when_redelivered()
    {
        await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("strain"));
        var api = StackFixture.Client(service);
        var section = $"PL-BY-{Guid.NewGuid():N}"[..16];
        var strain = new Reception.ReceptionStrainChanged("Facility", "bialystok-centre", "PL", "PL-PD", section, "Strained", "Overflow",
            500, 512, 1.024, DateTimeOffset.UtcNow);

        var bus = stack.Infra.CreateBus();
        await bus.StartAsync();
        var messageId = Guid.NewGuid();
        try
        {
            // The same message twice, as a redelivery after a lost acknowledgement would bring it.
            await bus.Publish(strain, ctx => ctx.MessageId = messageId);
            await bus.Publish(strain, ctx => ctx.MessageId = messageId);
        }
        finally
        {
            await bus.StopAsync();
        }

        GetAlertPictureResponse picture = new();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            picture = await api.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = "PL", BorderSection = section }, As(stack.Tokens.Coordinator()));
            if (picture.Sections.Count > 0) break;
            await Task.Delay(100);
        }

        var territorial = Assert.Single(Assert.Single(picture.Sections).Groups, g => g.Group == IndicatorGroup.TerritorialVulnerability);
        Assert.Equal(IndicatorLevel.Critical, territorial.Level);
        Assert.Equal(1, territorial.Indicators);
        // One observation: the indicator and the alert level it raised (Normal → Elevated); a duplicate would add a third event.
        var recorded = Assert.Single(picture.Sections).Version;
        Assert.Equal(2, recorded);
        // Absence cannot be polled for: give the duplicate, consumed concurrently, time to land if it were recorded.
        await Task.Delay(1000);
        var after = await api.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = "PL", BorderSection = section }, As(stack.Tokens.Coordinator()));
        Assert.Equal(recorded, Assert.Single(after.Sections).Version);
    }

    [Fact]
    public async Task A_strain_published_in_another_message_topology_never_reaches_the_service()
    {
        await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("isol"));
        var api = StackFixture.Client(service);
        var foreignSection = $"PL-BY-{Guid.NewGuid():N}"[..16];
        var ownSection = $"PL-BY-{Guid.NewGuid():N}"[..16];
        Reception.ReceptionStrainChanged Strain(string section) =>
            new("Facility", "bialystok-centre", "PL", "PL-PD", section, "Strained", "Overflow", 500, 512, 1.024, DateTimeOffset.UtcNow);

        // Another test run on the same broker (Messaging:TopologyPrefix): its exchanges are not this fixture's.
        var foreign = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(stack.Infra.RabbitMq));
            MessageTopology.Isolate(cfg, $"other-{Guid.NewGuid():N}"[..14]);
        });
        var own = stack.Infra.CreateBus();
        await Task.WhenAll(foreign.StartAsync(), own.StartAsync());
        try
        {
            await foreign.Publish(Strain(foreignSection));
            await own.Publish(Strain(ownSection));
        }
        finally
        {
            await Task.WhenAll(foreign.StopAsync(), own.StopAsync());
        }

        var coordinator = As(stack.Tokens.Coordinator());
        Task<GetAlertPictureResponse> Picture(string section) =>
            api.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = "PL", BorderSection = section }, coordinator).ResponseAsync;
        var until = DateTime.UtcNow.AddSeconds(30);
        while ((await Picture(ownSection)).Sections.Count == 0 && DateTime.UtcNow < until) await Task.Delay(100);

        Assert.Single((await Picture(ownSection)).Sections);
        // Published first, on the same broker: had it been routed to the service, it would have been recorded by now.
        await Task.Delay(1000);
        Assert.Empty((await Picture(foreignSection)).Sections);
    }
}
