using System.Collections.Immutable;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Overflow;
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

    public static AssistanceRequestView? Transition(AssistanceRequestView? view, object @event) => (view, @event) switch
    {
        (null, AssistanceRequested e) => new AssistanceRequestView(e.RequestId, 0, e.Country, e.Location, e.Sector, e.Item,
            e.Quantity, e.Unit, e.Deadline, e.Origin, e.Overflow, e.Decision.Actor.Organisation, AssistanceStatus.Open, false, 0, 0, e.Quantity, [],
            e.Decision.DecidedAt, e.Decision.DecidedAt),
        (not null, PledgeMade e) => Totals(view with
        {
            Pledges = view.Pledges.Add(new PledgeView(e.PledgeId, e.Organisation, e.Quantity, 0, 0, e.Decision.DecidedAt, e.Decision.DecidedAt, null,
                e.Decision.Actor.Subject, e.Decision.RequestId)),
            UpdatedAt = e.Decision.DecidedAt,
        }),
        (not null, PledgeWithdrawn e) => Totals(view with
        {
            Pledges = Change(view.Pledges, e.PledgeId, p => p with
            {
                Pledged = p.Pledged - e.Released,
                Withdrawn = p.Withdrawn + e.Released,
                UpdatedAt = e.Decision.DecidedAt,
            }),
            UpdatedAt = e.Decision.DecidedAt,
        }),
        (not null, DeliveryRecorded e) => Totals(view with
        {
            Pledges = Change(view.Pledges, e.PledgeId, p => p with
            {
                Delivered = p.Delivered + e.Quantity,
                LastDeliveryAt = e.Decision.DecidedAt,
                UpdatedAt = e.Decision.DecidedAt,
            }),
            UpdatedAt = e.Decision.DecidedAt,
        }),
        (not null, AssistanceFulfilled e) => view with { Status = AssistanceStatus.Fulfilled, UpdatedAt = e.Decision.DecidedAt },
        (not null, AssistanceCancelled e) => view with { Status = AssistanceStatus.Cancelled, UpdatedAt = e.Decision.DecidedAt },
        (not null, AssistanceDeadlineMissed e) => view with { DeadlineMissed = true, UpdatedAt = e.RecordedAt },
        _ => view,
    };

    private static AssistanceRequestView Totals(AssistanceRequestView v)
    {
        var delivered = v.Pledges.Sum(p => p.Delivered);
        return v with { Pledged = v.Pledges.Sum(p => p.Pledged), Delivered = delivered, Remaining = v.Quantity - delivered };
    }

    private static ImmutableList<PledgeView> Change(ImmutableList<PledgeView> pledges, string id, Func<PledgeView, PledgeView> change)
    {
        var index = pledges.FindIndex(p => p.Id == id);
        return index < 0 ? pledges : pledges.SetItem(index, change(pledges[index]));
    }
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

    private static void Persist(IDocumentOperations ops, string id, AssistanceRequest state, long version, IReadOnlyList<object> events)
    {
        ops.Store(events.Aggregate((AssistanceRequestView?)null, AssistanceRequestView.Transition)! with { Version = version });
        var deadlineId = Deadline.IdFor(DeadlineKind, id);
        if (state.NextDeadline is { } due)
            ops.Store(new Deadline { Id = deadlineId, Kind = DeadlineKind, StreamId = id, DueAt = due });
        else
            ops.Delete<Deadline>(deadlineId);
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
