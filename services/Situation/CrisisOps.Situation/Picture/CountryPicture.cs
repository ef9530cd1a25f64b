using System.Collections.Immutable;

namespace CrisisOps.Situation.Picture;

/// <summary>
/// Everything the picture knows of one member state, folded from the five services' integration events: the read
/// model's only document kind (one per country), so that a rebuild from the feeds is one fold per country.
/// </summary>
public sealed record CountryPicture(
    string Id,
    ImmutableSortedDictionary<string, CrisisState> Crises,
    ImmutableSortedDictionary<string, SectionAlert> Sections,
    ImmutableSortedDictionary<string, ClockState> Clocks,
    ImmutableSortedDictionary<string, LeverageState> Leverages,
    ImmutableSortedDictionary<string, FacilityState> Facilities,
    ImmutableSortedDictionary<string, RegionState> Regions,
    ImmutableSortedDictionary<string, RequestState> Requests,
    ImmutableSortedDictionary<string, SourceReport> Reports,
    ImmutableList<TimelineItem> Timeline,
    long Changes)
{
    /// <summary>The longest timeline kept per country; older entries stay in the services' own histories.</summary>
    public const int TimelineLength = 500;

    /// <summary>Trend points kept per region.</summary>
    public const int TrendLength = 60;

    public static CountryPicture Empty(string country) => new(country,
        ImmutableSortedDictionary<string, CrisisState>.Empty, ImmutableSortedDictionary<string, SectionAlert>.Empty,
        ImmutableSortedDictionary<string, ClockState>.Empty, ImmutableSortedDictionary<string, LeverageState>.Empty,
        ImmutableSortedDictionary<string, FacilityState>.Empty, ImmutableSortedDictionary<string, RegionState>.Empty,
        ImmutableSortedDictionary<string, RequestState>.Empty, ImmutableSortedDictionary<string, SourceReport>.Empty, [], 0);
}

/// <summary>Who reported an event and when: the provenance every figure shows.</summary>
/// <param name="Source">The service that published it (declaration, measures, reception, humanitarian, leverages).</param>
/// <param name="At">When it happened (the decision's or observation's time).</param>
/// <param name="ReportedBy">The accountable actor's name and ministry or organisation, or the system.</param>
public sealed record Provenance(string Source, DateTimeOffset At, string ReportedBy);

public sealed record CrisisState(
    string Id,
    string Country,
    string State,
    string Stage,
    bool Qualifies,
    string Perpetrator,
    string PerpetratorKind,
    string Scenario,
    ImmutableList<string> BorderSections,
    DateTimeOffset DeclaredAt,
    Provenance AsOf);

public sealed record SectionAlert(string Section, string Level, DateTimeOffset ChangedAt, ImmutableSortedDictionary<string, string> Indicators);

/// <summary>An emergency or a measure on the legal-clock board.</summary>
public sealed record ClockState(
    string Kind,
    string Id,
    string? CrisisId,
    string Title,
    string LegalBasis,
    string Status,
    DateOnly StartDate,
    DateOnly? EndDate,
    DateOnly? TotalCapEnd,
    DateTimeOffset? EndsAt,
    int ExtensionsUsed,
    int? ExtensionsAllowed,
    string DecidedBy,
    Provenance AsOf);

public sealed record LeverageState(
    string Id,
    string? CrisisId,
    string Type,
    string Category,
    string Target,
    string Status,
    DateOnly? StartDate,
    DateOnly? EndDate,
    DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt,
    int Renewals,
    ImmutableSortedDictionary<string, string> Allies,
    Provenance AsOf);

public sealed record FacilityState(
    string Id,
    string Name,
    string Region,
    string BorderSection,
    ImmutableSortedDictionary<string, int> Capacity,
    ImmutableSortedDictionary<string, int> Occupied,
    string Strain,
    Provenance AsOf,
    NotPlacedState? NotPlaced = null);

/// <summary>
/// The people a facility had no place for, per category, as its last report left them: refused and redirected so far,
/// waiting now; with who reported it and when.
/// </summary>
public sealed record NotPlacedState(
    ImmutableSortedDictionary<string, int> Refused,
    ImmutableSortedDictionary<string, int> Redirected,
    ImmutableSortedDictionary<string, int> Waiting,
    Provenance AsOf)
{
    public int Total => Refused.Values.Sum() + Redirected.Values.Sum() + Waiting.Values.Sum();
}

/// <summary>A region's places and occupancy per category (summed over its facilities) and their trend.</summary>
public sealed record RegionState(string Region, string Strain, double Rate, ImmutableList<TrendPoint> Trend, Provenance AsOf);

public sealed record TrendPoint(DateTimeOffset At, int Capacity, int Occupied);

public sealed record RequestState(
    string Id,
    string Location,
    string Sector,
    string Item,
    int Quantity,
    int Pledged,
    int Delivered,
    int Remaining,
    DateTimeOffset Deadline,
    string Origin,
    string Status,
    ImmutableSortedDictionary<string, PledgeState> Pledges,
    Provenance AsOf);

/// <summary>Who pledged and delivered what (the "who" and "when" of 4W; the request gives "what" and "where").</summary>
public sealed record PledgeState(string Id, string Partner, int Pledged, int Delivered, bool Withdrawn, DateTimeOffset At);

/// <summary>The last report a source made for the country: the basis of freshness.</summary>
public sealed record SourceReport(string Source, DateTimeOffset At, string ReportedBy);

/// <summary>One line of the merged timeline: who decided what, under which legal basis.</summary>
public sealed record TimelineItem(
    Guid EventId,
    DateTimeOffset At,
    string Source,
    string EventType,
    string? CrisisId,
    string Summary,
    string Actor,
    string Role,
    string Ministry,
    string? LegalBasis,
    string Justification);
