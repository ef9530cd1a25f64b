using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Legal;

namespace CrisisOps.Humanitarian.Assistance;

public abstract record AssistanceCommand(Decision Decision);

public sealed record RequestAssistance(
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
    Decision Decision) : AssistanceCommand(Decision);

/// <summary>A partner pledges; <c>Organisation</c> is its registry code, from its token.</summary>
public sealed record PledgeAssistance(string Organisation, int Quantity, Decision Decision) : AssistanceCommand(Decision);

public sealed record WithdrawPledge(string PledgeId, string Organisation, Decision Decision) : AssistanceCommand(Decision);

public sealed record RecordDelivery(string PledgeId, string Organisation, int Quantity, Decision Decision) : AssistanceCommand(Decision);

public sealed record CancelAssistance(Decision Decision) : AssistanceCommand(Decision);

/// <summary>Sent by the deadline worker once the deadline has passed.</summary>
public sealed record MarkDeadlineMissed(Decision Decision) : AssistanceCommand(Decision);

/// <summary>
/// Pure assistance decisions. Matching policy: a pledge larger than what remains unpledged is refused, not trimmed:
/// a pledge commits the partner's stock and transport, so only the partner may decide to commit less.
/// </summary>
public static class AssistanceDecider
{
    public static IReadOnlyList<object> Decide(AssistanceRequest? state, AssistanceCommand command) => (state, command) switch
    {
        (null, RequestAssistance c) => [Request(c)],
        (not null, RequestAssistance) => throw new RuleViolationException("assistance.unique", "the request is already open"),
        (null, MarkDeadlineMissed) => [],
        (null, _) => throw new InvalidOperationException("the request must exist before this command"),
        (_, MarkDeadlineMissed c) => MissDeadline(state, c),
        ({ Status: not AssistanceStatus.Open }, _) => throw new RuleViolationException("assistance.closed",
            $"the request is {state.Status.ToString().ToLowerInvariant()}; nothing more can be pledged, delivered or cancelled on it"),
        (_, PledgeAssistance c) => [Pledge(state, c)],
        (_, WithdrawPledge c) => [Withdraw(state, c)],
        (_, RecordDelivery c) => Deliver(state, c),
        (_, CancelAssistance c) => [new AssistanceCancelled(state.Id, state.Country, state.Remaining, c.Decision)],
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    };

    private static AssistanceRequested Request(RequestAssistance c)
    {
        c.Location.EnsureConsistentWith(c.Country);
        if (c.Quantity < 1) throw new InvalidFieldException("quantity", "must be at least 1");
        // The system opens requests for overflows it hears of late (the service was down): their deadline may have
        // passed already, and the alert is then due at once. A ministry asks for something still to come.
        if (c.Origin == Origins.Ministry && c.Deadline <= c.Decision.DecidedAt)
            throw new InvalidFieldException("deadline", $"{c.Deadline:O} is not in the future");
        return new AssistanceRequested(c.RequestId, c.Country, c.Location, c.Sector, c.Item, c.Quantity, c.Unit, c.Deadline, c.Origin,
            c.Overflow, c.Decision);
    }

    private static PledgeMade Pledge(AssistanceRequest state, PledgeAssistance c)
    {
        if (c.Quantity < 1) throw new InvalidFieldException("quantity", "must be at least 1");
        if (state.Unpledged == 0)
            throw new RuleViolationException("pledge.fully-pledged",
                $"all {state.Quantity} {state.Unit} requested are pledged already ({Partners(state)})");
        if (c.Quantity > state.Unpledged)
            throw new RuleViolationException("pledge.exceeds-unpledged",
                $"{c.Quantity} {state.Unit} is more than the {state.Unpledged} still unpledged of {state.Quantity} requested: pledge at most {state.Unpledged}");
        return new PledgeMade(state.Id, $"pledge-{state.Pledges.Count + 1}", c.Organisation, c.Quantity, state.Unpledged - c.Quantity, c.Decision);
    }

    private static PledgeWithdrawn Withdraw(AssistanceRequest state, WithdrawPledge c)
    {
        var pledge = Own(state, c.PledgeId, c.Organisation);
        if (pledge.Outstanding == 0)
            throw new RuleViolationException("pledge.nothing-outstanding",
                $"{pledge.Id} was delivered in full ({pledge.Delivered} {state.Unit}); there is nothing left to withdraw");
        return new PledgeWithdrawn(state.Id, pledge.Id, pledge.Organisation, pledge.Outstanding, c.Decision);
    }

    private static IReadOnlyList<object> Deliver(AssistanceRequest state, RecordDelivery c)
    {
        var pledge = Own(state, c.PledgeId, c.Organisation);
        if (c.Quantity < 1) throw new InvalidFieldException("quantity", "must be at least 1");
        if (c.Quantity > pledge.Outstanding)
            throw new RuleViolationException("delivery.exceeds-pledge",
                $"{c.Quantity} {state.Unit} is more than the {pledge.Outstanding} outstanding on {pledge.Id} ({pledge.Quantity} pledged, {pledge.Delivered} delivered): pledge more first");
        var delivered = state.Delivered + c.Quantity;
        var delivery = new DeliveryRecorded(state.Id, pledge.Id, pledge.Organisation, c.Quantity, delivered, state.Quantity - delivered, c.Decision);
        return delivered == state.Quantity ? [delivery, new AssistanceFulfilled(state.Id, state.Country, c.Decision)] : [delivery];
    }

    private static IReadOnlyList<object> MissDeadline(AssistanceRequest state, MarkDeadlineMissed c) =>
        state.Status == AssistanceStatus.Open && !state.DeadlineMissed && c.Decision.DecidedAt >= state.Deadline && state.Remaining > 0
            ? [new AssistanceDeadlineMissed(state.Id, state.Country, state.Location, state.Sector, state.Remaining, state.Deadline,
                c.Decision.DecidedAt, c.Decision)]
            : [];

    /// <summary>A partner acts only on its own pledges.</summary>
    private static Pledge Own(AssistanceRequest state, string pledgeId, string organisation)
    {
        var pledge = state.Pledges.Find(p => p.Id == pledgeId) ?? throw new NotFoundException("pledge", $"{state.Id}/{pledgeId}");
        if (!string.Equals(pledge.Organisation, organisation, StringComparison.OrdinalIgnoreCase))
            throw new NotPermittedException($"{pledge.Id} was pledged by {pledge.Organisation}; {organisation} acts only on its own pledges");
        return pledge;
    }

    private static string Partners(AssistanceRequest state) =>
        string.Join(", ", state.Pledges.Where(p => p.Quantity > 0).Select(p => $"{p.Organisation} {p.Quantity}"));
}
