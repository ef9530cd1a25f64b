namespace CrisisOps.Reception.Facilities;

/// <summary>Where people a full facility cannot take may go instead: open facilities of the same region with room.</summary>
public static class Redirect
{
    private const int Suggestions = 5;

    /// <summary>
    /// Open facilities of the region that can take the whole report, most room first; failing that, those with room in
    /// at least one of the categories reported (the group would have to be split).
    /// </summary>
    public static IReadOnlyList<FacilityView> Candidates(FacilityView full, Places people, IEnumerable<FacilityView> region)
    {
        var open = region.Where(f => f.Id != full.Id && f.Country == full.Country && f.Region == full.Region && f.Figures.Open).ToList();
        var whole = open.Where(f => people.Exceeding(f.Figures.Free).Count == 0).ToList();
        var some = whole.Count > 0 ? whole : open.Where(f => Room(f, people).Total > 0).ToList();
        return [.. some.OrderByDescending(f => Room(f, people).Total).ThenBy(f => f.Name, StringComparer.Ordinal).Take(Suggestions)];
    }

    public static string Advice(FacilityView full, Places people, IReadOnlyList<FacilityView> candidates) => candidates.Count == 0
        ? $"no open facility of region {full.Region} has free places for {people.Describe()}: activate a contingency plan or redirect to another region"
        : $"open facilities of region {full.Region} with free places: {string.Join("; ", candidates.Select(f => $"{f.Name} ({f.Id}) {Room(f, people).Describe()}"))}";

    /// <summary>The free places of a facility in the categories reported.</summary>
    private static Places Room(FacilityView f, Places people) => Places.Of(c => people[c] > 0 ? f.Figures.Free[c] : 0);
}
