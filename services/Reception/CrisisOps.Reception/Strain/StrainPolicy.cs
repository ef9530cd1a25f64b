using CrisisOps.Reception.Facilities;

namespace CrisisOps.Reception.Strain;

/// <summary>
/// Strain thresholds from configuration (<c>Reception:Strain</c>): the default for facilities registered without
/// their own, and per region and country (<c>Regions:PL-PD</c>, <c>Countries:PL</c>), each falling back to the default.
/// </summary>
public sealed class StrainPolicy(
    StrainThresholds defaults,
    IReadOnlyDictionary<string, StrainThresholds> regions,
    IReadOnlyDictionary<string, StrainThresholds> countries)
{
    public const string Section = "Reception:Strain";

    public StrainThresholds Default { get; } = defaults;

    public StrainThresholds ForRegion(string region) => regions.GetValueOrDefault(region) ?? Default;

    public StrainThresholds ForCountry(string country) => countries.GetValueOrDefault(country) ?? Default;

    public static StrainPolicy Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var defaults = Read(section, StrainThresholds.Default);
        return new StrainPolicy(defaults, ReadAll(section.GetSection("Regions"), defaults), ReadAll(section.GetSection("Countries"), defaults));
    }

    private static Dictionary<string, StrainThresholds> ReadAll(IConfigurationSection section, StrainThresholds defaults) =>
        section.GetChildren().ToDictionary(c => c.Key.ToUpperInvariant(), c => Read(c, defaults), StringComparer.OrdinalIgnoreCase);

    private static StrainThresholds Read(IConfigurationSection section, StrainThresholds fallback) =>
        new StrainThresholds(section.GetValue("Strained", fallback.Strained), section.GetValue("Overflow", fallback.Overflow)).Validated(section.Path);
}
