using System.Collections.Immutable;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Leverages.Leverages;

/// <summary>The read model of a leverage, written in the transaction of each decision.</summary>
public sealed record LeverageView(
    string Id,
    long Version,
    string Country,
    string TypeCode,
    LeverageCategory Category,
    LeverageSide Side,
    ImmutableArray<Target> Targets,
    string? CrisisId,
    bool ConditionalOnCrisis,
    ImmutableArray<string> Evidence,
    ImmutableDictionary<string, AllyPosition> Allies,
    LeverageStatus Status,
    DateOnly? StartDate,
    DateOnly? EndDate,
    DateOnly? LegalMaxEnd,
    DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt,
    bool ReviewOverdue,
    bool FlaggedForReview,
    int Renewals,
    string LegalBasisCitation,
    string LegalActReference)
{
    public static LeverageView? Transition(LeverageView? view, object @event) => (view, @event) switch
    {
        (null, LeverageProposed e) => new LeverageView(e.LeverageId, 0, e.Country, e.TypeCode, e.Category, e.Side, [e.Target], e.CrisisId,
            e.ConditionalOnCrisis, e.Evidence, e.Allies.ToImmutableDictionary(a => a, _ => AllyPosition.Pending), LeverageStatus.Proposed,
            null, null, null, null, null, false, false, 0, e.Decision.LegalBasis ?? "", ""),
        (not null, AllyPositionRecorded e) => view with { Allies = view.Allies.SetItem(e.Ally, e.Position) },
        (not null, LeverageImposed e) => view with
        {
            Status = LeverageStatus.Imposed,
            StartDate = e.StartDate,
            EndDate = e.EndDate,
            LegalMaxEnd = e.LegalMaxEnd,
            ExpiresAt = e.ExpiresAt,
            ReviewDueAt = e.ReviewDueAt,
            LegalActReference = e.LegalActReference,
        },
        (not null, LeverageReviewed e) => view with { ReviewDueAt = e.NextReviewDueAt, ReviewOverdue = false, FlaggedForReview = false },
        (not null, LeverageRenewed e) => view with
        {
            EndDate = e.NewEndDate,
            LegalMaxEnd = e.LegalMaxEnd,
            ExpiresAt = e.ExpiresAt,
            Renewals = e.RenewalNumber,
            ReviewDueAt = e.NextReviewDueAt,
            ReviewOverdue = false,
            FlaggedForReview = false,
        },
        (not null, LeverageEscalated e) => view with { Targets = view.Targets.AddRange(e.AddedTargets) },
        (not null, LeverageSuspended) => view with { Status = LeverageStatus.Suspended },
        (not null, LeverageResumed) => view with { Status = LeverageStatus.Imposed },
        (not null, LeverageLifted) => view with { Status = view.Status == LeverageStatus.Proposed ? LeverageStatus.Withdrawn : LeverageStatus.Lifted },
        (not null, LeverageLapsed) => view with { Status = LeverageStatus.Lapsed },
        (not null, LeverageReviewFellDue) => view with { ReviewOverdue = true },
        (not null, LeverageFlaggedForReview) => view with { FlaggedForReview = true },
        _ => view,
    };
}

/// <summary>How a leverage stream is folded and what its transaction writes besides the events.</summary>
public static class LeverageStream
{
    public const string LapseDeadline = "leverage-lapse";
    public const string ReviewDeadline = "leverage-review";

    public static readonly StreamDefinition<Leverage> Definition = new(Leverage.Transition, Persist);

    public static string IdFor(Guid id) => $"leverage-{id}";

    private static void Persist(IDocumentOperations ops, string id, Leverage state, long version, IReadOnlyList<object> events)
    {
        ops.Store(events.Aggregate((LeverageView?)null, LeverageView.Transition)! with { Version = version });
        Schedule(ops, LapseDeadline, id, state.LapseDeadline);
        // A review falls due at the start of its day (UTC): the alert goes to the deciding authority that morning.
        Schedule(ops, ReviewDeadline, id, state.PendingReview is { } due ? new DateTimeOffset(due.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
    }

    private static void Schedule(IDocumentOperations ops, string kind, string id, DateTimeOffset? due)
    {
        var deadlineId = Deadline.IdFor(kind, id);
        if (due is { } at) ops.Store(new Deadline { Id = deadlineId, Kind = kind, StreamId = id, DueAt = at });
        else ops.Delete<Deadline>(deadlineId);
    }

    public static string Describe(object e) => e switch
    {
        LeverageProposed d => $"{d.TypeCode} proposed by {d.Country} against {d.Target.Kind} {d.Target.Name}" +
            (d.Allies.IsEmpty ? "" : $", allies asked: {string.Join(", ", d.Allies)}") + (d.ConditionalOnCrisis ? $", conditional on crisis {d.CrisisId}" : ""),
        AllyPositionRecorded d => $"{d.Ally}: {d.Position} ({d.Reference})",
        LeverageImposed d => $"Imposed from {d.StartDate:yyyy-MM-dd}" + (d.EndDate is { } end ? $" to {end:yyyy-MM-dd}" : " until repealed") +
            (d.ReviewDueAt is { } review ? $", review due {review:yyyy-MM-dd}" : ""),
        LeverageReviewed d => $"Reviewed; next review {(d.NextReviewDueAt is { } next ? next.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : "none")}",
        LeverageRenewed d => $"Renewed (renewal {d.RenewalNumber}) to {d.NewEndDate:yyyy-MM-dd}",
        LeverageEscalated d => $"Escalated to {string.Join(", ", d.AddedTargets.Select(t => $"{t.Kind} {t.Name}"))}",
        LeverageSuspended => "Suspended",
        LeverageResumed => "Resumed",
        LeverageLifted d => d.Reason == LiftReason.Decision ? "Lifted" : $"Lifted automatically: {d.Reason}",
        LeverageLapsed d => $"Lapsed at its legal end {d.LapsedAt:O}",
        LeverageReviewFellDue d => $"Review due on {d.DueOn:yyyy-MM-dd} has not been held",
        LeverageFlaggedForReview d => $"Flagged for review: {d.Reason}",
        _ => e.GetType().Name,
    };
}

/// <summary>Lapses a leverage at its legal end when it was not renewed.</summary>
public sealed class LeverageLapseHandler(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
    : CrisisOps.ServiceDefaults.Deadlines.LegalEndHandler<Leverage>(store, clock)
{
    public override string Kind => LeverageStream.LapseDeadline;

    protected override StreamDefinition<Leverage> Definition => LeverageStream.Definition;

    protected override IReadOnlyList<object> Expire(Leverage? state, CrisisOps.Legal.Decision decision) =>
        LeverageDecider.Decide(state, new LapseLeverage(decision), catalogue);
}

/// <summary>Raises the alert of a review that fell due and was not held.</summary>
public sealed class LeverageReviewDueHandler(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
    : CrisisOps.ServiceDefaults.Deadlines.LegalEndHandler<Leverage>(store, clock)
{
    public override string Kind => LeverageStream.ReviewDeadline;

    protected override string Justification => "review date reached without a review";

    protected override StreamDefinition<Leverage> Definition => LeverageStream.Definition;

    protected override IReadOnlyList<object> Expire(Leverage? state, CrisisOps.Legal.Decision decision) =>
        LeverageDecider.Decide(state, new RaiseReviewDue(decision), catalogue);
}
