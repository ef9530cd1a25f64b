using System.Collections.Immutable;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Overflow;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Humanitarian.Assistance;

/// <summary>
/// A pledge as partners and coordinators read it. <c>Pledged</c> is what it stands at (lowered to what was delivered
/// when withdrawn); <c>PledgedBy</c> (token subject) and <c>ClientRequestId</c> find it again for a retried pledge.
/// </summary>
public sealed record PledgeView(
    string Id,
    string Organisation,
    int Pledged,
    int Delivered,
    int Withdrawn,
    DateTimeOffset PledgedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastDeliveryAt,
    string PledgedBy,
    string ClientRequestId);

/// <summary>The read model of a request for assistance with its pledges, written in the transaction of each decision.</summary>
public sealed record AssistanceRequestView(
    string Id,
    long Version,
    string Country,
    Location Location,
    Sector Sector,
    string Item,
    int Quantity,
    string Unit,
    DateTimeOffset Deadline,
    string Origin,
    OverflowTrigger? Overflow,
    string RequestedBy,
    AssistanceStatus Status,
    bool DeadlineMissed,
    int Pledged,
    int Delivered,
    int Remaining,
    ImmutableList<PledgeView> Pledges,
    DateTimeOffset OpenedAt,
    DateTimeOffset UpdatedAt)
{
    public int Unpledged => Quantity - Pledged;

    /// <summary>The view of a request's state at <paramref name="version"/>.</summary>
    public static AssistanceRequestView From(AssistanceRequest r, long version) => new(r.Id, version, r.Country, r.Location, r.Sector, r.Item,
        r.Quantity, r.Unit, r.Deadline, r.Origin, r.Overflow, r.RequestedBy, r.Status, r.DeadlineMissed, r.Pledged, r.Delivered, r.Remaining,
        [.. r.Pledges.Select(p => new PledgeView(p.Id, p.Organisation, p.Quantity, p.Delivered, p.Withdrawn, p.PledgedAt, p.UpdatedAt,
            p.LastDeliveryAt, p.PledgedBy, p.ClientRequestId))],
        r.OpenedAt, r.UpdatedAt);
}

/// <summary>How a request stream is folded and what its transaction writes besides the events.</summary>
public static class AssistanceStream
{
    public const string DeadlineKind = "assistance-deadline";

    /// <summary>
    /// Serialized: partners pledge against the same request at the same time without reading each other's pledges
    /// first (no expected version), so decisions on one request are taken one at a time and each sees what remains.
    /// </summary>
    public static readonly StreamDefinition<AssistanceRequest> Definition = new(AssistanceRequest.Transition, Persist, Serialized: true);

    public static string IdFor(Guid id) => $"request-{id}";

    private static void Persist(IDocumentOperations ops, StreamChange<AssistanceRequest> change)
    {
        var (id, state) = (change.StreamId, change.State);
        ops.Store(AssistanceRequestView.From(state, change.Version));
        ops.Schedule(DeadlineKind, id, state.NextDeadline);
        // A closed request takes no further decisions, so the slot it frees on closing is never written by it again.
        if (state.Overflow is { } overflow)
            ops.Store(new OverflowShelterSlot(overflow.RegionKey, state.Status == AssistanceStatus.Open ? id : null, overflow.Episode));
    }

    public static string Describe(object e) => e switch
    {
        AssistanceRequested d => $"{d.Quantity} {d.Unit} of {d.Item} ({d.Sector}) requested for {d.Location.Describe()} by {d.Deadline.UtcDateTime:yyyy-MM-dd HH:mm}Z"
            + (d.Overflow is { } o ? $", opened automatically on reception overflow in {o.Region} ({o.Occupied} occupied for {o.Capacity} places)" : ""),
        PledgeMade d => $"{d.Organisation} pledged {d.Quantity} ({d.PledgeId}); {d.Unpledged} still unpledged",
        PledgeWithdrawn d => $"{d.Organisation} withdrew {d.Released} not yet delivered of {d.PledgeId}",
        DeliveryRecorded d => $"{d.Organisation} delivered {d.Quantity} against {d.PledgeId}; {d.Delivered} delivered, {d.Remaining} remaining",
        AssistanceFulfilled => "Fulfilled: everything requested was delivered",
        AssistanceCancelled d => $"Cancelled by the requesting ministry with {d.Remaining} undelivered",
        AssistanceDeadlineMissed d => $"Deadline {d.Deadline:O} missed with {d.Remaining} undelivered: access to basic needs must be guaranteed upon arrival",
        _ => e.GetType().Name,
    };
}
