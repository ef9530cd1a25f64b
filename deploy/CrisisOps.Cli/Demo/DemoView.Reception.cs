using System.Globalization;
using CrisisOps.Reception.Grpc.V1;
using Spectre.Console;

namespace CrisisOps.Cli.Demo;

/// <summary>How the demo prints reception capacity: places per category, the national and regional picture, strain records.</summary>
public static partial class DemoView
{
    /// <summary>A facility's figures right after a report, per category.</summary>
    public static void FacilityFigures(string facility, FacilityFigures f)
    {
        var table = Grid($"{facility}: {f.Status}, {f.Strain}, {Rate(f.OccupancyRate)} occupied", "", "general", "families",
            "unaccompanied minors", "special needs", "total");
        PlacesRow(table, "capacity", f.Capacity);
        PlacesRow(table, "occupied", f.Occupied);
        if (f.Incoming.General + f.Incoming.Families + f.Incoming.UnaccompaniedMinors + f.Incoming.SpecialNeeds > 0)
            PlacesRow(table, "incoming", f.Incoming);
        PlacesRow(table, "free", f.Free);
        Show(table);
    }

    /// <summary>
    /// The national and regional figures, and the facilities of <paramref name="regions"/> that offer places (closed
    /// facilities, such as those earlier runs stood down, are counted, not listed).
    /// </summary>
    public static void CapacityPicture(CapacityPicture p, IReadOnlyCollection<string> regions)
    {
        var areas = Grid($"capacity picture {p.Country} as of {Utc(p.AsOf)}", "area", "strain", "occupied / capacity", "contingency", "free",
            "facilities open / full / closed");
        foreach (var a in new[] { p.National }.Where(a => a is not null).Concat(p.Regions))
        {
            Row(areas, a.Area == p.Country ? $"{a.Area} (national)" : a.Area, a.Strain.ToString(),
                $"{Num(a.Occupied)} / {Num(a.Capacity)} ({Rate(a.OccupancyRate)})", Num(a.Categories.Sum(c => c.Contingency)), Num(a.Free),
                $"{Num(a.OpenFacilities)} / {Num(a.FullFacilities)} / {Num(a.ClosedFacilities)}");
        }

        NoWrap(areas, 0);
        Show(areas);

        var shown = p.Facilities.Where(f => regions.Contains(f.Region) && f.Figures.Status != FacilityStatus.Closed).ToList();
        var facilities = Grid($"facilities offering places in {string.Join(", ", regions)}", "facility", "kind", "region", "status",
            "occupied / capacity", "contingency plans");
        foreach (var f in shown)
        {
            Row(facilities, $"{f.Name}\n{f.FacilityId}", Words(f.Kind.ToString()) + (f.LodgesAsylumApplications ? "\n(asylum can be lodged)" : ""),
                f.Region + (f.BorderSection.Length > 0 ? $"\n{f.BorderSection}" : ""), $"{f.Figures.Status}, {f.Figures.Strain}",
                $"{Num(Total(f.Figures.Occupied))} / {Num(Total(f.Figures.Capacity))} ({Rate(f.Figures.OccupancyRate)})",
                f.ContingencyPlans.Count == 0 ? "-" : string.Join("\n", f.ContingencyPlans.Select(c => $"{c.Code}: {Num(Total(c.Reserve))} places, " +
                    (c.Active ? "active" : "ready"))));
        }

        if (shown.Count == 0) Row(facilities, "none", "", "", "", "", "");
        Show(facilities);
    }

    /// <summary>Changes seen on a live capacity view (WatchCapacity), oldest first.</summary>
    public static void StreamChanges(IReadOnlyList<StreamChange> changes)
    {
        var table = Grid("strain records seen on the live view", "stream", "version", "event type", "recorded at", "summary");
        foreach (var c in changes) Row(table, c.StreamId, Num(c.Entry.Version), c.Entry.EventType, c.Entry.RecordedAt is null ? "-" : Utc(c.Entry.RecordedAt),
            c.Entry.Summary);
        if (changes.Count == 0) Row(table, "none yet", "", "", "", "");
        NoWrap(table, 0, 2);
        Show(table);
    }

    private static void PlacesRow(Table table, string what, Places p) =>
        Row(table, what, Num(p.General), Num(p.Families), Num(p.UnaccompaniedMinors), Num(p.SpecialNeeds), Num(Total(p)));

    private static int Total(Places p) => p.General + p.Families + p.UnaccompaniedMinors + p.SpecialNeeds;

    private static string Rate(double rate) => rate.ToString("0%", CultureInfo.InvariantCulture);
}
