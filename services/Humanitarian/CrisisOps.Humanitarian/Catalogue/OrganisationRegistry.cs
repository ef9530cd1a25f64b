namespace CrisisOps.Humanitarian.Catalogue;

/// <summary>The humanitarian sectors needs are counted and aid is requested in.</summary>
public enum Sector { Shelter, Food, WaterSanitationHygiene, Health, Protection, Winterisation }

/// <summary>What kind of partner an organisation is.</summary>
public enum OrganisationType { UnAgency, EuAgency, Ngo, RedCrossRedCrescent, State }

/// <summary>A partner that may pledge and deliver aid.</summary>
/// <param name="Code">Stable code; a partner token's organisation claim names it.</param>
/// <param name="Name">Official name.</param>
/// <param name="Type">Kind of partner.</param>
/// <param name="HxlOrg">The value written under HXL <c>#org</c>.</param>
/// <param name="Country">For states offering through the EU Civil Protection Mechanism: their ISO code.</param>
public sealed record Organisation(string Code, string Name, OrganisationType Type, string HxlOrg, string? Country);

/// <summary>How a sector is named in reports and tagged in HXL (<c>#sector+code</c>).</summary>
public sealed record SectorEntry(Sector Sector, string Name, string HxlCode);

/// <summary>The versioned registry of organisations and sectors, loaded at start-up from data.</summary>
public sealed record OrganisationRegistry(string Version, IReadOnlyList<Organisation> Organisations, IReadOnlyList<SectorEntry> Sectors)
{
    /// <summary>The organisation with this code (case-insensitive), or null.</summary>
    public Organisation? Find(string? code) =>
        Organisations.FirstOrDefault(o => string.Equals(o.Code, code?.Trim(), StringComparison.OrdinalIgnoreCase));

    public SectorEntry Of(Sector sector) => Sectors.First(s => s.Sector == sector);

    private static readonly System.Text.Json.JsonSerializerOptions ReadOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static OrganisationRegistry Parse(string json)
    {
        var file = System.Text.Json.JsonSerializer.Deserialize<RegistryFile>(json, ReadOptions)
            ?? throw new InvalidDataException("organisations registry: empty document");
        var version = file.Version ?? throw new InvalidDataException("organisations registry: version is required");
        var organisations = file.Organisations ?? [];
        foreach (var o in organisations)
        {
            if (string.IsNullOrWhiteSpace(o.Code) || string.IsNullOrWhiteSpace(o.Name) || string.IsNullOrWhiteSpace(o.HxlOrg))
                throw new InvalidDataException($"organisations registry: '{o.Code}' needs a code, a name and an hxlOrg");
        }

        var duplicate = organisations.GroupBy(o => o.Code, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"organisations registry: code '{duplicate.Key}' appears twice");
        var sectors = file.Sectors ?? [];
        var missing = Enum.GetValues<Sector>().Where(s => sectors.Count(e => e.Sector == s) != 1).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"organisations registry: each sector must be listed once ({string.Join(", ", missing)})");
        return new OrganisationRegistry(version, organisations, sectors);
    }

    public static OrganisationRegistry Load(IConfiguration configuration) => Parse(File.ReadAllText(
        configuration["OrganisationRegistry:Path"] ?? Path.Combine(AppContext.BaseDirectory, "Catalogue", "organisations.json")));

    private sealed record RegistryFile(string? Version, List<Organisation>? Organisations, List<SectorEntry>? Sectors);
}

/// <summary>Sector names as they travel in integration events (kebab-case, e.g. <c>water-sanitation-hygiene</c>).</summary>
public static class Sectors
{
    public static string ToContract(Sector sector) => sector switch
    {
        Sector.Shelter => "shelter",
        Sector.Food => "food",
        Sector.WaterSanitationHygiene => "water-sanitation-hygiene",
        Sector.Health => "health",
        Sector.Protection => "protection",
        Sector.Winterisation => "winterisation",
        _ => throw new ArgumentOutOfRangeException(nameof(sector), sector, "unknown sector"),
    };
}
