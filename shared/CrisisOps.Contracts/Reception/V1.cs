namespace CrisisOps.Contracts.Reception.V1;

// Integration events owned by the reception capacity service, version 1. Shipped records are never edited.
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
/// <remarks><c>Scope</c> is Facility, Region or Country; <c>ScopeId</c> the facility id, region code or country code.</remarks>
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
    DateTimeOffset ChangedAt);

/// <summary>A contingency plan's reserve capacity was activated by a decision.</summary>
public sealed record ContingencyActivated(string PlanId, string Country, string Region, IReadOnlyDictionary<string, int> ReserveCapacity, DecisionInfo Decision);

/// <summary>A contingency plan's reserve capacity was deactivated.</summary>
public sealed record ContingencyDeactivated(string PlanId, string Country, string Region, DecisionInfo Decision);
