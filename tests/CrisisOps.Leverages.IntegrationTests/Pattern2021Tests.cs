extern alias declaration;
extern alias leverages;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using LeveragesService = leverages::CrisisOps.Leverages.LeveragesService;

namespace CrisisOps.Leverages.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack;

/// <summary>The 2021 pattern replayed through both services' gRPC APIs with a controlled clock.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class Pattern2021Tests(StackFixture stack)
{
    [Fact]
    public async Task Carrier_and_restrictive_measures_imposed_with_allies_reviewed_when_due_and_lifted_on_de_escalation()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 11, 15, 9, 0, 0, TimeSpan.FromHours(2)));
        await using var leveragesService = await RunningService.StartAsync(LeveragesService.Build,
            TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("lev")), clock);
        await using var declarationService = await RunningService.StartAsync(DeclarationService.Build,
            TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("levdecl")), clock);
        var lithuania = As(stack.Tokens.Ministry("LT", "lt-mfa"));
        // The EU leverages are the Council's and the Commission's acts: Lithuania proposes them, the institution imposes.
        var euInstitution = As(stack.Tokens.EuInstitution("European Commission", "com-home"));
        var coordinator = As(stack.Tokens.Coordinator());
        var api = new DiplomaticLeverages.DiplomaticLeveragesClient(leveragesService.Channel);
        var crises = new CrisisDeclaration.CrisisDeclarationClient(declarationService.Channel);

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
                EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "flights Baghdad-Minsk, transport to the border" },
                AimToDestabilise = new Criterion { Met = true, Evidence = "regime statements" },
                RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "state of emergency at the border" },
            },
            Stage = BlueprintStage.CrisisManagement,
            Justification = "instrumentalised arrivals at the LT-BY border",
        }, lithuania);

        async Task<string> Propose(string type, TargetKind kind, string name, bool conditional) => (await api.ProposeLeverageAsync(new ProposeLeverageRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            LeverageType = type,
            Country = "LT",
            Target = new Target { Kind = kind, Name = name, Country = "BY" },
            CrisisId = crisis.Result.Id,
            ConditionalOnCrisis = conditional,
            Evidence = { $"declaration:watch:LT:LT-BY potential 'flights Baghdad-Minsk' critical (crisis {crisis.Result.Id})" },
            Allies = { "PL", "LV" },
            Justification = "raise the price of instrumentalisation",
        }, lithuania)).Id;

        var carrier = await Propose("EU-CARRIER-MEASURES", TargetKind.Carrier, "Belavia", conditional: true);
        var listing = await Propose("EU-CFSP-RESTRICTIVE-MEASURES", TargetKind.NamedOfficial, "Head of the state travel agency", conditional: false);

        var noEvidence = await Assert.ThrowsAsync<RpcException>(async () => await api.ProposeLeverageAsync(new ProposeLeverageRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            LeverageType = "EU-CARRIER-MEASURES",
            Country = "LT",
            Target = new Target { Kind = TargetKind.Carrier, Name = "Another airline", Country = "TR" },
            Justification = "no evidence given",
        }, lithuania));
        Assert.Equal(StatusCode.FailedPrecondition, noEvidence.StatusCode);
        Assert.StartsWith("leverage.evidence-required:", noEvidence.Status.Detail, StringComparison.Ordinal);

        var byMinistry = await Assert.ThrowsAsync<RpcException>(async () => await api.ImposeLeverageAsync(new ImposeLeverageRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            LeverageId = carrier,
            ExpectedVersion = 1,
            StartDate = "2021-11-15",
            LegalActReference = "act of 15 Nov 2021",
            Justification = "a ministry cannot adopt the Commission's act",
        }, lithuania));
        Assert.Equal(StatusCode.PermissionDenied, byMinistry.StatusCode);
        Assert.Contains("EU-COM-2021-753 is an act of an EU institution", byMinistry.Status.Detail, StringComparison.Ordinal);

        foreach (var id in new[] { carrier, listing })
        {
            var version = 1L;
            foreach (var ally in new[] { "PL", "LV" })
            {
                version = (await api.RecordAllyPositionAsync(new AllyPositionRequest
                {
                    RequestId = Guid.NewGuid().ToString(),
                    LeverageId = id,
                    ExpectedVersion = version,
                    Ally = ally,
                    Position = ally == "PL" ? AllyPosition.Joined : AllyPosition.Declined,
                    Reference = $"{ally} note verbale",
                    Justification = "ally consulted",
                }, lithuania)).Version;
            }

            await api.ImposeLeverageAsync(new ImposeLeverageRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                LeverageId = id,
                ExpectedVersion = version,
                StartDate = "2021-11-15",
                LegalActReference = "act of 15 Nov 2021",
                Justification = "imposed with allies",
            }, euInstitution);
        }

        var joinedByPoland = await api.ListLeveragesAsync(new ListLeveragesRequest { Ally = "PL", CrisisId = crisis.Result.Id }, coordinator);
        Assert.Equal(2, joinedByPoland.Leverages.Count);
        Assert.Empty((await api.ListLeveragesAsync(new ListLeveragesRequest { Ally = "LV", CrisisId = crisis.Result.Id }, coordinator)).Leverages);

        // The carrier measure's quarterly review falls due on 15 February 2022 and is not held.
        clock.SetUtcNow(new DateTimeOffset(2022, 2, 15, 6, 0, 0, TimeSpan.Zero));
        var overdue = await WaitAsync(api, carrier, l => l.ReviewOverdue, coordinator);
        Assert.True(overdue.ReviewOverdue);
        Assert.Equal("leverage_review_fell_due", overdue.History[^1].EventType);

        var beforeDeescalation = await api.LeveragesInForceAtAsync(new LeveragesInForceAtRequest
        {
            At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2022, 2, 1, 0, 0, 0, TimeSpan.Zero)),
            CrisisId = crisis.Result.Id,
        }, As(stack.Tokens.Auditor()));
        Assert.Equal(2, beforeDeescalation.Leverages.Count);

        clock.SetUtcNow(new DateTimeOffset(2022, 2, 20, 10, 0, 0, TimeSpan.Zero));
        await crises.DeescalateCrisisAsync(new CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            CrisisId = crisis.Result.Id,
            ExpectedVersion = 1,
            Justification = "flights suspended, arrivals stopped",
        }, lithuania);

        var lifted = await WaitAsync(api, carrier, l => l.Status == LeverageStatus.Lifted, coordinator);
        Assert.Equal(LeverageStatus.Lifted, lifted.Status);
        Assert.Equal("system:crisis-cascade", lifted.History[^1].Decision.ActorSubject);
        Assert.Contains("flights suspended", lifted.History[^1].Decision.Justification, StringComparison.Ordinal);
        var flagged = await WaitAsync(api, listing, l => l.FlaggedForReview, coordinator);
        Assert.Equal(LeverageStatus.Imposed, flagged.Status);

        var history = (await api.GetLeverageAsync(new GetLeverageRequest { LeverageId = carrier }, coordinator)).History;
        Assert.All(history.Where(h => h.EventType != "leverage_review_fell_due" && h.Decision.Role != "System"),
            h => Assert.Equal(h.EventType == "leverage_imposed" ? "com-home" : "lt-mfa", h.Decision.ActorSubject));
        Assert.Equal("EuInstitution", history.Single(h => h.EventType == "leverage_imposed").Decision.Role);
        Assert.All(history, h => Assert.False(string.IsNullOrWhiteSpace(h.Decision.Justification)));

        var afterDeescalation = await api.LeveragesInForceAtAsync(new LeveragesInForceAtRequest
        {
            At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2022, 2, 21, 0, 0, 0, TimeSpan.Zero)),
            CrisisId = crisis.Result.Id,
        }, As(stack.Tokens.Auditor()));
        Assert.Equal(listing, Assert.Single(afterDeescalation.Leverages).LeverageId);
    }

    internal static async Task<LeverageDetails> WaitAsync(DiplomaticLeverages.DiplomaticLeveragesClient api, string id,
        Func<LeverageDetails, bool> condition, CallOptions caller)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var details = await api.GetLeverageAsync(new GetLeverageRequest { LeverageId = id }, caller);
            if (condition(details) || DateTime.UtcNow > until) return details;
            await Task.Delay(100);
        }
    }
}
