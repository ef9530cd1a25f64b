using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;
using Contract = CrisisOps.Contracts.Humanitarian.V1;

namespace CrisisOps.Humanitarian.Messaging;

/// <summary>Which committed domain events leave the service, and in which contract shape.</summary>
public sealed class HumanitarianContracts : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => e.Data switch
    {
        NeedsAssessed d => new Contract.NeedsAssessed(d.AssessmentId, d.Country, d.Location.Describe(), Sectors.ToContract(d.Sector),
            d.Figures.Affected, d.Figures.InNeed, d.Figures.Targeted, d.Figures.Reached, d.Decision.ToInfo()),
        // A revision publishes the figures as they now stand, under the same assessment id.
        NeedsReassessed d => new Contract.NeedsAssessed(d.AssessmentId, d.Country, d.Location.Describe(), Sectors.ToContract(d.Sector), d.Figures.Affected,
            d.Figures.InNeed, d.Figures.Targeted, d.Figures.Reached, d.Decision.ToInfo()),
        AssistanceRequested d => new Contract.AssistanceRequested(d.RequestId, d.Country, d.Location.Describe(), Sectors.ToContract(d.Sector),
            d.Item, d.Quantity, d.Deadline, d.Origin, d.Decision.ToInfo()),
        PledgeMade d => new Contract.PledgeMade(d.RequestId, d.PledgeId, d.Organisation, d.Quantity, d.Decision.ToInfo()),
        PledgeWithdrawn d => new Contract.PledgeWithdrawn(d.RequestId, d.PledgeId, d.Organisation, d.Released, d.Decision.ToInfo()),
        DeliveryRecorded d => new Contract.DeliveryRecorded(d.RequestId, d.PledgeId, d.Organisation, d.Quantity, d.Remaining, d.Decision.ToInfo()),
        AssistanceCancelled d => new Contract.AssistanceRequestCancelled(d.RequestId, d.Country, d.Remaining, d.Decision.ToInfo()),
        AssistanceDeadlineMissed d => new Contract.AssistanceDeadlineMissed(d.RequestId, d.Country, d.Location.Describe(), Sectors.ToContract(d.Sector),
            d.Remaining, d.Deadline),
        _ => null,
    };
}
