using CrisisOps.Reception.Transfers;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Reception.Facilities;

/// <summary>The read model of a facility, written in the transaction of each decision or report.</summary>
public sealed record FacilityView(
    string Id,
    long Version,
    long DecisionVersion,
    string Name,
    FacilityKind Kind,
    string Country,
    string Region,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    bool LodgesAsylumApplications,
    FacilityStatus Status,
    Places RegisteredCapacity,
    FacilityFigures Figures,
    Places ActiveReserve,
    StrainThresholds Thresholds,
    StrainLevel Strain,
    IReadOnlyList<ContingencyPlan> Plans,
    IReadOnlyList<PendingTransfer> IncomingTransfers,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt,
    NotPlacedFigures? NotPlaced = null)
{
    /// <summary>The people it had no place for; none on a view written before they were counted.</summary>
    public NotPlacedFigures NotPlacedOrNone => NotPlaced ?? NotPlacedFigures.None;

    public static FacilityView From(Facility f) => new(f.Id, f.Version, f.DecisionVersion, f.Name, f.Kind, f.Country, f.Region,
        f.BorderSection, f.IsDesignatedCrossingPoint, f.LodgesAsylumApplications, f.Figures.Status, f.RegisteredCapacity, f.Figures,
        f.ActiveReserve, f.Thresholds, f.Strain, [.. f.Plans.Values.OrderBy(p => p.Code, StringComparer.Ordinal)],
        [.. f.IncomingTransfers.Values.OrderBy(t => t.ReservedAt)], f.RegisteredAt, f.UpdatedAt, f.NotPlaced);
}

/// <summary>How a facility stream is folded and what its transaction writes besides the events.</summary>
public static class FacilityStream
{
    /// <summary>Arrival reports compete for the same places without an expected version: one decision at a time.</summary>
    public static readonly StreamDefinition<Facility> Definition = new(Facility.Transition, Persist, Serialized: true);

    public static string IdFor(Guid id) => $"facility-{id}";

    /// <summary>
    /// The command stamped with the time at which the stream is ours (under its lock), not the time the request came
    /// in: a stream's events are then in time order, and a picture as of a moment is a prefix of each stream.
    /// </summary>
    public static FacilityCommand StampedNow(FacilityCommand command, TimeProvider clock) =>
        command with { Decision = command.Decision with { DecidedAt = clock.GetUtcNow() } };

    private static void Persist(IDocumentOperations ops, StreamChange<Facility> change)
    {
        ops.Store(FacilityView.From(change.State));
        // A transfer whose reservation committed is finished by the deadline worker if the call that began it dies.
        foreach (var pending in change.State.IncomingTransfers.Values)
            ops.Store(TransferProcess.CompletionDeadline(change.StreamId, pending));
    }

    public static string Describe(object e) => e switch
    {
        FacilityRegistered d => $"{d.Kind} '{d.Name}' registered in {d.Region} ({d.Country}){(d.BorderSection.Length > 0 ? $", border section {d.BorderSection}" : "")}" +
            $"{(d.IsDesignatedCrossingPoint ? ", designated crossing point" : "")}: capacity {d.Capacity.Describe()}, {(d.After.Open ? "open" : "closed")}",
        FacilityOpened => "Opened",
        FacilityClosed => "Closed",
        RegistrationPointStatusChanged d => $"Asylum applications can {(d.Open ? "now" : "no longer")} be lodged here",
        ArrivalsRecorded d => $"Arrivals: {d.People.Describe()}; occupied {d.After.Occupied.Total} of {d.After.Offered.Total}",
        ArrivalsNotPlaced d => $"Arrivals not placed ({d.Outcome.ToString().ToLowerInvariant()}{(d.RedirectedTo is { Length: > 0 } to ? $" to {to}" : "")}): {d.People.Describe()}; not placed so far: {d.NotPlaced.Describe()}",
        WaitingReported d => $"Waiting for a place: {d.Waiting.Describe()}",
        DeparturesRecorded d => $"Departures: {d.People.Describe()}; occupied {d.After.Occupied.Total} of {d.After.Offered.Total}",
        TransferReserved d => $"Transfer {d.TransferId}: places held for {d.People.Describe()} from {d.OriginFacilityId}",
        TransferDeparted d => $"Transfer {d.TransferId}: {d.People.Describe()} left for {d.DestinationFacilityId}",
        TransferDepartureRefused d => $"Transfer {d.TransferId} to {d.DestinationFacilityId} refused: {d.Reason}",
        TransferArrived d => $"Transfer {d.TransferId}: {d.People.Describe()} arrived from {d.OriginFacilityId}",
        TransferCancelled d => $"Transfer {d.TransferId} from {d.OriginFacilityId} cancelled, held places released: {d.Reason}",
        ContingencyPlanDeclared d => $"Contingency plan '{d.PlanCode}' ({d.Name}) declared: reserve {d.Reserve.Describe()}",
        ContingencyActivated d => $"Contingency plan '{d.PlanCode}' activated: +{d.Reserve.Describe()}",
        ContingencyDeactivated d => $"Contingency plan '{d.PlanCode}' deactivated: -{d.Reserve.Describe()}",
        FacilityStrainChanged d => $"Strain {d.From} → {d.To} ({d.Occupied} of {d.Capacity}, {d.Rate:P0})",
        _ => e.GetType().Name,
    };
}
