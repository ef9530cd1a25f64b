using System.Globalization;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using NodaTime;
using static CrisisOps.Benchmarks.Harness.BenchStack;
using HumanitarianLocation = CrisisOps.Humanitarian.Grpc.V1.Location;
using ReceptionPlaces = CrisisOps.Reception.Grpc.V1.Places;

namespace CrisisOps.Benchmarks.Harness;

/// <summary>
/// The lawful decisions the suite sends through the public gRPC APIs, as a Polish ministry would: each call a new
/// request id, so each is a decision recorded (never a replay).
/// </summary>
public sealed class Decisions(BenchStack stack)
{
    public const string Country = "PL";
    public const string Section = "PL-BY";
    public const string EmergencyBasis = "PL-CONST-230";
    public const string StateOfEmergency = "PL-STATE-OF-EMERGENCY";

    private readonly string _ministry = stack.Context.Tokens.Ministry(Country, "bench-duty-officer");

    public string Ministry => _ministry;

    public CrisisDeclaration.CrisisDeclarationClient Declaration { get; } = new(stack["declaration"].Channel);

    public EmergencyMeasures.EmergencyMeasuresClient Measures { get; } = new(stack["measures"].Channel);

    public ReceptionCapacity.ReceptionCapacityClient Reception { get; } = new(stack["reception"].Channel);

    public HumanitarianSupport.HumanitarianSupportClient Humanitarian { get; } = new(stack["humanitarian"].Channel);

    public DiplomaticLeverages.DiplomaticLeveragesClient Leverages { get; } = new(stack["leverages"].Channel);

    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Today in Warsaw: the Polish legal bases count days there (a start date before it is refused).</summary>
    public static string Today() => InDays(0);

    public static string InDays(int days) =>
        SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb["Europe/Warsaw"]).Date.PlusDays(days)
            .ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static RecordIndicatorRequest Indicator(string country, string section, int i) => new()
    {
        RequestId = NewId(),
        TargetCountry = country,
        BorderSection = section,
        Group = (i % 4) switch { 0 => IndicatorGroup.Intent, 1 => IndicatorGroup.Potential, 2 => IndicatorGroup.TerritorialVulnerability, _ => IndicatorGroup.PoliticalVulnerability },
        // A handful of kinds per group: the state stays small however long the stream grows.
        Kind = $"indicator kind {i % 5}",
        Level = (i % 3) switch { 0 => IndicatorLevel.Moderate, 1 => IndicatorLevel.High, _ => IndicatorLevel.Low },
        Evidence = "benchmark observation",
        Source = "benchmark monitoring cell",
        ObservedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(-1)),
    };

    public Task RecordIndicatorAsync(string section, int i, int deadlineSeconds = 30) =>
        Declaration.RecordIndicatorAsync(Indicator(Country, section, i), As(_ministry, deadlineSeconds)).ResponseAsync;

    public async Task<string> DeclareCrisisAsync()
    {
        var answer = await Declaration.DeclareCrisisAsync(new DeclareCrisisRequest
        {
            RequestId = NewId(),
            TargetCountry = Country,
            BorderSections = { Section },
            Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
            Scenario = Scenario.Belligerent,
            Stage = BlueprintStage.CrisisManagement,
            Criteria = new QualificationCriteria
            {
                HostileActor = new Criterion { Met = true, Evidence = "state-run flights" },
                EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "tourist visas issued in bulk" },
                AimToDestabilise = new Criterion { Met = true, Evidence = "official statements" },
                RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "border guard overwhelmed" },
            },
            Justification = "benchmark: people pushed to the border",
        }, As(_ministry));
        return answer.Result.Id;
    }

    /// <summary>An emergency on the crisis from today for <paramref name="days"/> days; returns the crisis version after it.</summary>
    public async Task<long> DeclareEmergencyAsync(string crisisId, long version, int days = 30)
    {
        var answer = await Declaration.DeclareEmergencyAsync(new DeclareEmergencyRequest
        {
            RequestId = NewId(),
            CrisisId = crisisId,
            ExpectedVersion = version,
            LegalBasisCode = EmergencyBasis,
            StartDate = Today(),
            EndDate = InDays(days - 1),
            Justification = "benchmark: the Council of Ministers' request",
        }, As(_ministry));
        return answer.Version;
    }

    public static EnactMeasureRequest Measure(string crisisId, long crisisVersion = 0) => new()
    {
        RequestId = NewId(),
        MeasureType = StateOfEmergency,
        Country = Country,
        Territory = { Section },
        StartDate = Today(),
        EndDate = InDays(20),
        LegalActReference = "Regulation of the President (benchmark)",
        CrisisId = crisisId,
        CrisisVersion = crisisVersion,
        Justification = "benchmark: border localities along PL-BY",
    };

    public Task EnactMeasureAsync(string crisisId) => Measures.EnactMeasureAsync(Measure(crisisId), As(_ministry)).ResponseAsync;

    public async Task<string> RegisterFacilityAsync(string name, int capacity, string borderSection = "")
    {
        var answer = await Reception.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            RequestId = NewId(),
            Name = name,
            Kind = FacilityKind.ReceptionCentre,
            Country = Country,
            Region = "PL-PD",
            BorderSection = borderSection,
            Capacity = new ReceptionPlaces { General = capacity },
            Status = FacilityStatus.Open,
            Justification = "benchmark: capacity near the border",
        }, As(_ministry));
        return answer.Id;
    }

    public Task ReportArrivalsAsync(string facilityId, int people = 1) => Reception.ReportArrivalsAsync(new MovementRequest
    {
        RequestId = NewId(),
        FacilityId = facilityId,
        People = new ReceptionPlaces { General = people },
        Note = "benchmark",
    }, As(_ministry)).ResponseAsync;

    public Task RequestAssistanceAsync(int i) => Humanitarian.RequestAssistanceAsync(new RequestAssistanceRequest
    {
        RequestId = NewId(),
        Country = Country,
        Location = new HumanitarianLocation { Country = Country, Admin1Name = "Podlaskie", Name = $"Crossing {i % 20}" },
        Sector = Sector.Shelter,
        Item = "Family tents",
        Quantity = 20,
        Unit = "pieces",
        Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
        Justification = "benchmark: people at the crossing need shelter tonight",
    }, As(_ministry)).ResponseAsync;

    public Task ProposeLeverageAsync() => Leverages.ProposeLeverageAsync(new ProposeLeverageRequest
    {
        RequestId = NewId(),
        LeverageType = "EU-CARRIER-MEASURES",
        Country = Country,
        Target = new Target { Kind = TargetKind.Carrier, Name = "Belavia", Country = "BY" },
        // Proportionality: a leverage cites what it answers.
        Evidence = { "early-warning indicator: a surge of flights to Minsk" },
        Justification = "benchmark: the carrier flies people to the border",
    }, As(_ministry)).ResponseAsync;
}
