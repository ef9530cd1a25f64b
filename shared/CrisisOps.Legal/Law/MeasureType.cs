using System.Collections.Immutable;
using NodaTime;

namespace CrisisOps.Legal.Law;

/// <summary>What a measure does, in the toolbox's terms. Safeguards are keyed on it in code (the safeguards), never in data.</summary>
public enum MeasureCategory
{
    BorderManagementReinforcement,
    VisaRequirement,
    CarrierSanction,
    RegistrationDelay,
    AsylumBorderProcedureExtension,
    ReturnBorderProcedureExtension,
    BorderDetention,
    CrossingPointRestriction,
    InternalBorderControl,
    NationalEmergencyLegislation,
    ExternalisationArrangement,
    /// <summary>Never lawful (CJEU C-72/22; UNHCR on Greece 2020): listed so the attempt is named and refused.</summary>
    SuspensionOfAsylumApplications,
    /// <summary>Never lawful (Charter Art. 19(1), ECHR Protocol 4 Art. 4): listed so the attempt is named and refused.</summary>
    CollectiveReturn,
}

/// <summary>The report's first axis: in which context the measure is used.</summary>
public enum MeasureContext { Negotiation, Belligerent, NegotiationAndBelligerent }

/// <summary>The report's second axis: all irregular migrants, or specific for instrumentalized migration.</summary>
public enum MeasureScope { AllIrregularMigrants, SpecificForInstrumentalizedMigration }

/// <summary>The report's third axis.</summary>
public enum MeasurePurpose { Preventive, Countervailing, PreventiveAndCountervailing }

/// <summary>A measure's place on the report's three axes (Table 1).</summary>
public sealed record Classification(MeasureContext Context, MeasureScope Scope, MeasurePurpose Purpose);

/// <summary>What the measure does, as far as safeguards need to know. Aggregate figures only, never people.</summary>
/// <param name="RegistrationDelayWeeks">For a registration delay: the delay, in weeks.</param>
/// <param name="CrossingPoints">For a crossing-point restriction: the points closed or limited.</param>
/// <param name="ExcludesApr53Groups">For border procedures and detention: the APR Art. 53 groups are excluded.</param>
/// <param name="IndividualAssessment">For return procedures: every return decision is assessed individually.</param>
public sealed record MeasureParameters(
    int? RegistrationDelayWeeks,
    ImmutableArray<string> CrossingPoints,
    bool ExcludesApr53Groups,
    bool IndividualAssessment)
{
    /// <summary>No parameters.</summary>
    public static readonly MeasureParameters None = new(null, [], false, false);
}

/// <summary>A measure type of the legal catalogue: its toolbox place, classification and the legal basis with its limits.</summary>
/// <param name="Code">Stable code, e.g. <c>PL-STATE-OF-EMERGENCY</c>.</param>
/// <param name="Toolbox">The report's Table 1 reference (B1-B7).</param>
/// <param name="Title">Human title.</param>
/// <param name="Category">What it does.</param>
/// <param name="Classification">The report's three axes.</param>
/// <param name="LegalBasis">Citation, deciding authority, time zone, periods, extensions and cap.</param>
/// <param name="DependsOnEmergency">The emergency legal basis this measure needs in force on its crisis, or null; it ends with it.</param>
/// <param name="ParliamentaryConfirmation">The parliament may endorse or annul it after enactment.</param>
/// <param name="UntilRepealed">The law sets no end: it then needs a review date.</param>
/// <param name="ProvisionalWithoutAuthorisation">How long it may apply before an authorisation exists (CFMR Art. 10(6): 10 days), or null.</param>
public sealed record MeasureType(
    string Code,
    string Toolbox,
    string Title,
    MeasureCategory Category,
    Classification Classification,
    LegalBasis LegalBasis,
    string? DependsOnEmergency,
    bool ParliamentaryConfirmation,
    bool UntilRepealed,
    Period? ProvisionalWithoutAuthorisation)
{
    /// <summary>Lawful only while a crisis that qualifies as instrumentalization is declared.</summary>
    public bool NeedsQualifiedCrisis =>
        LegalBasis.RequiresQualifiedInstrumentalization || Classification.Scope == MeasureScope.SpecificForInstrumentalizedMigration;

    /// <summary>It answers a declared crisis: it needs one named.</summary>
    public bool NeedsCrisis => NeedsQualifiedCrisis || DependsOnEmergency is not null;
}
