using System.Collections.Immutable;
using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Picture;

namespace CrisisOps.Reception.Strain;

/// <summary>A region's strain level changed (its facilities' occupied places over their capacity).</summary>
/// <remarks><c>NotPlaced</c>: its facilities' not-placed figures then; absent on events recorded before they were counted.</remarks>
public sealed record RegionStrainChanged(string Country, string Region, StrainLevel From, StrainLevel To, int Capacity, int Occupied, double Rate,
    DateTimeOffset ChangedAt, NotPlacedFigures? NotPlaced = null);

/// <summary>A country's strain level changed (all its facilities' occupied places over their capacity).</summary>
public sealed record CountryStrainChanged(string Country, StrainLevel From, StrainLevel To, int Capacity, int Occupied, double Rate,
    DateTimeOffset ChangedAt, NotPlacedFigures? NotPlaced = null);

/// <summary>
/// The strain levels last recorded for a country and its regions: the state of the <c>strain-{country}</c> stream,
/// which records level changes only.
/// </summary>
public sealed record AreaStrain(StrainLevel Country, ImmutableDictionary<string, StrainLevel> Regions)
{
    public static readonly AreaStrain Initial = new(StrainLevel.Normal, ImmutableDictionary<string, StrainLevel>.Empty);

    public static string StreamIdFor(string country) => $"strain-{country}";

    public static AreaStrain Fold(IEnumerable<object> events) => events.Aggregate(Initial, Transition);

    public static AreaStrain Transition(AreaStrain state, object @event) => @event switch
    {
        RegionStrainChanged e => state with { Regions = state.Regions.SetItem(e.Region, e.To) },
        CountryStrainChanged e => state with { Country = e.To },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to area strain"),
    };

    /// <summary>
    /// The level changes of the country's regions and of the country, from its facilities' current figures against the
    /// levels last recorded. A function of the store's state, not of a message: assessing twice records nothing twice.
    /// </summary>
    public static IReadOnlyList<object> Assess(AreaStrain state, string country, IReadOnlyCollection<FacilityView> facilities, StrainPolicy policy)
    {
        var events = new List<object>();
        foreach (var region in facilities.GroupBy(f => f.Region).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var figures = AreaFigures.Of(region.Key, [.. region], policy.ForRegion(region.Key));
            var before = state.Regions.GetValueOrDefault(region.Key, StrainLevel.Normal);
            if (figures.Strain != before)
                events.Add(new RegionStrainChanged(country, region.Key, before, figures.Strain, figures.Capacity.Total, figures.Occupied.Total,
                    figures.Rate, figures.UpdatedAt!.Value, figures.NotPlaced));
        }

        var national = AreaFigures.Of(country, facilities, policy.ForCountry(country));
        if (national.Strain != state.Country)
            events.Add(new CountryStrainChanged(country, state.Country, national.Strain, national.Capacity.Total, national.Occupied.Total,
                national.Rate, national.UpdatedAt!.Value, national.NotPlaced));
        return events;
    }

    public static string Describe(object e) => e switch
    {
        RegionStrainChanged d => $"Region {d.Region}: strain {d.From} → {d.To} ({d.Occupied} of {d.Capacity}, {d.Rate:P0})",
        CountryStrainChanged d => $"{d.Country}: strain {d.From} → {d.To} ({d.Occupied} of {d.Capacity}, {d.Rate:P0})",
        _ => e.GetType().Name,
    };
}
