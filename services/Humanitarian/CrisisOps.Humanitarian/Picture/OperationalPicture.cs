using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;

namespace CrisisOps.Humanitarian.Picture;

/// <summary>Where an organisation's activity stands (3W/4W): pledged only, partly delivered, or delivered in full.</summary>
public enum ActivityStatus { Planned, Ongoing, Completed }

/// <summary>
/// "Who does what where": what one organisation pledged and delivered of one item, in one sector, at one location,
/// over every request of the requesting country there.
/// </summary>
public sealed record Activity(
    string Organisation,
    string Country,
    Location Location,
    Sector Sector,
    string Item,
    string Unit,
    int Pledged,
    int Delivered,
    ActivityStatus Status,
    DateTimeOffset UpdatedAt);

/// <summary>
/// What was asked of one item, in one sector, at one location, and how far partners have met it. <c>NextDeadline</c> is
/// the earliest deadline of the requests still unmet; <c>DeadlineMissed</c> says an open request of the group missed its own.
/// </summary>
public sealed record Coverage(
    string Country,
    Location Location,
    Sector Sector,
    string Item,
    string Unit,
    int Requested,
    int Pledged,
    int Delivered,
    int Remaining,
    int OpenRequests,
    DateTimeOffset? NextDeadline,
    bool DeadlineMissed,
    DateTimeOffset UpdatedAt);

/// <summary>
/// The operational picture: needs (by location and sector), what is asked (coverage) and who does what where
/// (activities). Computed from the read models, never stored, so it cannot drift from the requests.
/// </summary>
public sealed record OperationalPicture(IReadOnlyList<Activity> Activities, IReadOnlyList<Coverage> Coverage, IReadOnlyList<NeedsView> Needs)
{
    /// <summary>
    /// Cancelled requests ask for nothing any more: they leave coverage, and their pledges count for what was delivered
    /// (real aid given), as withdrawn pledges do.
    /// </summary>
    public static OperationalPicture Of(IEnumerable<AssistanceRequestView> requests, IEnumerable<NeedsView> needs)
    {
        var all = requests.ToList();
        var activities = all
            .SelectMany(r => r.Pledges.Select(p => (Request: r, Pledge: p,
                Pledged: r.Status == AssistanceStatus.Cancelled ? p.Delivered : p.Pledged)))
            .Where(x => x.Pledged > 0 || x.Pledge.Delivered > 0)
            .GroupBy(x => (Group: GroupKey(x.Request), Organisation: x.Pledge.Organisation.ToUpperInvariant()))
            .Select(g =>
            {
                var first = g.First().Request;
                var pledged = g.Sum(x => x.Pledged);
                var delivered = g.Sum(x => x.Pledge.Delivered);
                return new Activity(g.First().Pledge.Organisation, first.Country, first.Location, first.Sector, first.Item, first.Unit, pledged, delivered,
                    StatusOf(pledged, delivered), g.Max(x => x.Pledge.UpdatedAt));
            })
            .OrderBy(a => Order(a.Country, a.Location, a.Sector, a.Item), StringComparer.Ordinal)
            .ThenBy(a => a.Organisation, StringComparer.Ordinal)
            .ToList();
        var coverage = all.Where(r => r.Status != AssistanceStatus.Cancelled)
            .GroupBy(GroupKey)
            .Select(g =>
            {
                var first = g.First();
                var unmet = g.Where(r => r.Status == AssistanceStatus.Open && r.Remaining > 0).ToList();
                return new Coverage(first.Country, first.Location, first.Sector, first.Item, first.Unit, g.Sum(r => r.Quantity), g.Sum(r => r.Pledged),
                    g.Sum(r => r.Delivered), g.Sum(r => r.Remaining), unmet.Count, unmet.Count == 0 ? null : unmet.Min(r => r.Deadline),
                    unmet.Any(r => r.DeadlineMissed), g.Max(r => r.UpdatedAt));
            })
            .OrderBy(c => Order(c.Country, c.Location, c.Sector, c.Item), StringComparer.Ordinal)
            .ToList();
        var assessed = needs.OrderBy(n => Order(n.Country, n.Location, n.Sector, ""), StringComparer.Ordinal).ToList();
        return new OperationalPicture(activities, coverage, assessed);
    }

    public static ActivityStatus StatusOf(int pledged, int delivered) =>
        delivered >= pledged && pledged > 0 ? ActivityStatus.Completed : delivered > 0 ? ActivityStatus.Ongoing : ActivityStatus.Planned;

    /// <summary>Requests meet in one group when they ask the same item (same unit) in the same sector at the same place.</summary>
    public static string GroupKey(AssistanceRequestView r) => GroupKey(r.Country, r.Location, r.Sector, r.Item, r.Unit);

    public static string GroupKey(string country, Location location, Sector sector, string item, string unit) =>
        $"{PlaceKey(country, location, sector)}|{item.Trim().ToUpperInvariant()}|{unit.Trim().ToUpperInvariant()}";

    /// <summary>Needs and requests meet at a place: the requesting country, the location and the sector.</summary>
    public static string PlaceKey(string country, Location location, Sector sector) => $"{country}|{location.Key()}|{sector}";

    private static string Order(string country, Location l, Sector sector, string item) =>
        $"{country}|{l.Country}|{l.Admin1Name}|{l.Name}|{(int)sector}|{item}";
}
