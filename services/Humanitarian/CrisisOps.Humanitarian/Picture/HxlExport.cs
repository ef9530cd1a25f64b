using System.Globalization;
using System.Text;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;

namespace CrisisOps.Humanitarian.Picture;

/// <summary>
/// The operational picture as HXL-tagged CSV (RFC 4180, UTF-8), so that OCHA-style tools read it without rework:
/// the first row holds human headers, the second the HXL hashtags, then one row per organisation's activity at a
/// location (its pledged and delivered), one row per item asked that no organisation has taken up yet, and one row
/// per assessed location and sector with nothing asked. A location's needs and what is asked there are repeated on
/// each of its rows, as in any flat 3W join: sum #output+pledged and #output+delivered across rows, never #inneed.
/// </summary>
public static class HxlExport
{
    public static readonly IReadOnlyList<(string Header, string Tag)> Columns =
    [
        ("Organisation", "#org"),
        ("Organisation code", "#org+code"),
        ("Organisation type", "#org+type"),
        ("Sector", "#sector"),
        ("Sector code", "#sector+code"),
        ("Requesting country", "#country+code+requesting"),
        ("Country code", "#country+code"),
        ("Admin 1", "#adm1+name"),
        ("Admin 1 P-code", "#adm1+code"),
        ("Location", "#loc+name"),
        ("Beyond the border", "#loc+beyond_border"),
        ("Affected", "#affected"),
        ("In need", "#inneed"),
        ("Targeted", "#targeted"),
        ("Reached", "#reached"),
        ("Children in need", "#inneed+children"),
        ("Unaccompanied minors in need", "#inneed+children+unaccompanied"),
        ("Persons with disabilities in need", "#inneed+disabled"),
        ("Older persons in need", "#inneed+elderly"),
        ("Assessed on", "#date+assessed"),
        ("Activity", "#activity"),
        ("Unit", "#output+unit"),
        ("Requested", "#output+requested"),
        ("Pledged", "#output+pledged"),
        ("Delivered", "#output+delivered"),
        ("Remaining", "#output+remaining"),
        ("Status", "#status"),
        ("Deadline (UTC)", "#date+deadline"),
        ("Last update", "#date"),
    ];

    /// <summary>The CSV text (CRLF line ends, no byte order mark) and how many data rows it holds.</summary>
    public static (string Csv, int Rows) Write(OperationalPicture picture, OrganisationRegistry registry)
    {
        var rows = Rows(picture, registry).ToList();
        var csv = new StringBuilder();
        Line(csv, Columns.Select(c => c.Header));
        Line(csv, Columns.Select(c => c.Tag));
        foreach (var row in rows) Line(csv, row);
        return (csv.ToString(), rows.Count);
    }

    /// <summary>One CSV field, quoted when it holds a comma, a double quote or a line break (RFC 4180 §2.6–2.7).</summary>
    public static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static void Line(StringBuilder csv, IEnumerable<string> fields) => csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");

    private static IEnumerable<string[]> Rows(OperationalPicture picture, OrganisationRegistry registry)
    {
        var needs = picture.Needs.ToDictionary(n => OperationalPicture.PlaceKey(n.Country, n.Location, n.Sector));
        var activities = picture.Activities.ToLookup(a => OperationalPicture.GroupKey(a.Country, a.Location, a.Sector, a.Item, a.Unit));
        var covered = picture.Coverage.Select(c => OperationalPicture.GroupKey(c.Country, c.Location, c.Sector, c.Item, c.Unit)).ToHashSet();
        var rows = new List<(string Order, string[] Fields)>();
        NeedsView? NeedsAt(string country, Location l, Sector sector) => needs.GetValueOrDefault(OperationalPicture.PlaceKey(country, l, sector));

        foreach (var c in picture.Coverage)
        {
            var n = NeedsAt(c.Country, c.Location, c.Sector);
            var takenUp = activities[OperationalPicture.GroupKey(c.Country, c.Location, c.Sector, c.Item, c.Unit)].ToList();
            if (takenUp.Count == 0)
                rows.Add((Order(c.Country, c.Location, c.Sector, c.Item, ""),
                    Row(null, c.Country, c.Location, c.Sector, n, c.Item, c.Unit, c, c.Pledged, c.Delivered, null, c.UpdatedAt, registry)));
            foreach (var a in takenUp)
                rows.Add((Order(c.Country, c.Location, c.Sector, c.Item, a.Organisation),
                    Row(a.Organisation, c.Country, c.Location, c.Sector, n, c.Item, c.Unit, c, a.Pledged, a.Delivered, a.Status, a.UpdatedAt, registry)));
        }

        // Deliveries against requests cancelled since: aid given, with nothing asked any more.
        foreach (var a in picture.Activities.Where(a => !covered.Contains(OperationalPicture.GroupKey(a.Country, a.Location, a.Sector, a.Item, a.Unit))))
            rows.Add((Order(a.Country, a.Location, a.Sector, a.Item, a.Organisation),
                Row(a.Organisation, a.Country, a.Location, a.Sector, NeedsAt(a.Country, a.Location, a.Sector), a.Item, a.Unit, null, a.Pledged,
                    a.Delivered, a.Status, a.UpdatedAt, registry)));

        var responded = picture.Coverage.Select(c => OperationalPicture.PlaceKey(c.Country, c.Location, c.Sector))
            .Concat(picture.Activities.Select(a => OperationalPicture.PlaceKey(a.Country, a.Location, a.Sector))).ToHashSet();
        foreach (var n in picture.Needs.Where(n => !responded.Contains(OperationalPicture.PlaceKey(n.Country, n.Location, n.Sector))))
            rows.Add((Order(n.Country, n.Location, n.Sector, "", ""), Row(null, n.Country, n.Location, n.Sector, n, "", "", null, null, null, null, n.UpdatedAt, registry)));

        return rows.OrderBy(r => r.Order, StringComparer.Ordinal).Select(r => r.Fields);
    }

    private static string[] Row(string? organisation, string country, Location l, Sector sector, NeedsView? n, string item, string unit,
        Coverage? c, int? pledged, int? delivered, ActivityStatus? status, DateTimeOffset updatedAt, OrganisationRegistry registry)
    {
        var org = organisation is null ? null : registry.Find(organisation);
        var s = registry.Of(sector);
        return
        [
            org?.HxlOrg ?? organisation ?? "",
            org?.Code ?? organisation ?? "",
            org is null ? "" : TypeName(org.Type),
            s.Name,
            s.HxlCode,
            country,
            l.Country,
            l.Admin1Name,
            l.Admin1Pcode ?? "",
            l.Name ?? "",
            l.BeyondBorder ? "yes" : "no",
            Number(n?.Figures.Affected),
            Number(n?.Figures.InNeed),
            Number(n?.Figures.Targeted),
            Number(n?.Figures.Reached),
            Number(n?.Vulnerable?.Children),
            Number(n?.Vulnerable?.UnaccompaniedMinors),
            Number(n?.Vulnerable?.PersonsWithDisabilities),
            Number(n?.Vulnerable?.OlderPersons),
            n is null ? "" : n.AssessedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            item,
            unit,
            Number(c?.Requested),
            Number(pledged),
            Number(delivered),
            Number(c?.Remaining),
            status?.ToString().ToLowerInvariant() ?? "",
            c?.NextDeadline is { } due ? due.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
            updatedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ];
    }

    public static string TypeName(OrganisationType type) => type switch
    {
        OrganisationType.UnAgency => "UN agency",
        OrganisationType.EuAgency => "EU agency",
        OrganisationType.Ngo => "NGO",
        OrganisationType.RedCrossRedCrescent => "Red Cross / Red Crescent",
        OrganisationType.State => "State (EU Civil Protection Mechanism)",
        _ => type.ToString(),
    };

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static string Order(string country, Location l, Sector sector, string item, string organisation) =>
        $"{country}|{l.Country}|{l.Admin1Name}|{l.Name}|{(int)sector}|{item.ToUpperInvariant()}|{organisation}";
}
