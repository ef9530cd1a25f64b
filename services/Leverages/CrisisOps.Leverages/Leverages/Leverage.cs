using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Leverages.Leverages;

public enum LeverageStatus { Proposed, Imposed, Suspended, Lifted, Lapsed, Withdrawn }

public enum AllyPosition { Pending, Joined, Declined }

public enum LiftReason { Decision, CrisisDeescalated, CrisisEnded }

/// <summary>Who the leverage is applied to. Public sanctions-list data only (names of officials and entities as listed).</summary>
public sealed record Target(TargetKind Kind, string Name, string Country);

// Events of a leverage stream.

public sealed record LeverageProposed(
    string LeverageId,
    string Country,
    string TypeCode,
    LeverageCategory Category,
    LeverageSide Side,
    Target Target,
    string? CrisisId,
    bool ConditionalOnCrisis,
    ImmutableArray<string> Evidence,
    ImmutableArray<string> Allies,
    Decision Decision) : IRecordedDecision;

public sealed record AllyPositionRecorded(string LeverageId, string Country, string Ally, AllyPosition Position, string Reference, Decision Decision)
    : IRecordedDecision;

public sealed record LeverageImposed(
    string LeverageId,
    string Country,
    DateOnly StartDate,
    DateOnly? EndDate,
    DateOnly? LegalMaxEnd,
    DateOnly? TotalCapEnd,
    DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt,
    string LegalActReference,
    string CatalogueVersion,
    Decision Decision) : IRecordedDecision;

public sealed record LeverageReviewed(string LeverageId, string Country, DateOnly? NextReviewDueAt, Decision Decision) : IRecordedDecision;

public sealed record LeverageRenewed(
    string LeverageId,
    string Country,
    int RenewalNumber,
    DateOnly NewEndDate,
    DateOnly LegalMaxEnd,
    DateTimeOffset ExpiresAt,
    string? ConsentReference,
    DateOnly? NextReviewDueAt,
    Decision Decision) : IRecordedDecision;

public sealed record LeverageEscalated(string LeverageId, string Country, ImmutableArray<Target> AddedTargets, Decision Decision) : IRecordedDecision;

public sealed record LeverageSuspended(string LeverageId, string Country, Decision Decision) : IRecordedDecision;

public sealed record LeverageResumed(string LeverageId, string Country, Decision Decision) : IRecordedDecision;

/// <summary>
/// A leverage lifted. <paramref name="EndedAt"/>: when a crisis cascade lifts it, the moment its crisis de-escalated or
/// ended (its end in law), which the decision records a little later; null for a decision, which ends it when taken.
/// </summary>
public sealed record LeverageLifted(string LeverageId, string Country, LiftReason Reason, Decision Decision, DateTimeOffset? EndedAt = null)
    : IRecordedDecision;

public sealed record LeverageLapsed(string LeverageId, string Country, DateTimeOffset LapsedAt, DateTimeOffset RecordedAt, Decision Decision)
    : IRecordedDecision;

public sealed record LeverageReviewFellDue(string LeverageId, string Country, DateOnly DueOn, DateTimeOffset RecordedAt, Decision Decision)
    : IRecordedDecision;

public sealed record LeverageFlaggedForReview(string LeverageId, string Country, string CrisisId, string Reason, Decision Decision)
    : IRecordedDecision;

/// <summary>The state leverage decisions need.</summary>
public sealed record Leverage(
    string Id,
    string Country,
    string TypeCode,
    string? CrisisId,
    bool ConditionalOnCrisis,
    LeverageStatus Status,
    LegalTerm? Term,
    Instant? StartsAt,
    int Renewals,
    DateOnly? ReviewDueAt,
    DateOnly? ReviewAlertRaisedFor,
    ImmutableDictionary<string, AllyPosition> Allies)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public LeverageCategory Category { get; init; }

    public LeverageSide Side { get; init; }

    public ImmutableArray<Target> Targets { get; init; } = [];

    public ImmutableArray<string> Evidence { get; init; } = [];

    public DateOnly? StartDate { get; init; }

    public bool ReviewOverdue { get; init; }

    public bool FlaggedForReview { get; init; }

    public string LegalBasisCitation { get; init; } = "";

    public string LegalActReference { get; init; } = "";

    public bool InForce => Status is LeverageStatus.Imposed or LeverageStatus.Suspended;

    /// <summary>The legal end, when the leverage is in force and has one.</summary>
    public DateTimeOffset? LapseDeadline => InForce && Term is { } t ? t.EndsAt.ToDateTimeOffset() : null;

    /// <summary>The moment the next review falls due (start of its day, UTC), unless its alert was already raised.</summary>
    public DateOnly? PendingReview => InForce && ReviewDueAt is { } due && ReviewAlertRaisedFor != due ? due : null;

    /// <summary>Imposed (not suspended) at <paramref name="at"/>, for a state folded from decisions taken up to then.</summary>
    public bool InForceAt(Instant at) => Status == LeverageStatus.Imposed && StartsAt <= at && (Term is null || at < Term.EndsAt);

    public static Leverage? Transition(Leverage? state, object @event) => (state, @event) switch
    {
        (null, LeverageProposed e) => new Leverage(e.LeverageId, e.Country, e.TypeCode, e.CrisisId, e.ConditionalOnCrisis,
            LeverageStatus.Proposed, null, null, 0, null, null, e.Allies.ToImmutableDictionary(a => a, _ => AllyPosition.Pending))
        {
            Category = e.Category,
            Side = e.Side,
            Targets = [e.Target],
            Evidence = e.Evidence,
            LegalBasisCitation = e.Decision.LegalBasis ?? "",
        },
        (not null, AllyPositionRecorded e) => state with { Allies = state.Allies.SetItem(e.Ally, e.Position) },
        (not null, LeverageImposed e) => state with
        {
            Status = LeverageStatus.Imposed,
            StartsAt = Instant.FromDateTimeOffset(e.StartsAt),
            Term = e.EndDate is { } end
                ? new LegalTerm(LocalDate.FromDateOnly(e.StartDate), LocalDate.FromDateOnly(end), LocalDate.FromDateOnly(e.LegalMaxEnd!.Value),
                    e.TotalCapEnd is { } cap ? LocalDate.FromDateOnly(cap) : null, Instant.FromDateTimeOffset(e.ExpiresAt!.Value))
                : null,
            ReviewDueAt = e.ReviewDueAt,
            StartDate = e.StartDate,
            LegalActReference = e.LegalActReference,
        },
        (not null, LeverageReviewed e) => state with { ReviewDueAt = e.NextReviewDueAt, ReviewOverdue = false, FlaggedForReview = false },
        (not null, LeverageRenewed e) => state with
        {
            Renewals = e.RenewalNumber,
            Term = state.Term! with
            {
                End = LocalDate.FromDateOnly(e.NewEndDate),
                LegalMaxEnd = LocalDate.FromDateOnly(e.LegalMaxEnd),
                EndsAt = Instant.FromDateTimeOffset(e.ExpiresAt),
            },
            ReviewDueAt = e.NextReviewDueAt,
            ReviewOverdue = false,
            FlaggedForReview = false,
        },
        (not null, LeverageEscalated e) => state with { Targets = state.Targets.AddRange(e.AddedTargets) },
        (not null, LeverageSuspended) => state with { Status = LeverageStatus.Suspended },
        (not null, LeverageResumed) => state with { Status = LeverageStatus.Imposed },
        (not null, LeverageLifted) => state with { Status = state.Status == LeverageStatus.Proposed ? LeverageStatus.Withdrawn : LeverageStatus.Lifted },
        (not null, LeverageLapsed) => state with { Status = LeverageStatus.Lapsed },
        (not null, LeverageReviewFellDue e) => state with { ReviewAlertRaisedFor = e.DueOn, ReviewOverdue = true },
        (not null, LeverageFlaggedForReview) => state with { FlaggedForReview = true },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to leverage state {state?.Id ?? "(none)"}"),
    };
}
