using CrisisOps.Contracts;
using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
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
            d.Perpetrator.Kind.ToString(), d.Scenario.ToString(), d.QualifiesAsInstrumentalization, d.Stage.ToString(), Info(d.Decision)),
        EmergencyDeclared d => new Contract.EmergencyDeclared(d.CrisisId, d.TargetCountry, d.LegalBasisCode, d.CatalogueVersion,
            d.StartDate, d.EndDate, d.LegalMaxEnd, d.ExpiresAt, Info(d.Decision)),
        EmergencyExtended d => new Contract.EmergencyExtended(d.CrisisId, d.TargetCountry, d.ExtensionNumber, d.NewEndDate,
            d.ExpiresAt, d.ConsentReference, Info(d.Decision)),
        EmergencyExpired d => new Contract.EmergencyExpired(d.CrisisId, d.TargetCountry, d.LegalBasisCode, d.ExpiredAt, d.RecordedAt),
        EmergencyLifted d => new Contract.EmergencyLifted(d.CrisisId, d.TargetCountry, Info(d.Decision)),
        CrisisStageChanged d => new Contract.CrisisStageChanged(d.CrisisId, d.TargetCountry, d.From.ToString(), d.To.ToString(), Info(d.Decision)),
        CrisisEnded d => new Contract.CrisisEnded(d.CrisisId, d.TargetCountry, Info(d.Decision)),
        EarlyWarning.AlertLevelChanged d => new Contract.AlertLevelChanged(d.TargetCountry, d.BorderSection, d.From.ToString(), d.To.ToString(), d.ChangedAt),
        _ => null,
    };

    private static DecisionInfo Info(Decision d) => new(d.Actor.Subject, d.Actor.Name, d.Actor.Role.ToString(), d.Actor.Ministry,
        d.Actor.Country, d.LegalBasis, d.Justification, d.DecidedAt);
}
