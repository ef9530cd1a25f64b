using CrisisOps.Legal;

namespace CrisisOps.Humanitarian.Locations;

/// <summary>
/// Where people in need are, in the administrative terms OCHA-style tools join on: a country, an admin-1 region
/// (with its P-code where known) and a place within it (empty for the whole region). People stranded on the other
/// side of the border are counted too: their location is in the neighbouring country and flagged beyond the border.
/// </summary>
/// <param name="Country">ISO 3166-1 alpha-2 code of the country the place is in.</param>
/// <param name="Admin1Name">The admin-1 region (voivodeship, county, oblast...).</param>
/// <param name="Admin1Pcode">Its P-code, where known.</param>
/// <param name="Name">The place (a border crossing, a town, a camp); null for the region as a whole.</param>
/// <param name="BeyondBorder">The place is outside the responding country (people stranded on the other side).</param>
public sealed record Location(string Country, string Admin1Name, string? Admin1Pcode, string? Name, bool BeyondBorder)
{
    /// <summary>
    /// The identity under which needs and requests for the same place meet: the P-code where known, names otherwise,
    /// case-insensitive.
    /// </summary>
    public string Key() => string.Join('|', Country, (Admin1Pcode ?? Admin1Name).ToUpperInvariant(), (Name ?? "").ToUpperInvariant());

    /// <summary>One line a person reads, e.g. <c>Kuźnica, Podlaskie (PL20), PL</c>.</summary>
    public string Describe() =>
        $"{(Name is null ? "" : Name + ", ")}{Admin1Name}{(Admin1Pcode is null ? "" : $" ({Admin1Pcode})")}, {Country}{(BeyondBorder ? ", beyond the border" : "")}";

    /// <summary>
    /// Refuses a location whose beyond-the-border flag contradicts its country: a place is beyond the border exactly
    /// when it lies outside the country that responds.
    /// </summary>
    public void EnsureConsistentWith(string respondingCountry)
    {
        var outside = !string.Equals(Country, respondingCountry, StringComparison.OrdinalIgnoreCase);
        if (outside && !BeyondBorder)
            throw new InvalidFieldException("location.beyond_border",
                $"must be set: {Country} is not {respondingCountry}, so the people there are on the other side of the border");
        if (!outside && BeyondBorder)
            throw new InvalidFieldException("location.beyond_border", $"is set, but the location is in {respondingCountry} itself");
    }
}
