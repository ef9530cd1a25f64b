using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Leverages.Leverages;

public abstract record LeverageCommand(Decision Decision);

public sealed record ProposeLeverage(
    string LeverageId,
    string TypeCode,
    string Country,
    Target Target,
    string? CrisisId,
    bool ConditionalOnCrisis,
    ImmutableArray<string> Evidence,
    ImmutableArray<string> Allies,
    Decision Decision) : LeverageCommand(Decision);

public sealed record RecordAllyPosition(string Ally, AllyPosition Position, string Reference, Decision Decision) : LeverageCommand(Decision);

public sealed record ImposeLeverage(LocalDate StartDate, LocalDate? EndDate, DateOnly? ReviewDueAt, string LegalActReference, Decision Decision)
    : LeverageCommand(Decision);

public sealed record ReviewLeverage(DateOnly? NextReviewDueAt, Decision Decision) : LeverageCommand(Decision);

public sealed record RenewLeverage(LocalDate NewEndDate, string? ConsentReference, Decision Decision) : LeverageCommand(Decision);

public sealed record EscalateLeverage(ImmutableArray<Target> AddedTargets, Decision Decision) : LeverageCommand(Decision);

public sealed record SuspendLeverage(Decision Decision) : LeverageCommand(Decision);

public sealed record ResumeLeverage(Decision Decision) : LeverageCommand(Decision);

public sealed record LiftLeverage(LiftReason Reason, Decision Decision) : LeverageCommand(Decision);

/// <summary>Sent by the deadline worker at the legal end.</summary>
public sealed record LapseLeverage(Decision Decision) : LeverageCommand(Decision);

/// <summary>Sent by the deadline worker on the review date.</summary>
public sealed record RaiseReviewDue(Decision Decision) : LeverageCommand(Decision);

/// <summary>Sent when the crisis the leverage answers de-escalates or ends.</summary>
public sealed record CrisisDeescalated(string CrisisId, bool Ended, string Reason, Decision Decision, DateTimeOffset? At = null) : LeverageCommand(Decision);

/// <summary>Pure leverage decisions.</summary>
public static class LeverageDecider
{
    public static IReadOnlyList<object> Decide(Leverage? state, LeverageCommand command, LegalCatalogue catalogue)
    {
        if (state is not null && command is not (LapseLeverage or RaiseReviewDue or CrisisDeescalated)) EnsureAuthority(state, command, catalogue);
        return (state, command) switch
        {
            (null, ProposeLeverage c) => [Propose(c, catalogue)],
            (not null, ProposeLeverage) => throw new RuleViolationException("leverage.unique", "the leverage is already proposed"),
            (null, _) => throw new InvalidOperationException("the leverage must exist before this command"),
            (_, LapseLeverage c) => Lapse(state, c),
            (_, RaiseReviewDue c) => ReviewDue(state, c),
            (_, CrisisDeescalated c) => Deescalated(state, c),
            ({ Status: LeverageStatus.Lifted or LeverageStatus.Lapsed or LeverageStatus.Withdrawn }, _) =>
                throw new RuleViolationException("leverage.ended", $"the leverage is {state.Status}; nothing more can be decided on it"),
            (_, RecordAllyPosition c) => [new AllyPositionRecorded(state.Id, state.Country, c.Ally, c.Position, c.Reference, c.Decision)],
            (_, ImposeLeverage c) => [Impose(state, c, catalogue)],
            (_, ReviewLeverage c) => [new LeverageReviewed(state.Id, state.Country, NextReview(InForce(state), c, catalogue), Basis(c.Decision, state, catalogue))],
            (_, RenewLeverage c) => [Renew(state, c, catalogue)],
            (_, EscalateLeverage c) => [Escalate(state, c, catalogue)],
            (_, SuspendLeverage c) => state.Status == LeverageStatus.Imposed
                ? [new LeverageSuspended(state.Id, state.Country, Basis(c.Decision, state, catalogue))]
                : throw new RuleViolationException("leverage.not-imposed", "only an imposed leverage can be suspended"),
            (_, ResumeLeverage c) => Resume(state, c, catalogue),
            (_, LiftLeverage c) => [new LeverageLifted(state.Id, state.Country, c.Reason, Basis(c.Decision, state, catalogue))],
            _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
        };
    }

    /// <summary>
    /// Who may take <paramref name="command"/>: the member state proposes a leverage and records its allies' positions;
    /// the act itself (imposing it, and every decision on it once imposed) belongs to whoever its legal basis names:
    /// the Council for restrictive measures, the member state for its own démarche.
    /// </summary>
    private static void EnsureAuthority(Leverage state, LeverageCommand command, LegalCatalogue catalogue)
    {
        var imposed = state.Status is not (LeverageStatus.Proposed or LeverageStatus.Withdrawn);
        var act = command is ImposeLeverage || (imposed && command is not RecordAllyPosition)
            ? catalogue.LeverageTypes.FirstOrDefault(t => t.Code == state.TypeCode)?.LegalBasis
            : null;
        DecidingAuthority.Ensure(command.Decision.Actor, act?.DecidedBy ?? DecidingLevel.MemberState, state.Country,
            act?.Code ?? "a leverage proposal");
    }

    private static LeverageProposed Propose(ProposeLeverage c, LegalCatalogue catalogue)
    {
        var type = catalogue.Leverage(c.TypeCode);
        if (!type.Targets.Contains(c.Target.Kind))
            throw new RuleViolationException("leverage.target",
                $"{type.Code} may target {string.Join(", ", type.Targets)}, not {c.Target.Kind}");
        if (type.EvidenceRequired && c.Evidence.IsDefaultOrEmpty)
            throw new RuleViolationException("leverage.evidence-required",
                $"{type.Code} must cite the evidence it answers (proportionality), e.g. the early-warning indicator of a surge of flights");
        if (c.ConditionalOnCrisis && c.CrisisId is null)
            throw new InvalidFieldException("crisis_id", "is required for a leverage conditional on a crisis");
        return new LeverageProposed(c.LeverageId, c.Country, type.Code, type.Category, type.Side, c.Target, c.CrisisId, c.ConditionalOnCrisis,
            c.Evidence.IsDefault ? [] : c.Evidence, c.Allies.IsDefault ? [] : c.Allies, c.Decision with { LegalBasis = type.LegalBasis.Citation });
    }

    private static LeverageImposed Impose(Leverage state, ImposeLeverage c, LegalCatalogue catalogue)
    {
        if (state.Status != LeverageStatus.Proposed)
            throw new RuleViolationException("leverage.already-imposed", $"the leverage is {state.Status}");
        var type = catalogue.Leverage(state.TypeCode);
        var basis = type.LegalBasis;
        LegalLimits.NotInThePast(basis, c.StartDate, Instant.FromDateTimeOffset(c.Decision.DecidedAt));
        LegalTerm? term = null;
        if (!type.UntilRepealed)
        {
            var end = c.EndDate ?? LegalLimits.Initial(basis, state.Country, c.StartDate, c.StartDate, "leverage").LegalMaxEnd;
            term = LegalLimits.Initial(basis, state.Country, c.StartDate, end, "leverage");
        }

        var review = c.ReviewDueAt ?? (type.ReviewEvery is { } every ? c.StartDate.Plus(every).ToDateOnly() : null);
        if (type.UntilRepealed && review is null)
            throw new RuleViolationException("leverage.review-date", $"{type.Code} has no end in law: it needs a review date (review_due_at)");
        return new LeverageImposed(state.Id, state.Country, c.StartDate.ToDateOnly(), term?.End.ToDateOnly(), term?.LegalMaxEnd.ToDateOnly(),
            term?.TotalCapEnd?.ToDateOnly(), basis.Zone.AtStartOfDay(c.StartDate).ToInstant().ToDateTimeOffset(), term?.EndsAt.ToDateTimeOffset(),
            review, c.LegalActReference, catalogue.Version, c.Decision with { LegalBasis = basis.Citation });
    }

    private static LeverageRenewed Renew(Leverage state, RenewLeverage c, LegalCatalogue catalogue)
    {
        var type = catalogue.Leverage(InForce(state).TypeCode);
        var term = state.Term ?? throw new RuleViolationException("leverage.until-repealed", $"{type.Code} has no end in law; review it instead");
        var renewed = LegalLimits.Extend(type.LegalBasis, state.Country, term, state.Renewals, c.NewEndDate, c.ConsentReference,
            Instant.FromDateTimeOffset(c.Decision.DecidedAt), "leverage");
        var nextReview = type.ReviewEvery is { } every ? DayOf(c.Decision, type.LegalBasis).Plus(every).ToDateOnly() : state.ReviewDueAt;
        return new LeverageRenewed(state.Id, state.Country, state.Renewals + 1, renewed.End.ToDateOnly(), renewed.LegalMaxEnd.ToDateOnly(),
            renewed.EndsAt.ToDateTimeOffset(), c.ConsentReference, nextReview, Basis(c.Decision, state, catalogue));
    }

    private static LeverageEscalated Escalate(Leverage state, EscalateLeverage c, LegalCatalogue catalogue)
    {
        var type = catalogue.Leverage(InForce(state).TypeCode);
        if (c.AddedTargets.IsDefaultOrEmpty) throw new InvalidFieldException("added_targets", "name at least one target");
        var unlawful = c.AddedTargets.FirstOrDefault(t => !type.Targets.Contains(t.Kind));
        if (unlawful is not null)
            throw new RuleViolationException("leverage.target", $"{type.Code} may target {string.Join(", ", type.Targets)}, not {unlawful.Kind}");
        return new LeverageEscalated(state.Id, state.Country, c.AddedTargets, Basis(c.Decision, state, catalogue));
    }

    private static IReadOnlyList<object> Resume(Leverage state, ResumeLeverage c, LegalCatalogue catalogue) =>
        state.Status != LeverageStatus.Suspended
            ? throw new RuleViolationException("leverage.not-suspended", "only a suspended leverage can be resumed")
            : state.Term is { } t && Instant.FromDateTimeOffset(c.Decision.DecidedAt) >= t.EndsAt
                ? throw new RuleViolationException("leverage.expired", "the leverage has reached its legal end; it cannot be resumed")
                : [new LeverageResumed(state.Id, state.Country, Basis(c.Decision, state, catalogue))];

    private static IReadOnlyList<object> Lapse(Leverage state, LapseLeverage c) =>
        state.InForce && state.Term is { } t && Instant.FromDateTimeOffset(c.Decision.DecidedAt) >= t.EndsAt
            ? [new LeverageLapsed(state.Id, state.Country, t.EndsAt.ToDateTimeOffset(), c.Decision.DecidedAt, c.Decision)]
            : [];

    private static IReadOnlyList<object> ReviewDue(Leverage state, RaiseReviewDue c) =>
        state.PendingReview is { } due && DateOnly.FromDateTime(c.Decision.DecidedAt.UtcDateTime) >= due
            ? [new LeverageReviewFellDue(state.Id, state.Country, due, c.Decision.DecidedAt, c.Decision)]
            : [];

    /// <summary>Conditional leverages are lifted with their crisis's de-escalation; the others are flagged for review.</summary>
    private static IReadOnlyList<object> Deescalated(Leverage state, CrisisDeescalated c) =>
        state.CrisisId != c.CrisisId || !(state.InForce || state.Status == LeverageStatus.Proposed)
            ? []
            : state.ConditionalOnCrisis
                ? [new LeverageLifted(state.Id, state.Country, c.Ended ? LiftReason.CrisisEnded : LiftReason.CrisisDeescalated, c.Decision, c.At ?? c.Decision.DecidedAt)]
                : [new LeverageFlaggedForReview(state.Id, state.Country, c.CrisisId, c.Reason, c.Decision)];

    /// <summary>The next review: as decided, else one review cycle after this one, else none.</summary>
    private static DateOnly? NextReview(Leverage state, ReviewLeverage c, LegalCatalogue catalogue) =>
        c.NextReviewDueAt
        ?? (catalogue.Leverage(state.TypeCode) is { ReviewEvery: { } every } type
            ? DayOf(c.Decision, type.LegalBasis).Plus(every).ToDateOnly()
            : null);

    /// <summary>The day a decision was taken, in its basis's legal time zone (not in UTC: 00:30 in Brussels is already tomorrow).</summary>
    private static LocalDate DayOf(Decision d, LegalBasis basis) => LegalCalendar.DayOf(Instant.FromDateTimeOffset(d.DecidedAt), basis.Zone);

    private static Leverage InForce(Leverage state) => state.InForce
        ? state
        : throw new RuleViolationException("leverage.not-in-force", $"the leverage is {state.Status}, not in force");

    private static Decision Basis(Decision d, Leverage state, LegalCatalogue catalogue) =>
        d with { LegalBasis = catalogue.LeverageTypes.FirstOrDefault(t => t.Code == state.TypeCode)?.LegalBasis.Citation ?? state.TypeCode };
}
