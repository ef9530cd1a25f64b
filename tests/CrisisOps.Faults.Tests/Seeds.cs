extern alias declaration;
extern alias humanitarian;
extern alias reception;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using D = declaration::CrisisOps.Declaration.Grpc.V1;
using H = humanitarian::CrisisOps.Humanitarian.Grpc.V1;
using R = reception::CrisisOps.Reception.Grpc.V1;

namespace CrisisOps.Faults.Tests;

/// <summary>
/// A few lawful requests that create something (a crisis, a facility, an assistance request, a needs assessment): the
/// fuzz mutates them one field at a time, and the ids their answers carry let later calls reach real streams (of
/// the right kind and of the wrong one). Every other RPC is reached with the ids and codes harvested from answers.
/// </summary>
public static class Seeds
{
    public static IReadOnlyList<IMessage> All { get; } =
    [
        new D.DeclareCrisisRequest
        {
            TargetCountry = "PL",
            BorderSections = { "PL-BY" },
            Perpetrator = new D.Perpetrator { Name = "Belarus", Kind = D.PerpetratorKind.State },
            Scenario = D.Scenario.Belligerent,
            Stage = D.BlueprintStage.CrisisManagement,
            Criteria = new D.QualificationCriteria
            {
                HostileActor = new D.Criterion { Met = true, Evidence = "state-run flights" },
                EncouragesOrFacilitatesMovement = new D.Criterion { Met = true, Evidence = "tourist visas issued in bulk" },
                AimToDestabilise = new D.Criterion { Met = true, Evidence = "official statements" },
                RisksEssentialStateFunctions = new D.Criterion { Met = true, Evidence = "border guard overwhelmed" },
            },
            Justification = "people pushed to the border at night",
        },
        new D.RecordIndicatorRequest
        {
            TargetCountry = "PL",
            BorderSection = "PL-BY",
            Group = D.IndicatorGroup.Potential,
            Kind = "new flights",
            Level = D.IndicatorLevel.High,
            Evidence = "four flights a week from Baghdad",
            Source = "border guard",
            ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddHours(-1)),
        },
        new R.RegisterFacilityRequest
        {
            Name = "Podlaskie reception centre",
            Kind = R.FacilityKind.ReceptionCentre,
            Country = "PL",
            Region = "PL-PD",
            Capacity = new R.Places { General = 100, Families = 20, UnaccompaniedMinors = 5, SpecialNeeds = 5 },
            Status = R.FacilityStatus.Open,
            Justification = "capacity near the border",
        },
        new H.RequestAssistanceRequest
        {
            Country = "PL",
            Location = new H.Location { Country = "PL", Admin1Name = "Podlaskie", Name = "Kuźnica" },
            Sector = H.Sector.Shelter,
            Item = "Family tents",
            Quantity = 20,
            Unit = "pieces",
            Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
            Justification = "people at the crossing need shelter tonight",
        },
        new H.RecordNeedsAssessmentRequest
        {
            Country = "PL",
            Location = new H.Location { Country = "PL", Admin1Name = "Podlaskie", Name = "Kuźnica" },
            Sector = H.Sector.Food,
            Figures = new H.PopulationFigures { Affected = 400, InNeed = 300, Targeted = 200, Reached = 50 },
            AssessedOn = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Source = "IOM DTM",
            Justification = "figures from the first round",
        },
    ];
}
