using System.Collections.Immutable;
using CrisisOps.Legal;

namespace CrisisOps.Declaration.Crises;

public enum Scenario { Belligerent, Negotiation, Neglect, Hybrid, NonStateActor }

public enum PerpetratorKind { State, NonState }

public enum BlueprintStage { MonitoringAndPreparedness, CrisisManagement }

public enum CrisisStatus { Active, Ended }

public enum EmergencyStatus { InForce, Expired, Lifted, EndedWithCrisis }

public sealed record Perpetrator(string Name, PerpetratorKind Kind);

public sealed record Criterion(bool Met, string Evidence);

/// <summary>The four cumulative criteria of SBC Art. 2(27) / CFMR Art. 1(4)(b), each with its evidence.</summary>
public sealed record QualificationCriteria(
    Criterion HostileActor,
    Criterion EncouragesOrFacilitatesMovement,
    Criterion AimToDestabilise,
    Criterion RisksEssentialStateFunctions);

// Events of a crisis stream. Past tense; every decision carries its Decision (who, when, basis, why).

public sealed record CrisisDeclared(
    string CrisisId,
    string TargetCountry,
    ImmutableArray<string> BorderSections,
    Perpetrator Perpetrator,
    Scenario Scenario,
    QualificationCriteria Criteria,
    bool QualifiesAsInstrumentalization,
    ImmutableArray<string> QualificationReasons,
    BlueprintStage Stage,
    Decision Decision) : IRecordedDecision;

public sealed record EmergencyDeclared(
    string CrisisId,
    string TargetCountry,
    string LegalBasisCode,
    string CatalogueVersion,
    DateOnly StartDate,
    DateOnly EndDate,
    DateOnly LegalMaxEnd,
    DateOnly? TotalCapEnd,
    int? MaxExtensions,
    DateTimeOffset ExpiresAt,
    Decision Decision) : IRecordedDecision;

public sealed record EmergencyExtended(
    string CrisisId,
    string TargetCountry,
    int ExtensionNumber,
    DateOnly PreviousEndDate,
    DateOnly NewEndDate,
    DateOnly LegalMaxEnd,
    DateTimeOffset ExpiresAt,
    string? ConsentReference,
    string CatalogueVersion,
    Decision Decision) : IRecordedDecision;

/// <summary>The emergency reached its legal end. <c>ExpiredAt</c> is the legal end, even when recorded later.</summary>
public sealed record EmergencyExpired(
    string CrisisId,
    string TargetCountry, string LegalBasisCode, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, Decision Decision) : IRecordedDecision;

public sealed record EmergencyLifted(
    string CrisisId,
    string TargetCountry, Decision Decision) : IRecordedDecision;

public sealed record CrisisStageChanged(
    string CrisisId,
    string TargetCountry, BlueprintStage From, BlueprintStage To, Decision Decision) : IRecordedDecision;

public sealed record CrisisEnded(
    string CrisisId,
    string TargetCountry, bool EmergencyEnded, Decision Decision) : IRecordedDecision;

/// <summary>The emergency of a crisis, as far as decisions need it.</summary>
public sealed record Emergency(
    string LegalBasisCode,
    DateOnly StartDate,
    DateOnly EndDate,
    DateOnly? TotalCapEnd,
    int ExtensionsUsed,
    int? MaxExtensions,
    DateTimeOffset ExpiresAt,
    EmergencyStatus Status)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public string CatalogueVersion { get; init; } = "";

    public DateOnly LegalMaxEnd { get; init; }
}

/// <summary>The state a crisis decision needs: nothing more (the read model has the rest).</summary>
public sealed record Crisis(
    string Id,
    string TargetCountry,
    bool QualifiesAsInstrumentalization,
    BlueprintStage Stage,
    CrisisStatus Status,
    Emergency? Emergency,
    ImmutableHashSet<string> LegalBasesUsed)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public ImmutableArray<string> BorderSections { get; init; } = [];

    public Perpetrator Perpetrator { get; init; } = new("", PerpetratorKind.State);

    public Scenario Scenario { get; init; }

    public QualificationCriteria? Criteria { get; init; }

    public ImmutableArray<string> QualificationReasons { get; init; } = [];

    public DateTimeOffset DeclaredAt { get; init; }

    /// <summary>The next legal deadline the service must act on by itself, if any.</summary>
    public DateTimeOffset? NextDeadline => Status == CrisisStatus.Active && Emergency is { Status: EmergencyStatus.InForce } e
        ? e.ExpiresAt
        : null;

    public static Crisis? Transition(Crisis? state, object @event) => (state, @event) switch
    {
        (null, CrisisDeclared e) => new Crisis(e.CrisisId, e.TargetCountry, e.QualifiesAsInstrumentalization, e.Stage,
            CrisisStatus.Active, null, [])
        {
            BorderSections = e.BorderSections,
            Perpetrator = e.Perpetrator,
            Scenario = e.Scenario,
            Criteria = e.Criteria,
            QualificationReasons = e.QualificationReasons,
            DeclaredAt = e.Decision.DecidedAt,
        },
        (not null, EmergencyDeclared e) => state with
        {
            Emergency = new Emergency(e.LegalBasisCode, e.StartDate, e.EndDate, e.TotalCapEnd, 0, e.MaxExtensions,
                e.ExpiresAt, EmergencyStatus.InForce) { CatalogueVersion = e.CatalogueVersion, LegalMaxEnd = e.LegalMaxEnd },
            LegalBasesUsed = state.LegalBasesUsed.Add(e.LegalBasisCode),
        },
        (not null, EmergencyExtended e) => state with
        {
            Emergency = state.Emergency! with
            {
                EndDate = e.NewEndDate,
                LegalMaxEnd = e.LegalMaxEnd,
                ExtensionsUsed = e.ExtensionNumber,
                ExpiresAt = e.ExpiresAt,
            },
        },
        (not null, EmergencyExpired) => state with { Emergency = state.Emergency! with { Status = EmergencyStatus.Expired } },
        (not null, EmergencyLifted) => state with { Emergency = state.Emergency! with { Status = EmergencyStatus.Lifted } },
        (not null, CrisisStageChanged e) => state with { Stage = e.To },
        (not null, CrisisEnded e) => state with
        {
            Status = CrisisStatus.Ended,
            Emergency = e.EmergencyEnded ? state.Emergency! with { Status = EmergencyStatus.EndedWithCrisis } : state.Emergency,
        },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to crisis state {state?.Id ?? "(none)"}"),
    };
}
