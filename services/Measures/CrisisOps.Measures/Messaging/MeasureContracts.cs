using CrisisOps.Measures.Measures;
using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;
using Contract = CrisisOps.Contracts.Measures.V1;

namespace CrisisOps.Measures.Messaging;

/// <summary>Which committed domain events leave the service, and in which contract shape.</summary>
public sealed class MeasureContracts : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => e.Data switch
    {
        MeasureEnacted d => new Contract.MeasureEnacted(d.MeasureId, d.Country, d.TypeCode, d.Category.ToString(),
            d.Classification.Context.ToString(), d.Classification.Scope.ToString(), d.Classification.Purpose.ToString(), d.CrisisId,
            d.Territory, d.StartDate, d.EndDate, d.LegalMaxEnd, d.ExpiresAt, d.Decision.ToInfo()),
        MeasureExtended d => new Contract.MeasureExtended(d.MeasureId, d.Country, d.ExtensionNumber, d.NewEndDate, d.ExpiresAt,
            d.ConsentReference, d.Decision.ToInfo()),
        MeasureAmended d => new Contract.MeasureAmended(d.MeasureId, d.Country, d.Territory, d.Decision.ToInfo()),
        MeasureRevoked d => new Contract.MeasureRevoked(d.MeasureId, d.Country, d.Decision.ToInfo()),
        MeasureEndorsed d => new Contract.MeasureEndorsed(d.MeasureId, d.Country, d.ConfirmationReference, d.Decision.ToInfo()),
        MeasureAnnulled d => new Contract.MeasureAnnulled(d.MeasureId, d.Country, d.ConfirmationReference, d.Decision.ToInfo()),
        MeasureExpired d => new Contract.MeasureExpired(d.MeasureId, d.Country, d.ExpiredAt, d.RecordedAt),
        MeasureEnded d => new Contract.MeasureEndedWithCrisis(d.MeasureId, d.Country, d.CrisisId, d.Reason.ToString(), d.EndedAt),
        SafeguardBreachRefused d => new Contract.SafeguardBreachRefused(d.Country, d.MeasureTypeCode, d.Rule, d.Reason, d.Decision.ToInfo()),
        _ => null,
    };

    public IEnumerable<object> ToContracts(IEvent e)
    {
        if (ToContract(e) is { } contract) yield return contract;
        if (e.Data is MeasureEnacted d)
            yield return new Contract.MeasureLegalTermSet(d.MeasureId, d.Country, d.LegalBasisCitation, d.LegalActReference, d.DecidingAuthority,
                d.TotalCapEnd, d.MaxExtensions, d.ReviewDueAt, d.Provisional);
    }
}
