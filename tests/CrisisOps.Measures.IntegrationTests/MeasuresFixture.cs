extern alias declaration;
extern alias measures;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using CrisisFacts = measures::CrisisOps.Measures.Facts.CrisisFacts;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;

namespace CrisisOps.Measures.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack
{
    public Task<RunningService> StartDeclarationAsync(string schema, TimeProvider clock) =>
        RunningService.StartAsync(DeclarationService.Build, TestSettings.For(Infra, Tokens, schema), clock);

    /// <summary>Starts the measures service on its schema; the same schema (and so the same queues) is a restart.</summary>
    public Task<RunningService> StartMeasuresAsync(string schema, TimeProvider clock) =>
        RunningService.StartAsync(MeasuresService.Build, TestSettings.For(Infra, Tokens, schema), clock);

    public static CrisisDeclaration.CrisisDeclarationClient Declaration(RunningService s) => new(s.Channel);

    public static EmergencyMeasures.EmergencyMeasuresClient Measures(RunningService s) => new(s.Channel);

    /// <summary>Waits until the measures service has heard of a crisis through RabbitMQ (a condition on its facts).</summary>
    public static async Task WaitForCrisisAsync(RunningService measures, string crisisId, Func<CrisisFacts, bool>? condition = null)
    {
        var store = measures.Services.GetRequiredService<IDocumentStore>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            await using var session = store.QuerySession();
            var facts = await session.LoadAsync<CrisisFacts>(crisisId);
            if (facts is not null && (condition?.Invoke(facts) ?? true)) return;
            await Task.Delay(100);
        }

        throw new TimeoutException($"the measures service never heard of crisis {crisisId}");
    }
}

public static class Requests
{
    public static DeclareCrisisRequest Crisis(string country, string perpetrator, string section) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        TargetCountry = country,
        BorderSections = { section },
        Perpetrator = new Perpetrator { Name = perpetrator, Kind = PerpetratorKind.State },
        Scenario = Scenario.Belligerent,
        Criteria = new QualificationCriteria
        {
            HostileActor = new Criterion { Met = true, Evidence = "state authorities organise transport to the border" },
            EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "announcement that the border is open" },
            AimToDestabilise = new Criterion { Met = true, Evidence = "public statements" },
            RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "tens of thousands at the land border" },
        },
        Stage = BlueprintStage.CrisisManagement,
        Justification = "deliberate pushing of migrants to the border",
    };

    public static EnactMeasureRequest Enact(string type, string country, string crisisId, string start, string end, string section) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureType = type,
        Country = country,
        Territory = { section },
        StartDate = start,
        EndDate = end,
        LegalActReference = "act of " + start,
        CrisisId = crisisId,
        Justification = "necessary and proportionate to the situation at the border",
    };

    public static ExtendMeasureRequest Extend(string id, long version, string newEnd, string? consent) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureId = id,
        ExpectedVersion = version,
        NewEndDate = newEnd,
        ConsentReference = consent ?? "",
        Justification = "the threat persists",
    };
}
