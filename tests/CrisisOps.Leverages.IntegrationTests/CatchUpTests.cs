extern alias declaration;
extern alias leverages;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RabbitMQ.Client;
using Xunit;
using static CrisisOps.Testing.RunningService;
using CrisisDeescalationConsumer = leverages::CrisisOps.Leverages.Leverages.CrisisDeescalationConsumer;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using LeveragesService = leverages::CrisisOps.Leverages.LeveragesService;

namespace CrisisOps.Leverages.IntegrationTests;

/// <summary>A de-escalation the leverages service never received on the bus reaches it through crisis declaration's feed.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CatchUpTests(StackFixture stack)
{
    [Fact]
    public async Task A_crisis_de_escalated_while_the_queue_was_gone_withdraws_its_conditional_leverage_when_the_service_comes_back()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 11, 15, 9, 0, 0, TimeSpan.FromHours(2)));
        await using var probe = await new BusProbe().Listen<Contracts.Declaration.V1.CrisisStageChanged>().StartAsync(stack.Infra);
        await using var declaration = await RunningService.StartAsync(DeclarationService.Build,
            TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("cul_decl")), clock);
        var settings = TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("cul_lev"));
        settings["Feed:Sources:declaration"] = declaration.Address;
        settings["Feed:Token"] = stack.Tokens.Coordinator("crisisops-leverages");
        var lithuania = As(stack.Tokens.Ministry("LT", "lt-mfa"));
        var crises = new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel);
        var crisis = await crises.DeclareCrisisAsync(new DeclareCrisisRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            TargetCountry = "LT",
            BorderSections = { "LT-BY" },
            Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
            Scenario = Scenario.Belligerent,
            Criteria = new QualificationCriteria
            {
                HostileActor = new Criterion { Met = true, Evidence = "state-run travel agencies" },
                EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "flights Baghdad-Minsk" },
                AimToDestabilise = new Criterion { Met = true, Evidence = "regime statements" },
                RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "state of emergency at the border" },
            },
            Stage = BlueprintStage.CrisisManagement,
            Justification = "instrumentalised arrivals at the LT-BY border",
        }, lithuania);

        string carrier, queue;
        await using (var first = await RunningService.StartAsync(LeveragesService.Build, settings, clock))
        {
            queue = first.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<CrisisDeescalationConsumer>();
            carrier = (await new DiplomaticLeverages.DiplomaticLeveragesClient(first.Channel).ProposeLeverageAsync(new ProposeLeverageRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                LeverageType = "EU-CARRIER-MEASURES",
                Country = "LT",
                Target = new Target { Kind = TargetKind.Carrier, Name = "Belavia", Country = "BY" },
                CrisisId = crisis.Result.Id,
                ConditionalOnCrisis = true,
                Evidence = { $"flights Baghdad-Minsk (crisis {crisis.Result.Id})" },
                Justification = "raise the price of instrumentalisation",
            }, lithuania)).Id;
        }

        // While the service is stopped its queue is lost, and the crisis de-escalates.
        var factory = new ConnectionFactory { Uri = new Uri(stack.Infra.RabbitMq) };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
            await channel.QueueDeleteAsync(queue);
        await crises.DeescalateCrisisAsync(new CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            CrisisId = crisis.Result.Id,
            ExpectedVersion = 1,
            Justification = "flights suspended, arrivals stopped",
        }, lithuania);
        await probe.WaitForAsync<Contracts.Declaration.V1.CrisisStageChanged>(c => c.CrisisId == crisis.Result.Id);

        await using var again = await RunningService.StartAsync(LeveragesService.Build, settings, clock);
        var lifted = await Pattern2021Tests.WaitAsync(new DiplomaticLeverages.DiplomaticLeveragesClient(again.Channel), carrier,
            l => l.Status == LeverageStatus.Withdrawn, As(stack.Tokens.Coordinator()));
        // Only proposed, so withdrawn rather than lifted: the cascade ran on an event its queue never held.
        Assert.Equal(LeverageStatus.Withdrawn, lifted.Status);
        Assert.Equal("system:crisis-cascade", lifted.History[^1].Decision.ActorSubject);
    }
}
