namespace CrisisOps.Contracts.Leverages.V1;

// Integration events owned by the diplomatic leverages service, version 1. Shipped records are never edited.

/// <summary>A leverage was proposed against a target (state, carrier, travel agency, named official or entity).</summary>
public sealed record LeverageProposed(string LeverageId, string Country, string LeverageType, string Category, string Side,
    string TargetKind, string TargetName, string? CrisisId, bool ConditionalOnCrisis, IReadOnlyList<string> Evidence, DecisionInfo Decision);

/// <summary>An ally's position on a leverage (Joined, Declined, Pending): toolbox measure C4.</summary>
public sealed record AllyPositionRecorded(string LeverageId, string Country, string Ally, string Position, DecisionInfo Decision);

public sealed record LeverageImposed(string LeverageId, string Country, DateOnly StartDate, DateOnly? EndDate, DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt, DecisionInfo Decision);

public sealed record LeverageReviewed(string LeverageId, string Country, DateOnly? NextReviewDueAt, DecisionInfo Decision);

public sealed record LeverageRenewed(string LeverageId, string Country, int RenewalNumber, DateOnly NewEndDate, DateTimeOffset ExpiresAt, DecisionInfo Decision);

public sealed record LeverageEscalated(string LeverageId, string Country, IReadOnlyList<string> AddedTargets, DecisionInfo Decision);

public sealed record LeverageSuspended(string LeverageId, string Country, DecisionInfo Decision);

public sealed record LeverageResumed(string LeverageId, string Country, DecisionInfo Decision);

/// <summary>Lifted by a decision, or automatically with the crisis it was conditional on (<c>Reason</c>).</summary>
public sealed record LeverageLifted(string LeverageId, string Country, string Reason, DecisionInfo Decision);

/// <summary>Lapsed at its legal end without renewal; <c>LapsedAt</c> is the legal end.</summary>
public sealed record LeverageLapsed(string LeverageId, string Country, DateTimeOffset LapsedAt, DateTimeOffset RecordedAt);

/// <summary>A review fell due and has not been held: an alert for the deciding authority.</summary>
public sealed record LeverageReviewFellDue(string LeverageId, string Country, DateOnly DueOn, DateTimeOffset RecordedAt);

/// <summary>The crisis a leverage answers de-escalated or ended: the leverage must be reviewed.</summary>
public sealed record LeverageFlaggedForReview(string LeverageId, string Country, string CrisisId, string Reason);
