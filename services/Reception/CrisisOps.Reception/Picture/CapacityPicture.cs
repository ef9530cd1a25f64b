using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Strain;

namespace CrisisOps.Reception.Picture;

/// <summary>
/// The figures of a country or a region: sums over its facilities. Closed facilities offer no places (and hold
/// nobody, since a facility closes only when empty); active contingency places are part of the capacity.
/// </summary>
public sealed record AreaFigures(
    string Area,
    Places Capacity,
    Places Contingency,
    Places Occupied,
    Places Incoming,
    Places Free,
    int OpenFacilities,
    int FullFacilities,
    int ClosedFacilities,
    StrainThresholds Thresholds,
    DateTimeOffset? UpdatedAt,
    NotPlacedFigures NotPlaced)
{
    public double Rate => StrainThresholds.Rate(Occupied.Total, Capacity.Total);

    public StrainLevel Strain => Thresholds.LevelOf(Occupied.Total, Capacity.Total);

    public static AreaFigures Of(string area, IReadOnlyCollection<FacilityView> facilities, StrainThresholds thresholds)
    {
        var open = facilities.Where(f => f.Figures.Open).ToList();
        return new AreaFigures(area,
            Places.Sum(open.Select(f => f.Figures.Capacity)),
            Places.Sum(open.Select(f => f.ActiveReserve)),
            Places.Sum(facilities.Select(f => f.Figures.Occupied)),
            Places.Sum(facilities.Select(f => f.Figures.Incoming)),
            Places.Sum(facilities.Select(f => f.Figures.Free)),
            facilities.Count(f => f.Status == FacilityStatus.Open),
            facilities.Count(f => f.Status == FacilityStatus.Full),
            facilities.Count(f => f.Status == FacilityStatus.Closed),
            thresholds,
            facilities.Count == 0 ? null : facilities.Max(f => f.UpdatedAt),
            NotPlacedFigures.Sum(facilities.Select(f => f.NotPlacedOrNone)));
    }
}

/// <summary>The national and regional capacity picture of a country at one moment.</summary>
public sealed record CapacityPicture(
    string Country,
    DateTimeOffset AsOf,
    AreaFigures National,
    IReadOnlyList<AreaFigures> Regions,
    IReadOnlyList<FacilityView> Facilities)
{
    /// <summary>With a region, only that region's figures and facilities; the national figures still cover the country.</summary>
    public static CapacityPicture Of(string country, string? region, DateTimeOffset asOf, IReadOnlyCollection<FacilityView> facilities, StrainPolicy policy)
    {
        var regions = facilities.GroupBy(f => f.Region)
            .Where(g => region is null || g.Key == region)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => AreaFigures.Of(g.Key, [.. g], policy.ForRegion(g.Key)))
            .ToList();
        var listed = facilities.Where(f => region is null || f.Region == region)
            .OrderBy(f => f.Region, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
        return new CapacityPicture(country, asOf, AreaFigures.Of(country, facilities, policy.ForCountry(country)), regions, listed);
    }

    /// <summary>
    /// The picture as it stood at <paramref name="at"/>, from each facility's history: closed facilities, plans active
    /// then and figures then, whatever happened since; a facility not yet registered then is left out.
    /// </summary>
    public static CapacityPicture AsItStoodAt(string country, string? region, DateTimeOffset at, IEnumerable<IEnumerable<object>> histories, StrainPolicy policy) =>
        Of(country, region, at, [.. histories.Select(h => FacilityAt(h, at)).OfType<FacilityView>()], policy);

    /// <summary>
    /// A facility as it stood at <paramref name="at"/>, folded from the events that had taken effect by then (a prefix
    /// of its stream: events are appended in the order they take effect), or null if it was not registered yet.
    /// </summary>
    public static FacilityView? FacilityAt(IEnumerable<object> history, DateTimeOffset at)
    {
        var state = FacilityStream.Definition.Fold(null, history.TakeWhile(e => Facility.TimeOf(e) <= at));
        return state is null ? null : FacilityView.From(state);
    }
}
