using CrisisOps.Declaration.Crises;
using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.Messaging;

/// <summary>Which committed domain events leave the service, and in which contract shape.</summary>
public sealed class DeclarationContracts : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => e.Data switch
    {
        CrisisDeclared d => new Contract.CrisisDeclared(d.CrisisId, d.TargetCountry, d.BorderSections, d.Perpetrator.Name,
            d.Perpetrator.Kind.ToString(), d.Scenario.ToString(), d.QualifiesAsInstrumentalization, d.Stage.ToString(), d.Decision.ToInfo()),
        EmergencyDeclared d => new Contract.EmergencyDeclared(d.CrisisId, d.TargetCountry, d.LegalBasisCode, d.CatalogueVersion,
            d.StartDate, d.EndDate, d.LegalMaxEnd, d.ExpiresAt, d.Decision.ToInfo()),
        EmergencyExtended d => new Contract.EmergencyExtended(d.CrisisId, d.TargetCountry, d.ExtensionNumber, d.NewEndDate,
            d.ExpiresAt, d.ConsentReference, d.Decision.ToInfo()),
        EmergencyExpired d => new Contract.EmergencyExpired(d.CrisisId, d.TargetCountry, d.LegalBasisCode, d.ExpiredAt, d.RecordedAt),
        EmergencyLifted d => new Contract.EmergencyLifted(d.CrisisId, d.TargetCountry, d.Decision.ToInfo()),
        CrisisStageChanged d => new Contract.CrisisStageChanged(d.CrisisId, d.TargetCountry, d.From.ToString(), d.To.ToString(), d.Decision.ToInfo()),
        CrisisEnded d => new Contract.CrisisEnded(d.CrisisId, d.TargetCountry, d.Decision.ToInfo()),
        EarlyWarning.AlertLevelChanged d => new Contract.AlertLevelChanged(d.TargetCountry, d.BorderSection, d.From.ToString(), d.To.ToString(), d.ChangedAt),
        _ => null,
    };

    public IEnumerable<object> ToContracts(IEvent e)
    {
        if (ToContract(e) is { } contract) yield return contract;
        if (e.Data is EmergencyDeclared d)
            yield return new Contract.EmergencyLegalTermSet(d.CrisisId, d.TargetCountry, d.LegalBasisCode, d.CatalogueVersion, d.TotalCapEnd, d.MaxExtensions);
    }
}
