using NodaTime;

namespace CrisisOps.Legal.Law;

/// <summary>What a leverage does (the report, 3.1.1 and 3.1.5; domain reference §4.5).</summary>
public enum LeverageCategory
{
    RestrictiveMeasures,
    VisaWaiverSuspension,
    VisaFacilitationPartialSuspension,
    VisaPenalties,
    CarrierMeasure,
    TradeRestriction,
    FinancialAssistanceSuspension,
    DiplomaticDemarche,
    PartnershipOffer,
    PartnershipAgreement,
}

/// <summary>Negative leverages raise the price of instrumentalization; positive ones are the partnerships they protect.</summary>
public enum LeverageSide { Negative, Positive }

/// <summary>Whom a leverage may lawfully be applied to.</summary>
public enum TargetKind { PerpetratorState, TransitState, Carrier, TravelAgency, NamedOfficial, Entity }

/// <summary>A leverage type of the catalogue: legal basis and limits, review cycle, lawful targets, evidence rule.</summary>
/// <param name="Code">Stable code.</param>
/// <param name="Title">Human title.</param>
/// <param name="Category">What it does.</param>
/// <param name="Side">Negative or positive.</param>
/// <param name="LegalBasis">Citation, deciding authority, default duration (initial), renewals (extensions) and cap.</param>
/// <param name="ReviewEvery">How often it must be reviewed while in force; null when its term is its only review.</param>
/// <param name="Targets">The kinds of target it may lawfully be applied to.</param>
/// <param name="EvidenceRequired">Its imposition must cite evidence (e.g. a surge of flights recorded as an early-warning indicator).</param>
/// <param name="UntilRepealed">No end in law (e.g. Council Decision 2021/1940): then a review date is required.</param>
public sealed record LeverageType(
    string Code,
    string Title,
    LeverageCategory Category,
    LeverageSide Side,
    LegalBasis LegalBasis,
    Period? ReviewEvery,
    IReadOnlyList<TargetKind> Targets,
    bool EvidenceRequired,
    bool UntilRepealed);
