using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Measures.Measures;

public enum MeasureStatus { InForce, Revoked, Expired, Ended, Annulled }

public enum Confirmation { NotRequired, Pending, Endorsed }

/// <summary>Why a measure ended without a decision of its own.</summary>
public enum EndReason
{
    CrisisEnded,
    EmergencyEnded,
    /// <summary>A safeguard it depended on no longer held (rule 3: the last open registration point of its country closed).</summary>
    SafeguardNoLongerHeld,
}

// Events of a measure stream.

public sealed record MeasureEnacted(
    string MeasureId,
    string Country,
    string TypeCode,
    string CatalogueVersion,
    MeasureCategory Category,
    Classification Classification,
    string? CrisisId,
    string? DependsOnEmergency,
    ImmutableArray<string> Territory,
    MeasureParameters Parameters,
    string LegalBasisCitation,
    string LegalActReference,
    string DecidingAuthority,
    DateOnly StartDate,
    DateOnly? EndDate,
    DateOnly? LegalMaxEnd,
    DateOnly? TotalCapEnd,
    int? MaxExtensions,
    DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt,
    bool ConfirmationRequired,
    bool Provisional,
    Decision Decision) : IRecordedDecision;

public sealed record MeasureExtended(
    string MeasureId,
    string Country,
    int ExtensionNumber,
    DateOnly PreviousEndDate,
    DateOnly NewEndDate,
    DateOnly LegalMaxEnd,
    DateTimeOffset ExpiresAt,
    string? ConsentReference,
    string CatalogueVersion,
    Decision Decision) : IRecordedDecision;

public sealed record MeasureAmended(string MeasureId, string Country, ImmutableArray<string> Territory, MeasureParameters Parameters, Decision Decision)
    : IRecordedDecision;

public sealed record MeasureRevoked(string MeasureId, string Country, Decision Decision) : IRecordedDecision;

public sealed record MeasureEndorsed(string MeasureId, string Country, string ConfirmationReference, Decision Decision) : IRecordedDecision;

public sealed record MeasureAnnulled(string MeasureId, string Country, string ConfirmationReference, Decision Decision) : IRecordedDecision;

/// <summary>The measure reached its legal end. <c>ExpiredAt</c> is the legal end, even when recorded later.</summary>
public sealed record MeasureExpired(string MeasureId, string Country, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, Decision Decision)
    : IRecordedDecision;

/// <summary>The measure ended because what it depends on ended (its crisis, or the emergency it was taken under).</summary>
public sealed record MeasureEnded(string MeasureId, string Country, EndReason Reason, string CrisisId, DateTimeOffset EndedAt, Decision Decision)
    : IRecordedDecision;

/// <summary>A command refused because it would cross a non-derogable safeguard: kept for auditors, changes no measure.</summary>
public sealed record SafeguardBreachRefused(string Country, string MeasureTypeCode, string Rule, string Reason, string Command, Decision Decision)
    : IRecordedDecision;

/// <summary>The state measure decisions need.</summary>
public sealed record Measure(
    string Id,
    string Country,
    string TypeCode,
    MeasureCategory Category,
    string? CrisisId,
    ImmutableArray<string> Territory,
    MeasureParameters Parameters,
    LegalTerm? Term,
    Instant StartsAt,
    int ExtensionsUsed,
    MeasureStatus Status,
    Confirmation Confirmation,
    bool Provisional)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public Classification Classification { get; init; } = new(default, default, default);

    public string? DependsOnEmergency { get; init; }

    public string LegalBasisCitation { get; init; } = "";

    public string LegalActReference { get; init; } = "";

    public string DecidingAuthority { get; init; } = "";

    public DateOnly StartDate { get; init; }

    public DateOnly? ReviewDueAt { get; init; }

    public int? MaxExtensions { get; init; }

    /// <summary>The legal end the service must act on by itself, if any.</summary>
    public DateTimeOffset? NextDeadline => Status == MeasureStatus.InForce && Term is { } t ? t.EndsAt.ToDateTimeOffset() : null;

    /// <summary>In force at <paramref name="at"/>, for a state folded from the decisions taken up to that moment.</summary>
    public bool InForceAt(Instant at) =>
        Status == MeasureStatus.InForce && StartsAt <= at && (Term is null || at < Term.EndsAt);

    public static Measure? Transition(Measure? state, object @event) => (state, @event) switch
    {
        (null, MeasureEnacted e) => new Measure(e.MeasureId, e.Country, e.TypeCode, e.Category, e.CrisisId, e.Territory, e.Parameters,
            e.EndDate is { } end
                ? new LegalTerm(LocalDate.FromDateOnly(e.StartDate), LocalDate.FromDateOnly(end), LocalDate.FromDateOnly(e.LegalMaxEnd!.Value),
                    e.TotalCapEnd is { } cap ? LocalDate.FromDateOnly(cap) : null, Instant.FromDateTimeOffset(e.ExpiresAt!.Value))
                : null,
            Instant.FromDateTimeOffset(e.StartsAt), 0, MeasureStatus.InForce,
            e.ConfirmationRequired ? Confirmation.Pending : Confirmation.NotRequired, e.Provisional)
        {
            Classification = e.Classification,
            DependsOnEmergency = e.DependsOnEmergency,
            LegalBasisCitation = e.LegalBasisCitation,
            LegalActReference = e.LegalActReference,
            DecidingAuthority = e.DecidingAuthority,
            StartDate = e.StartDate,
            ReviewDueAt = e.ReviewDueAt,
            MaxExtensions = e.MaxExtensions,
        },
        (not null, MeasureExtended e) => state with
        {
            Term = state.Term! with
            {
                End = LocalDate.FromDateOnly(e.NewEndDate),
                LegalMaxEnd = LocalDate.FromDateOnly(e.LegalMaxEnd),
                EndsAt = Instant.FromDateTimeOffset(e.ExpiresAt),
            },
            ExtensionsUsed = e.ExtensionNumber,
        },
        (not null, MeasureAmended e) => state with { Territory = e.Territory, Parameters = e.Parameters },
        (not null, MeasureRevoked) => state with { Status = MeasureStatus.Revoked },
        (not null, MeasureEndorsed) => state with { Confirmation = Confirmation.Endorsed },
        (not null, MeasureAnnulled) => state with { Status = MeasureStatus.Annulled },
        (not null, MeasureExpired) => state with { Status = MeasureStatus.Expired },
        (not null, MeasureEnded) => state with { Status = MeasureStatus.Ended },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to measure state {state?.Id ?? "(none)"}"),
    };
}
