using CrisisOps.Legal;
using NodaTime;

namespace CrisisOps.Auditor.Core.Catalogues;

/// <summary>What the auditor needs of a measure type of the measures catalogue (the file, not the service's code).</summary>
/// <param name="Code">The type's code.</param>
/// <param name="Category">What the measure does (the service's <c>MeasureCategory</c>, by name).</param>
/// <param name="SpecificForInstrumentalizedMigration">Its classification's scope.</param>
/// <param name="LegalBasis">Its basis and time limits.</param>
/// <param name="DependsOnEmergency">The emergency legal basis it is taken under, if any.</param>
/// <param name="UntilRepealed">No end in law.</param>
public sealed record MeasureTypeRules(
    string Code, string Category, bool SpecificForInstrumentalizedMigration, LegalBasis LegalBasis, string? DependsOnEmergency, bool UntilRepealed)
{
    /// <summary>Lawful only while a crisis that qualifies as instrumentalization is declared.</summary>
    public bool NeedsQualifiedCrisis => SpecificForInstrumentalizedMigration || LegalBasis.RequiresQualifiedInstrumentalization;
}

/// <summary>What the auditor needs of a leverage type.</summary>
public sealed record LeverageTypeRules(string Code, LegalBasis LegalBasis, bool UntilRepealed);

/// <summary>One version of each of the three legal catalogues the services decide with.</summary>
public sealed record CatalogueSet(
    IReadOnlyDictionary<string, LegalCatalogue> Emergencies,
    IReadOnlyDictionary<string, (IReadOnlyDictionary<string, MeasureTypeRules> Types, IReadOnlySet<LocalDate> Holidays)> Measures,
    IReadOnlyDictionary<string, (IReadOnlyDictionary<string, LeverageTypeRules> Types, IReadOnlySet<LocalDate> Holidays)> Leverages);

/// <summary>
/// The legal catalogues, every version the auditor was given, keyed by version: a decision is checked against the
/// version recorded on it. The files are the services' own (emergency-legal-bases*.json, measure-catalogue*.json,
/// leverage-catalogue*.json), read without their code.
/// </summary>
public sealed class AuditCatalogues
{
    private AuditCatalogues(CatalogueSet set) => Set = set;

    public CatalogueSet Set { get; }

    /// <summary>The versions known, for the report.</summary>
    public IReadOnlyList<string> Versions =>
        [.. Set.Emergencies.Keys.Select(v => $"emergencies {v}"), .. Set.Measures.Keys.Select(v => $"measures {v}"),
            .. Set.Leverages.Keys.Select(v => $"leverages {v}")];

    /// <summary>The catalogues shipped with the services, copied next to the auditor (Catalogue/).</summary>
    public static AuditCatalogues Shipped() => Load(Path.Combine(AppContext.BaseDirectory, "Catalogue"));

    /// <summary>Reads every catalogue file of <paramref name="directory"/>.</summary>
    public static AuditCatalogues Load(string directory) =>
        Parse(Directory.EnumerateFiles(directory, "*.json").Select(f => (Path.GetFileName(f), File.ReadAllText(f))));

    /// <summary>Parses catalogue files given as (file name, JSON).</summary>
    public static AuditCatalogues Parse(IEnumerable<(string Name, string Json)> files)
    {
        var emergencies = new Dictionary<string, LegalCatalogue>();
        var measures = new Dictionary<string, (IReadOnlyDictionary<string, MeasureTypeRules>, IReadOnlySet<LocalDate>)>();
        var leverages = new Dictionary<string, (IReadOnlyDictionary<string, LeverageTypeRules>, IReadOnlySet<LocalDate>)>();
        foreach (var (name, json) in files)
        {
            if (name.StartsWith("emergency-legal-bases", StringComparison.Ordinal))
            {
                var catalogue = LegalCatalogueJson.Parse(json);
                emergencies[catalogue.Version] = catalogue;
            }
            else if (name.StartsWith("measure-catalogue", StringComparison.Ordinal))
            {
                var file = LegalCatalogueJson.Deserialize<TypesFile<MeasureTypeEntry>>(json);
                var types = (file.Types ?? []).Select(t => new MeasureTypeRules(t.Code, t.Category,
                    t.Classification?.Scope == "SpecificForInstrumentalizedMigration", Validated(t.LegalBasis, t.Code), t.DependsOnEmergency, t.UntilRepealed));
                measures[Required(file.Version, name)] = (types.ToDictionary(t => t.Code), (file.Holidays ?? []).ToHashSet());
            }
            else if (name.StartsWith("leverage-catalogue", StringComparison.Ordinal))
            {
                var file = LegalCatalogueJson.Deserialize<TypesFile<LeverageTypeEntry>>(json);
                var types = (file.Types ?? []).Select(t => new LeverageTypeRules(t.Code, Validated(t.LegalBasis, t.Code), t.UntilRepealed));
                leverages[Required(file.Version, name)] = (types.ToDictionary(t => t.Code), (file.Holidays ?? []).ToHashSet());
            }
        }

        if (emergencies.Count == 0 || measures.Count == 0 || leverages.Count == 0)
            throw new InvalidDataException("the auditor needs the emergency, measure and leverage catalogues (emergency-legal-bases*.json, measure-catalogue*.json, leverage-catalogue*.json)");
        return new AuditCatalogues(new CatalogueSet(emergencies, measures, leverages));
    }

    private static LegalBasis Validated(LegalBasis? basis, string code)
    {
        if (basis is null) throw new InvalidDataException($"catalogue type {code}: legalBasis is required");
        LegalCatalogueJson.Validate(basis);
        return basis;
    }

    private static string Required(string? version, string file) =>
        version ?? throw new InvalidDataException($"{file}: version is required");

    private sealed record TypesFile<T>(string? Version, List<T>? Types, List<LocalDate>? Holidays);

    private sealed record ClassificationEntry(string? Scope);

    private sealed record MeasureTypeEntry(string Code, string Category, ClassificationEntry? Classification, LegalBasis? LegalBasis,
        string? DependsOnEmergency, bool UntilRepealed);

    private sealed record LeverageTypeEntry(string Code, LegalBasis? LegalBasis, bool UntilRepealed);
}
