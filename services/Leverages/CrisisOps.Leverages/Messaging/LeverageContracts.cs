using CrisisOps.Leverages.Leverages;
using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;
using Contract = CrisisOps.Contracts.Leverages.V1;

namespace CrisisOps.Leverages.Messaging;

/// <summary>Which committed domain events leave the service, and in which contract shape.</summary>
public sealed class LeverageContracts : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => e.Data switch
    {
        LeverageProposed d => new Contract.LeverageProposed(d.LeverageId, d.Country, d.TypeCode, d.Category.ToString(), d.Side.ToString(),
            d.Target.Kind.ToString(), d.Target.Name, d.CrisisId, d.ConditionalOnCrisis, d.Evidence, d.Decision.ToInfo()),
        AllyPositionRecorded d => new Contract.AllyPositionRecorded(d.LeverageId, d.Country, d.Ally, d.Position.ToString(), d.Decision.ToInfo()),
        LeverageImposed d => new Contract.LeverageImposed(d.LeverageId, d.Country, d.StartDate, d.EndDate, d.ExpiresAt, d.ReviewDueAt, d.Decision.ToInfo()),
        LeverageReviewed d => new Contract.LeverageReviewed(d.LeverageId, d.Country, d.NextReviewDueAt, d.Decision.ToInfo()),
        LeverageRenewed d => new Contract.LeverageRenewed(d.LeverageId, d.Country, d.RenewalNumber, d.NewEndDate, d.ExpiresAt, d.Decision.ToInfo()),
        LeverageEscalated d => new Contract.LeverageEscalated(d.LeverageId, d.Country, [.. d.AddedTargets.Select(t => $"{t.Kind}:{t.Name}")], d.Decision.ToInfo()),
        LeverageSuspended d => new Contract.LeverageSuspended(d.LeverageId, d.Country, d.Decision.ToInfo()),
        LeverageResumed d => new Contract.LeverageResumed(d.LeverageId, d.Country, d.Decision.ToInfo()),
        LeverageLifted d => new Contract.LeverageLifted(d.LeverageId, d.Country, d.Reason.ToString(), d.Decision.ToInfo()),
        LeverageLapsed d => new Contract.LeverageLapsed(d.LeverageId, d.Country, d.LapsedAt, d.RecordedAt),
        LeverageReviewFellDue d => new Contract.LeverageReviewFellDue(d.LeverageId, d.Country, d.DueOn, d.RecordedAt),
        LeverageFlaggedForReview d => new Contract.LeverageFlaggedForReview(d.LeverageId, d.Country, d.CrisisId, d.Reason),
        _ => null,
    };
}
