using System.Collections.Immutable;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Legal;

namespace CrisisOps.Humanitarian.Assistance;

public enum AssistanceStatus { Open, Fulfilled, Cancelled }

/// <summary>Who opened a request: a ministry, or the system on a reception overflow.</summary>
public static class Origins
{
    public const string Ministry = "ministry";
    public const string ReceptionOverflow = "reception-overflow";
}

/// <summary>
/// The reception overflow an automatic emergency-shelter request answers, as reception capacity reported it (figures
/// and time from the <c>ReceptionStrainChanged</c> message <c>MessageId</c>). <c>RegionKey</c> is <c>{country}/{region code}</c>,
/// with one automatic request open at a time; <c>Episode</c> counts that region's automatic requests (1, then 2...).
/// </summary>
public sealed record OverflowTrigger(
    string RegionKey,
    int Episode,
    string Region,
    int Capacity,
    int Occupied,
    double OccupancyRate,
    DateTimeOffset StrainChangedAt,
    Guid MessageId);

// Events of an assistance request stream. The request is where pledges are matched to what is asked, so pledges and
// deliveries are events of its stream: "never more pledged than requested" is an invariant of one stream.

public sealed record AssistanceRequested(
    string RequestId,
    string Country,
    Location Location,
    Sector Sector,
    string Item,
    int Quantity,
    string Unit,
    DateTimeOffset Deadline,
    string Origin,
    OverflowTrigger? Overflow,
    Decision Decision) : IRecordedDecision;

/// <summary>A partner pledged against the request; <c>Unpledged</c> is what remains unpledged after it.</summary>
public sealed record PledgeMade(string RequestId, string PledgeId, string Organisation, int Quantity, int Unpledged, Decision Decision)
    : IRecordedDecision;

/// <summary>A partner withdrew what it had not yet delivered of a pledge; <c>Released</c> is unpledged again.</summary>
public sealed record PledgeWithdrawn(string RequestId, string PledgeId, string Organisation, int Released, Decision Decision)
    : IRecordedDecision;

/// <summary>A partner delivered against its pledge. <c>Delivered</c> is the request's total with this delivery; <c>Remaining</c> is still unmet.</summary>
public sealed record DeliveryRecorded(string RequestId, string PledgeId, string Organisation, int Quantity, int Delivered, int Remaining,
    Decision Decision) : IRecordedDecision;

/// <summary>Everything requested was delivered (recorded with the delivery that completed it).</summary>
public sealed record AssistanceFulfilled(string RequestId, string Country, Decision Decision) : IRecordedDecision;

/// <summary>The requesting ministry withdrew its request (the need went away, or is met otherwise).</summary>
public sealed record AssistanceCancelled(string RequestId, string Country, int Remaining, Decision Decision) : IRecordedDecision;

/// <summary>
/// The request was still unmet at its deadline. <c>Deadline</c> is the moment it fell due, even when the service
/// recorded it later (it was down); <c>RecordedAt</c> is when it was recorded.
/// </summary>
public sealed record AssistanceDeadlineMissed(
    string RequestId,
    string Country,
    Location Location,
    Sector Sector,
    int Remaining,
    DateTimeOffset Deadline,
    DateTimeOffset RecordedAt,
    Decision Decision) : IRecordedDecision;

/// <summary>A partner's pledge against a request. A withdrawal lowers <c>Quantity</c> to what was delivered.</summary>
public sealed record Pledge(string Id, string Organisation, int Quantity, int Delivered)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public int Withdrawn { get; init; }

    public DateTimeOffset PledgedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? LastDeliveryAt { get; init; }

    public string PledgedBy { get; init; } = "";

    public string ClientRequestId { get; init; } = "";

    public int Outstanding => Quantity - Delivered;
}

/// <summary>The state assistance decisions need.</summary>
public sealed record AssistanceRequest(
    string Id,
    string Country,
    Location Location,
    Sector Sector,
    string Item,
    int Quantity,
    string Unit,
    DateTimeOffset Deadline,
    string Origin,
    OverflowTrigger? Overflow,
    ImmutableList<Pledge> Pledges,
    AssistanceStatus Status,
    bool DeadlineMissed)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public string RequestedBy { get; init; } = "";

    public DateTimeOffset OpenedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public int Pledged => Pledges.Sum(p => p.Quantity);

    public int Delivered => Pledges.Sum(p => p.Delivered);

    /// <summary>What is still unmet: requested minus delivered.</summary>
    public int Remaining => Quantity - Delivered;

    /// <summary>What no partner has pledged yet: requested minus pledged.</summary>
    public int Unpledged => Quantity - Pledged;

    /// <summary>The deadline the service must act on by itself, if any.</summary>
    public DateTimeOffset? NextDeadline => Status == AssistanceStatus.Open && !DeadlineMissed ? Deadline : null;

    public static AssistanceRequest? Transition(AssistanceRequest? state, object @event) => (state, @event) switch
    {
        (null, AssistanceRequested e) => new AssistanceRequest(e.RequestId, e.Country, e.Location, e.Sector, e.Item, e.Quantity, e.Unit,
            e.Deadline, e.Origin, e.Overflow, [], AssistanceStatus.Open, false)
        {
            RequestedBy = e.Decision.Actor.Organisation,
            OpenedAt = e.Decision.DecidedAt,
            UpdatedAt = e.Decision.DecidedAt,
        },
        (not null, PledgeMade e) => state with
        {
            Pledges = state.Pledges.Add(new Pledge(e.PledgeId, e.Organisation, e.Quantity, 0)
            {
                PledgedAt = e.Decision.DecidedAt,
                UpdatedAt = e.Decision.DecidedAt,
                PledgedBy = e.Decision.Actor.Subject,
                ClientRequestId = e.Decision.RequestId,
            }),
            UpdatedAt = e.Decision.DecidedAt,
        },
        (not null, PledgeWithdrawn e) => state with
        {
            Pledges = Change(state.Pledges, e.PledgeId, p => p with
            {
                Quantity = p.Quantity - e.Released,
                Withdrawn = p.Withdrawn + e.Released,
                UpdatedAt = e.Decision.DecidedAt,
            }),
            UpdatedAt = e.Decision.DecidedAt,
        },
        (not null, DeliveryRecorded e) => state with
        {
            Pledges = Change(state.Pledges, e.PledgeId, p => p with
            {
                Delivered = p.Delivered + e.Quantity,
                LastDeliveryAt = e.Decision.DecidedAt,
                UpdatedAt = e.Decision.DecidedAt,
            }),
            UpdatedAt = e.Decision.DecidedAt,
        },
        (not null, AssistanceFulfilled e) => state with { Status = AssistanceStatus.Fulfilled, UpdatedAt = e.Decision.DecidedAt },
        (not null, AssistanceCancelled e) => state with { Status = AssistanceStatus.Cancelled, UpdatedAt = e.Decision.DecidedAt },
        (not null, AssistanceDeadlineMissed e) => state with { DeadlineMissed = true, UpdatedAt = e.RecordedAt },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to assistance request {state?.Id ?? "(none)"}"),
    };

    private static ImmutableList<Pledge> Change(ImmutableList<Pledge> pledges, string id, Func<Pledge, Pledge> change)
    {
        var index = pledges.FindIndex(p => p.Id == id);
        return index < 0 ? throw new InvalidOperationException($"no pledge {id}") : pledges.SetItem(index, change(pledges[index]));
    }
}
