namespace CrisisOps.Measures.Facts;

/// <summary>
/// What the measures service knows of a crisis, from crisis declaration's integration events (it never reads
/// that service's tables). Ending is terminal, so events arriving out of order cannot revive a crisis.
/// </summary>
public sealed record CrisisFacts(
    string Id,
    string Country,
    bool Qualifies,
    bool Ended,
    DateTimeOffset? EndedAt,
    string? EmergencyLegalBasis,
    bool EmergencyInForce,
    DateTimeOffset? EmergencyEndedAt,
    DateOnly? EmergencyStartDate,
    long Version);

/// <summary>A registration point where an asylum application can be lodged (from reception capacity's events).</summary>
public sealed record RegistrationPoint(string Id, string Country, string BorderSection, bool Open, DateTimeOffset UpdatedAt);

/// <summary>The facts a measure decision is taken against: its crisis, and the open registration points of its country.</summary>
public sealed record LegalSituation(CrisisFacts? Crisis, IReadOnlyList<RegistrationPoint> OpenRegistrationPoints)
{
    public static readonly LegalSituation None = new(null, []);
}
