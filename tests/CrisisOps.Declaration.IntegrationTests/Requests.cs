using CrisisOps.Declaration.Grpc.V1;

namespace CrisisOps.Declaration.IntegrationTests;

public static class Requests
{
    public static DeclareCrisisRequest PolandBelarus(string? requestId = null) => new()
    {
        RequestId = requestId ?? Guid.NewGuid().ToString(),
        TargetCountry = "PL",
        BorderSections = { "PL-BY" },
        Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
        Scenario = Scenario.Belligerent,
        Criteria = new QualificationCriteria
        {
            HostileActor = new Criterion { Met = true, Evidence = "state authorities organise transit" },
            EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "flights to Minsk, transport to the border" },
            AimToDestabilise = new Criterion { Met = true, Evidence = "public statements of the regime" },
            RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "border guard overwhelmed in Podlaskie" },
        },
        Stage = BlueprintStage.MonitoringAndPreparedness,
        Justification = "Deliberate orchestration of arrivals at the PL-BY border",
    };

    public static DeclareEmergencyRequest Emergency(string crisisId, long version, string start, string end) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CrisisId = crisisId,
        ExpectedVersion = version,
        LegalBasisCode = "PL-CONST-230",
        StartDate = start,
        EndDate = end,
        Justification = "Council of Ministers' request; 183 localities of Podlaskie and Lubelskie",
    };

    public static ExtendEmergencyRequest Extend(string crisisId, long version, string newEnd, string? consent) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CrisisId = crisisId,
        ExpectedVersion = version,
        NewEndDate = newEnd,
        ConsentReference = consent ?? "",
        Justification = "the situation at the border persists",
    };
}
