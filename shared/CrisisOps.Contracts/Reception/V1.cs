namespace CrisisOps.Contracts.Reception.V1;

// Integration events owned by the reception capacity service, version 1. Shipped records are never edited: no field
// is removed, renamed or retyped. A figure may only be added last, optional with a default, so that every message
// already queued or in a feed still reads (as "not reported") and a consumer that does not know it ignores it.
// Aggregate figures only: counts per category, never people.

/// <summary>A registration point (where an asylum application can be lodged) opened or closed.</summary>
public sealed record RegistrationPointStatusChanged(
    string FacilityId,
    string Country,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    bool Open,
    DateTimeOffset ChangedAt);

/// <summary>A facility was registered with its capacity per category (general, families, unaccompanied minors, special needs).</summary>
public sealed record FacilityRegistered(
    string FacilityId,
    string Name,
    string Kind,
    string Country,
    string Region,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    IReadOnlyDictionary<string, int> Capacity,
    DecisionInfo Decision);

/// <summary>Occupancy of a facility changed (arrivals, transfers, departures), as counts per category.</summary>
public sealed record OccupancyChanged(
    string FacilityId,
    string Country,
    string Region,
    IReadOnlyDictionary<string, int> Capacity,
    IReadOnlyDictionary<string, int> Occupied,
    DateTimeOffset At);

/// <summary>
/// The strain level of a facility, a region or a country changed (Normal, Strained, Overflow). Crisis declaration
/// takes it as an early-warning indicator; humanitarian support opens an emergency-shelter request on Overflow.
/// </summary>
/// <remarks>
/// <c>Scope</c> is Facility, Region or Country; <c>ScopeId</c> the facility id, region code or country code.
/// <c>NotPlaced</c>: the people the scope's facilities had no place for, when the change was recorded (null on
/// messages published before reception counted them).
/// </remarks>
public sealed record ReceptionStrainChanged(
    string Scope,
    string ScopeId,
    string Country,
    string Region,
    string BorderSection,
    string From,
    string To,
    int Capacity,
    int Occupied,
    double OccupancyRate,
    DateTimeOffset ChangedAt,
    NotPlaced? NotPlaced = null);

/// <summary>
/// People reception had no place for, per category name: turned away (<c>Refused</c>) and sent to another facility
/// (<c>Redirected</c>), counted since the facility was registered, and waiting for a place now (<c>Waiting</c>).
/// </summary>
public sealed record NotPlaced(
    IReadOnlyDictionary<string, int> Refused,
    IReadOnlyDictionary<string, int> Redirected,
    IReadOnlyDictionary<string, int> Waiting)
{
    /// <summary>The people with no place at all (refused and waiting): those redirected are counted where they were sent.</summary>
    public int WithoutPlace => Refused.Values.Sum() + Waiting.Values.Sum();

    /// <summary>Refused, redirected and waiting together.</summary>
    public int Total => Refused.Values.Sum() + Redirected.Values.Sum() + Waiting.Values.Sum();
}

/// <summary>
/// A facility reported people it could not place: arrivals beyond its free places (<c>Outcome</c> Refused,
/// Redirected to <c>RedirectedTo</c> where given, or Waiting), or the number waiting there now (<c>Outcome</c>
/// WaitingReported, with <c>People</c> the new level). <c>Figures</c> are the facility's totals after the report.
/// </summary>
public sealed record PeopleNotPlaced(
    string FacilityId,
    string Country,
    string Region,
    string BorderSection,
    string Outcome,
    IReadOnlyDictionary<string, int> People,
    string? RedirectedTo,
    NotPlaced Figures,
    DecisionInfo Decision);

/// <summary>A contingency plan's reserve capacity was activated by a decision.</summary>
public sealed record ContingencyActivated(string PlanId, string Country, string Region, IReadOnlyDictionary<string, int> ReserveCapacity, DecisionInfo Decision);

/// <summary>A contingency plan's reserve capacity was deactivated.</summary>
public sealed record ContingencyDeactivated(string PlanId, string Country, string Region, DecisionInfo Decision);
