namespace CrisisOps.Situation.Picture;

/// <summary>How often each source is expected to report, against which freshness is rated (<c>Situation:Cadence:{source}</c>).</summary>
/// <remarks>
/// Reception occupancy is a daily figure and humanitarian 4W a weekly one (as their partners report); decisions
/// (declaration, measures, leverages) are not periodic reports and are rated "n/a".
/// </remarks>
public sealed record ReportingCadence(IReadOnlyDictionary<string, TimeSpan> BySource)
{
    public static readonly ReportingCadence Default = new(new Dictionary<string, TimeSpan>
    {
        ["reception"] = TimeSpan.FromDays(1),
        ["humanitarian"] = TimeSpan.FromDays(7),
    });

    /// <summary>
    /// fresh within the cadence, due within half a cadence more, overdue beyond (HDX rates datasets the same way
    /// against their declared update frequency); n/a for a source with no cadence.
    /// </summary>
    public string Rate(string source, DateTimeOffset lastReport, DateTimeOffset now)
    {
        if (!BySource.TryGetValue(source, out var cadence)) return "n/a";
        var age = now - lastReport;
        return age <= cadence ? "fresh" : age <= cadence * 1.5 ? "due" : "overdue";
    }
}

public sealed record ClockView(string Kind, string Id, string? CrisisId, string Title, string LegalBasis, string Status, DateOnly? StartDate,
    DateOnly? EndDate, DateOnly? TotalCapEnd, DateTimeOffset? EndsAt, int? DaysToEnd, int? DaysToCap, int ExtensionsUsed, int? ExtensionsAllowed,
    string DecidedBy, Provenance AsOf);

public sealed record AlertView(string Severity, string Country, string Kind, string Message, DateTimeOffset Since, string Source);

public sealed record FigureView(string Name, double Value, DateTimeOffset AsOf, string Source, string ReportedBy, string Freshness);

/// <summary>People a facility had no place for, per category and in total, with who reported it and when.</summary>
public sealed record NotPlacedView(
    string FacilityId,
    string Facility,
    string Region,
    IReadOnlyDictionary<string, int> Refused,
    IReadOnlyDictionary<string, int> Redirected,
    IReadOnlyDictionary<string, int> Waiting,
    int Total,
    Provenance AsOf,
    string Freshness);

public sealed record CountryView(string Country, IReadOnlyList<CrisisState> Crises, IReadOnlyList<FigureView> Figures, int ClocksInForce);

public sealed record OverviewView(IReadOnlyList<CountryView> Countries, IReadOnlyList<AlertView> Alerts, DateTimeOffset AsOf, bool CaughtUp);

public sealed record CrisisView(
    CrisisState Crisis,
    IReadOnlyList<ClockView> Clocks,
    IReadOnlyList<SectionAlert> Sections,
    IReadOnlyList<RegionState> Regions,
    IReadOnlyList<FacilityState> Facilities,
    IReadOnlyList<RequestState> Requests,
    IReadOnlyList<LeverageState> Leverages,
    IReadOnlyList<TimelineItem> Timeline,
    IReadOnlyList<AlertView> Alerts,
    IReadOnlyList<FigureView> Figures,
    DateTimeOffset AsOf,
    IReadOnlyList<NotPlacedView> NotPlaced);

/// <summary>What the board and the gRPC API show, derived from the folded pictures at a moment: pure.</summary>
public static class SituationViews
{
    private static readonly string[] InForce = ["InForce", "Imposed", "Suspended", "Proposed"];

    public static IReadOnlyList<ClockView> Clocks(CountryPicture p, string? crisisId, DateTimeOffset now) =>
    [
        .. p.Clocks.Values.Where(c => crisisId is null || c.CrisisId == crisisId)
            .Select(c => new ClockView(c.Kind, c.Id, c.CrisisId, c.Title, c.LegalBasis, c.Status, c.StartDate, c.EndDate, c.TotalCapEnd, c.EndsAt,
                DaysTo(c.EndsAt, now), DaysTo(c.TotalCapEnd, now), c.ExtensionsUsed, c.ExtensionsAllowed, c.DecidedBy, c.AsOf)),
        .. p.Leverages.Values.Where(l => crisisId is null || l.CrisisId == crisisId || l.CrisisId is null)
            .Select(l => new ClockView("Leverage", l.Id, l.CrisisId, $"{l.Type} against {l.Target}", l.Category, l.Status, l.StartDate, l.EndDate,
                null, l.ExpiresAt, DaysTo(l.ExpiresAt, now), null, l.Renewals, null, l.AsOf.ReportedBy, l.AsOf)),
    ];

    /// <summary>Whole days left before a moment (negative once past).</summary>
    public static int? DaysTo(DateTimeOffset? end, DateTimeOffset now) => end is { } e ? (int)Math.Floor((e - now).TotalDays) : null;

    /// <summary>Whole days left until the end of a last day, counted in UTC.</summary>
    public static int? DaysTo(DateOnly? lastDay, DateTimeOffset now) => lastDay is { } d ? d.DayNumber - DateOnly.FromDateTime(now.UtcDateTime).DayNumber : null;

    public static IReadOnlyList<AlertView> Alerts(CountryPicture p, DateTimeOffset now, ReportingCadence cadence)
    {
        var alerts = new List<AlertView>();
        foreach (var s in p.Sections.Values.Where(s => s.Level != "Normal"))
            alerts.Add(new(s.Level is "Critical" or "High" ? "Critical" : "Warning", p.Id, "alert-level", $"Border section {s.Section}: alert level {s.Level}", s.ChangedAt, "declaration"));
        foreach (var r in p.Regions.Values.Where(r => r.Strain != "Normal"))
            alerts.Add(new(r.Strain == "Overflow" ? "Critical" : "Warning", p.Id, "reception-strain", $"Reception in {r.Region}: {r.Strain} ({r.Rate:P0} occupied)", r.AsOf.At, "reception"));
        foreach (var r in p.Requests.Values.Where(r => r.Status == "Overdue" || (r.Status == "Open" && r.Deadline < now && r.Remaining > 0)))
            alerts.Add(new("Critical", p.Id, "assistance-overdue", $"Assistance overdue: {r.Remaining} × {r.Item} in {r.Location} (deadline {r.Deadline:yyyy-MM-dd HH:mm} UTC)", r.Deadline, "humanitarian"));
        foreach (var c in Clocks(p, null, now).Where(c => InForce.Contains(c.Status) && c.DaysToEnd is >= 0 and <= 7))
            alerts.Add(new("Info", p.Id, "legal-end-near", $"{c.Title} reaches its legal end in {c.DaysToEnd} day(s)", now, c.AsOf.Source));
        foreach (var l in p.Leverages.Values.Where(l => InForce.Contains(l.Status) && l.ReviewDueAt is { } due && DaysTo(due, now) < 0))
            alerts.Add(new("Warning", p.Id, "review-overdue", $"Review of leverage {l.Type} against {l.Target} was due on {l.ReviewDueAt:yyyy-MM-dd}", now, "leverages"));
        foreach (var report in p.Reports.Values.Where(r => cadence.Rate(r.Source, r.At, now) == "overdue"))
            alerts.Add(new("Warning", p.Id, "report-overdue", $"No {report.Source} report since {report.At:yyyy-MM-dd HH:mm} UTC (last by {report.ReportedBy})", report.At, report.Source));
        return [.. alerts.OrderBy(a => a.Severity switch { "Critical" => 0, "Warning" => 1, _ => 2 }).ThenByDescending(a => a.Since)];
    }

    /// <summary>The figures of a country compared across states: each with its as-of time, source and freshness.</summary>
    public static IReadOnlyList<FigureView> Figures(CountryPicture p, DateTimeOffset now, ReportingCadence cadence)
    {
        var figures = new List<FigureView>();
        FigureView Figure(string name, double value, string source)
        {
            var report = p.Reports.GetValueOrDefault(source);
            return new(name, value, report?.At ?? DateTimeOffset.MinValue, source, report?.ReportedBy ?? "", report is null ? "n/a" : cadence.Rate(source, report.At, now));
        }

        if (p.Facilities.Count > 0)
        {
            figures.Add(Figure("reception.places", p.Facilities.Values.Sum(f => f.Capacity.Values.Sum()), "reception"));
            figures.Add(Figure("reception.occupied", p.Facilities.Values.Sum(f => f.Occupied.Values.Sum()), "reception"));
        }

        // Its own as-of: the last report of people not placed, not reception's last report of any kind.
        if (p.Facilities.Values.Where(f => f.NotPlaced is not null).Select(f => f.NotPlaced!).ToList() is { Count: > 0 } notPlaced)
        {
            var last = notPlaced.MaxBy(n => n.AsOf.At)!.AsOf;
            figures.Add(new("reception.not-placed", notPlaced.Sum(n => n.Total), last.At, last.Source, last.ReportedBy, cadence.Rate(last.Source, last.At, now)));
        }

        if (p.Requests.Count > 0)
        {
            figures.Add(Figure("humanitarian.requests-open", p.Requests.Values.Count(r => r.Status is "Open" or "Overdue"), "humanitarian"));
            figures.Add(Figure("humanitarian.unmet", p.Requests.Values.Where(r => r.Status is "Open" or "Overdue").Sum(r => r.Remaining), "humanitarian"));
        }

        if (p.Clocks.Count > 0) figures.Add(Figure("measures.in-force", p.Clocks.Values.Count(c => c.Kind == "Measure" && c.Status == "InForce"), "measures"));
        if (p.Leverages.Count > 0) figures.Add(Figure("leverages.in-force", p.Leverages.Values.Count(l => l.Status == "Imposed"), "leverages"));
        return figures;
    }

    public static CountryView Country(CountryPicture p, DateTimeOffset now, ReportingCadence cadence) =>
        new(p.Id, [.. p.Crises.Values.OrderByDescending(c => c.DeclaredAt)], Figures(p, now, cadence),
            Clocks(p, null, now).Count(c => InForce.Contains(c.Status) && c.Status != "Proposed"));

    public static CrisisView Crisis(CountryPicture p, CrisisState crisis, DateTimeOffset now, ReportingCadence cadence) => new(
        crisis,
        Clocks(p, crisis.Id, now),
        [.. p.Sections.Values],
        [.. p.Regions.Values],
        [.. p.Facilities.Values],
        [.. p.Requests.Values.OrderByDescending(r => r.Status is "Overdue" or "Open").ThenBy(r => r.Deadline)],
        [.. p.Leverages.Values.Where(l => l.CrisisId is null || l.CrisisId == crisis.Id)],
        [.. p.Timeline.Where(t => t.CrisisId is null || t.CrisisId == crisis.Id).Reverse()],
        Alerts(p, now, cadence),
        Figures(p, now, cadence),
        now,
        NotPlaced(p, now, cadence));

    /// <summary>The facilities that reported people they could not place, by region and name.</summary>
    public static IReadOnlyList<NotPlacedView> NotPlaced(CountryPicture p, DateTimeOffset now, ReportingCadence cadence) =>
    [
        .. p.Facilities.Values.Where(f => f.NotPlaced is not null)
            .OrderBy(f => f.Region, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => new NotPlacedView(f.Id, f.Name, f.Region, f.NotPlaced!.Refused, f.NotPlaced.Redirected, f.NotPlaced.Waiting, f.NotPlaced.Total,
                f.NotPlaced.AsOf, cadence.Rate(f.NotPlaced.AsOf.Source, f.NotPlaced.AsOf.At, now))),
    ];
}
