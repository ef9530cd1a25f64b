namespace CrisisOps.Contracts.Reception.V1;

// Integration events owned by the reception capacity service (issue #4), version 1. The legal measures service
// consumes this one already: crossing points may be closed only while a registration point stays open.

/// <summary>A registration point (where an asylum application can be lodged) opened or closed.</summary>
public sealed record RegistrationPointStatusChanged(
    string FacilityId,
    string Country,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    bool Open,
    DateTimeOffset ChangedAt);
