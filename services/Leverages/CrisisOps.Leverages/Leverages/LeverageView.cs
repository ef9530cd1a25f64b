using System.Collections.Immutable;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.Deadlines;
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
    /// <summary>The view of a leverage's state at <paramref name="version"/>.</summary>
    public static LeverageView From(Leverage l, long version) => new(l.Id, version, l.Country, l.TypeCode, l.Category, l.Side, l.Targets,
        l.CrisisId, l.ConditionalOnCrisis, l.Evidence, l.Allies, l.Status, l.StartDate, l.Term?.End.ToDateOnly(), l.Term?.LegalMaxEnd.ToDateOnly(),
        l.Term?.EndsAt.ToDateTimeOffset(), l.ReviewDueAt, l.ReviewOverdue, l.FlaggedForReview, l.Renewals, l.LegalBasisCitation, l.LegalActReference);
}

/// <summary>How a leverage stream is folded and what its transaction writes besides the events.</summary>
public static class LeverageStream
{
    public const string LapseDeadline = "leverage-lapse";
    public const string ReviewDeadline = "leverage-review";

    public static readonly StreamDefinition<Leverage> Definition = new(Leverage.Transition, Persist);

    public static string IdFor(Guid id) => $"leverage-{id}";

    private static void Persist(IDocumentOperations ops, StreamChange<Leverage> change)
    {
        var state = change.State;
        ops.Store(LeverageView.From(state, change.Version));
        ops.Schedule(LapseDeadline, change.StreamId, state.LapseDeadline);
        // A review falls due at the start of its day (UTC): the alert goes to the deciding authority that morning.
        ops.Schedule(ReviewDeadline, change.StreamId,
            state.PendingReview is { } due ? new DateTimeOffset(due.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null);
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
