using CrisisOps.Legal;
using NodaTime;

namespace CrisisOps.Measures.Catalogue;

/// <summary>What a measure does, in the toolbox's terms. Safeguards are keyed on it in code, never in data.</summary>
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

public sealed record Classification(MeasureContext Context, MeasureScope Scope, MeasurePurpose Purpose);

/// <summary>A measure type of the legal catalogue: its toolbox place, classification and the legal basis with its limits.</summary>
/// <param name="Code">Stable code, e.g. <c>PL-STATE-OF-EMERGENCY</c>.</param>
/// <param name="Toolbox">The report's Table 1 reference (B1-B7).</param>
/// <param name="Title">Human title.</param>
/// <param name="Category">What it does.</param>
/// <param name="Classification">The report's three axes.</param>
/// <param name="LegalBasis">Citation, deciding authority, time zone, periods, extensions and cap.</param>
/// <param name="DependsOnEmergency">
/// The emergency legal basis (declaration catalogue code) this measure needs in force on its crisis, or null.
/// It ends when that emergency ends.
/// </param>
/// <param name="ParliamentaryConfirmation">The parliament may endorse or annul it after enactment.</param>
/// <param name="UntilRepealed">The law sets no end: it then needs a review date.</param>
/// <param name="ProvisionalWithoutAuthorisation">
/// How long it may apply before an authorisation exists (CFMR Art. 10(6): 10 days), or null where it may not.
/// </param>
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
    Period? ProvisionalWithoutAuthorisation);

/// <summary>The versioned catalogue of measure types, loaded at start-up.</summary>
public sealed record MeasureCatalogue(string Version, IReadOnlyList<MeasureType> Types, IReadOnlySet<LocalDate> Holidays)
{
    public MeasureType Get(string code) =>
        Types.FirstOrDefault(t => t.Code == code)
        ?? throw new InvalidFieldException("measure_type", $"'{code}' is not in measure catalogue {Version}");

    public static MeasureCatalogue Parse(string json)
    {
        var file = LegalCatalogueJson.Deserialize<CatalogueFile>(json);
        var types = file.Types ?? [];
        foreach (var t in types)
        {
            if (t.LegalBasis is null) throw new InvalidDataException($"measure catalogue {t.Code}: legalBasis is required");
            LegalCatalogueJson.Validate(t.LegalBasis);
        }

        var duplicate = types.GroupBy(t => t.Code).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"measure catalogue: code '{duplicate.Key}' appears twice");
        return new MeasureCatalogue(file.Version ?? throw new InvalidDataException("measure catalogue: version is required"),
            types, (file.Holidays ?? []).ToHashSet());
    }

    public static MeasureCatalogue Load(IConfiguration configuration) => Parse(File.ReadAllText(
        configuration["MeasureCatalogue:Path"] ?? Path.Combine(AppContext.BaseDirectory, "Catalogue", "measure-catalogue.json")));

    private sealed record CatalogueFile(string? Version, List<MeasureType>? Types, List<LocalDate>? Holidays);
}
