using CrisisOps.Legal;

namespace CrisisOps.Reception.Facilities;

public abstract record FacilityCommand(Decision Decision);

/// <summary>A decision on an existing facility, taken on the decision version the client read.</summary>
public abstract record FacilityDecision(long ExpectedVersion, Decision Decision) : FacilityCommand(Decision);

public sealed record RegisterFacility(
    string FacilityId,
    string Name,
    FacilityKind Kind,
    string Country,
    string Region,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    Places Capacity,
    bool Open,
    StrainThresholds Thresholds,
    Decision Decision) : FacilityCommand(Decision);

public sealed record OpenFacility(long ExpectedVersion, Decision Decision) : FacilityDecision(ExpectedVersion, Decision);

public sealed record CloseFacility(long ExpectedVersion, Decision Decision) : FacilityDecision(ExpectedVersion, Decision);

/// <summary>
/// Arrivals. Without <c>BeyondCapacity</c> all or nothing (refused beyond the free places); with it, the free places
/// are taken and the people beyond them recorded as not placed, with what became of them.
/// </summary>
public sealed record RecordArrivals(Places People, Decision Decision, NotPlacedOutcome? BeyondCapacity = null, string? RedirectedTo = null)
    : FacilityCommand(Decision);

/// <summary>The people waiting for a place at the facility now (a level: it replaces the last figure).</summary>
public sealed record ReportWaiting(Places Waiting, Decision Decision) : FacilityCommand(Decision);

public sealed record RecordDepartures(Places People, Decision Decision) : FacilityCommand(Decision);

/// <summary>Transfer step 1, at the destination.</summary>
public sealed record ReserveTransfer(string TransferId, string OriginFacilityId, Places People, Decision Decision) : FacilityCommand(Decision);

/// <summary>Transfer step 2, at the origin.</summary>
public sealed record DepartTransfer(string TransferId, string DestinationFacilityId, Places People, Decision Decision) : FacilityCommand(Decision);

/// <summary>Transfer step 3, at the destination: <c>Departed</c> says how step 2 ended.</summary>
public sealed record CompleteTransfer(string TransferId, bool Departed, string Reason, Decision Decision) : FacilityCommand(Decision);

public sealed record DeclareContingencyPlan(long ExpectedVersion, string Code, string Name, Places Reserve, Decision Decision)
    : FacilityDecision(ExpectedVersion, Decision);

public sealed record ActivateContingencyPlan(long ExpectedVersion, string Code, Decision Decision) : FacilityDecision(ExpectedVersion, Decision);

public sealed record DeactivateContingencyPlan(long ExpectedVersion, string Code, Decision Decision) : FacilityDecision(ExpectedVersion, Decision);

/// <summary>
/// Pure facility decisions: state and command in, events or a refusal out. Places are never overbooked: every
/// allocation is checked against the free places of its category, and the facility stream takes decisions one
/// at a time, so the check and the allocation cannot be separated by another report.
/// </summary>
public static class FacilityDecider
{
    public const string CapacityRule = "reception.capacity";

    public static IReadOnlyList<object> Decide(Facility? state, FacilityCommand command) => (state, command) switch
    {
        (null, RegisterFacility c) => Register(c),
        (not null, RegisterFacility) => throw new RuleViolationException("reception.facility.unique", $"facility {state.Id} is already registered"),
        (null, _) => throw new InvalidOperationException("the facility must be registered before this command"),
        (_, FacilityDecision { ExpectedVersion: var expected }) when expected != state.DecisionVersion =>
            throw new VersionConflictException(state.Id, expected, state.DecisionVersion),
        (_, OpenFacility c) => Open(state, c),
        (_, CloseFacility c) => Close(state, c),
        (_, RecordArrivals c) => Arrive(state, c),
        (_, RecordDepartures c) => Depart(state, c),
        (_, ReportWaiting c) => Wait(state, c),
        (_, ReserveTransfer c) => Reserve(state, c),
        (_, DepartTransfer c) => DepartForTransfer(state, c),
        (_, CompleteTransfer c) => Complete(state, c),
        (_, DeclareContingencyPlan c) => Declare(state, c),
        (_, ActivateContingencyPlan c) => Activate(state, c),
        (_, DeactivateContingencyPlan c) => Deactivate(state, c),
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    };

    private static IReadOnlyList<object> Register(RegisterFacility c)
    {
        var figures = new FacilityFigures(c.Capacity, Places.None, Places.None, c.Open);
        var registered = new FacilityRegistered(c.FacilityId, c.Name, c.Kind, c.Country, c.Region, c.BorderSection,
            c.IsDesignatedCrossingPoint, c.Capacity, c.Thresholds, figures, c.Decision);
        var facility = Facility.Transition(null, registered)!;
        return facility.LodgesAsylumApplications ? [registered, PointStatus(facility, c.Open, c.Decision.DecidedAt)] : [registered];
    }

    private static IReadOnlyList<object> Open(Facility s, OpenFacility c)
    {
        if (s.Figures.Open) throw new RuleViolationException("reception.facility.status", $"{Named(s)} is already open");
        var opened = new FacilityOpened(s.Id, s.Country, s.Region, s.Figures with { Open = true }, c.Decision);
        return s.LodgesAsylumApplications ? [opened, PointStatus(s, true, c.Decision.DecidedAt)] : [opened];
    }

    private static IReadOnlyList<object> Close(Facility s, CloseFacility c)
    {
        if (!s.Figures.Open) throw new RuleViolationException("reception.facility.status", $"{Named(s)} is already closed");
        // A closed facility offers no places; people still there would be counted nowhere.
        if (s.Figures.Occupied.Total + s.Figures.Incoming.Total > 0)
            throw new RuleViolationException("reception.facility.occupied",
                $"{Named(s)} still accommodates {s.Figures.Occupied.Describe()} and expects {s.Figures.Incoming.Describe()}: transfer them or record their departure before closing");
        var closed = new FacilityClosed(s.Id, s.Country, s.Region, s.Figures with { Open = false }, c.Decision);
        return s.LodgesAsylumApplications ? [closed, PointStatus(s, false, c.Decision.DecidedAt)] : [closed];
    }

    private static IReadOnlyList<object> Arrive(Facility s, RecordArrivals c)
    {
        if (c.BeyondCapacity is not { } outcome)
        {
            RequireRoom(Named(s), s.Figures, c.People, "arrivals");
            return Placed(s, c.People, s.NotPlaced, c.Decision);
        }

        // A closed facility has no free place: everyone reported is not placed.
        var free = s.Figures.Free;
        var placed = Places.Of(cat => Math.Min(c.People[cat], free[cat]));
        var beyond = c.People.Subtract(placed);
        var notPlaced = beyond.Total == 0 ? s.NotPlaced : s.NotPlaced.With(outcome, beyond);
        var events = placed.Total == 0 ? [] : Placed(s, placed, notPlaced, c.Decision).ToList();
        if (beyond.Total > 0)
            events.Add(new ArrivalsNotPlaced(s.Id, s.Country, s.Region, s.BorderSection, beyond, outcome,
                outcome == NotPlacedOutcome.Redirected ? c.RedirectedTo : null, notPlaced, c.Decision));
        return events;
    }

    private static IReadOnlyList<object> Placed(Facility s, Places people, NotPlacedFigures notPlaced, Decision decision)
    {
        var after = s.Figures with { Occupied = s.Figures.Occupied.Add(people) };
        return WithStrain(s, new ArrivalsRecorded(s.Id, s.Country, s.Region, people, after, decision), after, false, decision.DecidedAt, notPlaced);
    }

    /// <summary>Recorded even when unchanged: a figure confirmed is a fresh report.</summary>
    private static IReadOnlyList<object> Wait(Facility s, ReportWaiting c) =>
        [new WaitingReported(s.Id, s.Country, s.Region, s.BorderSection, c.Waiting, s.NotPlaced with { Waiting = c.Waiting }, c.Decision)];

    private static IReadOnlyList<object> Depart(Facility s, RecordDepartures c)
    {
        RequireOccupants(Named(s), s.Figures, c.People, "reception.departures.occupancy", "departures");
        var after = s.Figures with { Occupied = s.Figures.Occupied.Subtract(c.People) };
        return WithStrain(s, new DeparturesRecorded(s.Id, s.Country, s.Region, c.People, after, c.Decision), after, false, c.Decision.DecidedAt);
    }

    private static IReadOnlyList<object> Reserve(Facility s, ReserveTransfer c)
    {
        if (s.IncomingTransfers.ContainsKey(c.TransferId) || s.Transfers.ContainsKey(c.TransferId)) return [];
        RequireRoom(Named(s), s.Figures, c.People, "the transfer");
        var after = s.Figures with { Incoming = s.Figures.Incoming.Add(c.People) };
        return [new TransferReserved(s.Id, s.Country, s.Region, c.TransferId, c.OriginFacilityId, c.People, after, c.Decision)];
    }

    private static IReadOnlyList<object> DepartForTransfer(Facility s, DepartTransfer c)
    {
        if (s.Transfers.ContainsKey(c.TransferId)) return [];
        var missing = c.People.Exceeding(s.Figures.Occupied);
        if (missing.Count > 0)
            return [new TransferDepartureRefused(s.Id, c.TransferId, c.DestinationFacilityId, c.People,
                $"{Named(s)} accommodates only {Only(s.Figures.Occupied, missing)}", c.Decision)];
        var after = s.Figures with { Occupied = s.Figures.Occupied.Subtract(c.People) };
        return WithStrain(s, new TransferDeparted(s.Id, s.Country, s.Region, c.TransferId, c.DestinationFacilityId, c.People, after, c.Decision),
            after, false, c.Decision.DecidedAt);
    }

    private static IReadOnlyList<object> Complete(Facility s, CompleteTransfer c)
    {
        if (!s.IncomingTransfers.TryGetValue(c.TransferId, out var pending)) return [];
        var held = s.Figures with { Incoming = s.Figures.Incoming.Subtract(pending.People) };
        if (!c.Departed)
            return [new TransferCancelled(s.Id, s.Country, s.Region, c.TransferId, pending.OriginFacilityId, pending.People, c.Reason, held, c.Decision)];
        var after = held with { Occupied = held.Occupied.Add(pending.People) };
        return WithStrain(s, new TransferArrived(s.Id, s.Country, s.Region, c.TransferId, pending.OriginFacilityId, pending.People, after, c.Decision),
            after, false, c.Decision.DecidedAt);
    }

    private static IReadOnlyList<object> Declare(Facility s, DeclareContingencyPlan c)
    {
        if (s.Plans.ContainsKey(c.Code))
            throw new RuleViolationException("reception.contingency.unique", $"{Named(s)} already has a contingency plan '{c.Code}'");
        return [new ContingencyPlanDeclared(s.Id, s.Country, s.Region, c.Code, c.Name, c.Reserve, c.Decision)];
    }

    private static IReadOnlyList<object> Activate(Facility s, ActivateContingencyPlan c)
    {
        var plan = PlanOf(s, c.Code);
        if (plan.Active) throw new RuleViolationException("reception.contingency.active", $"contingency plan '{c.Code}' of {Named(s)} is already active");
        var after = s.Figures with { Capacity = s.Figures.Capacity.Add(plan.Reserve) };
        return WithStrain(s, new ContingencyActivated(s.Id, s.Country, s.Region, c.Code, plan.Reserve, after, c.Decision), after, true,
            c.Decision.DecidedAt);
    }

    /// <summary>
    /// Refused while the places it would remove are taken: people are never left in places that do not exist.
    /// The ministry transfers them (or records their departure) and deactivates then.
    /// </summary>
    private static IReadOnlyList<object> Deactivate(Facility s, DeactivateContingencyPlan c)
    {
        var plan = PlanOf(s, c.Code);
        if (!plan.Active) throw new RuleViolationException("reception.contingency.inactive", $"contingency plan '{c.Code}' of {Named(s)} is not active");
        var remaining = s.Figures.Capacity.Subtract(plan.Reserve);
        var taken = s.Figures.Occupied.Add(s.Figures.Incoming);
        var over = taken.Exceeding(remaining);
        if (over.Count > 0)
            throw new RuleViolationException("reception.contingency.occupied",
                $"deactivating '{c.Code}' would leave {string.Join(", ", over.Select(cat => $"{taken[cat]} {Places.Name(cat)} in {remaining[cat]} place(s)"))} at {Named(s)}: transfer people or record their departure first");
        var after = s.Figures with { Capacity = remaining };
        return WithStrain(s, new ContingencyDeactivated(s.Id, s.Country, s.Region, c.Code, plan.Reserve, after, c.Decision), after, true,
            c.Decision.DecidedAt);
    }

    /// <summary>The no-overbooking rule: all or nothing, naming the free places left.</summary>
    public static void RequireRoom(string facility, FacilityFigures figures, Places people, string what)
    {
        if (!figures.Open)
            throw new RuleViolationException("reception.facility.closed", $"{facility} is closed and takes no {what}");
        var free = figures.Free;
        var over = people.Exceeding(free);
        if (over.Count > 0)
            throw new RuleViolationException(CapacityRule,
                $"{facility} has no room for {what} of {people.Describe()}: {string.Join(", ", over.Select(c => $"{people[c]} {Places.Name(c)} reported, {free[c]} free"))}; free places left: {free.DescribeAll()}; nothing was recorded");
    }

    /// <summary>Nobody leaves a facility who is not there.</summary>
    public static void RequireOccupants(string facility, FacilityFigures figures, Places people, string rule, string what)
    {
        var missing = people.Exceeding(figures.Occupied);
        if (missing.Count > 0)
            throw new RuleViolationException(rule, $"{what} of {people.Describe()} exceed who is there: {facility} accommodates only {Only(figures.Occupied, missing)}");
    }

    private static string Only(Places occupied, IReadOnlyList<Category> categories) =>
        string.Join(", ", categories.Select(c => $"{occupied[c]} {Places.Name(c)}"));

    private static ContingencyPlan PlanOf(Facility s, string code) =>
        s.Plans.TryGetValue(code, out var plan) ? plan : throw new NotFoundException("contingency plan", $"{s.Id}/{code}");

    private static IReadOnlyList<object> WithStrain(Facility s, object change, FacilityFigures after, bool followsDecision, DateTimeOffset at,
        NotPlacedFigures? notPlaced = null)
    {
        var from = s.Strain;
        var to = after.StrainUnder(s.Thresholds);
        return from == to
            ? [change]
            : [change, new FacilityStrainChanged(s.Id, s.Country, s.Region, s.BorderSection, from, to, after.Offered.Total, after.Occupied.Total,
                after.Rate, followsDecision, at, notPlaced ?? s.NotPlaced)];
    }

    private static RegistrationPointStatusChanged PointStatus(Facility s, bool open, DateTimeOffset at) =>
        new(s.Id, s.Country, s.BorderSection, s.IsDesignatedCrossingPoint, open, at);

    public static string Named(string name, string id) => $"{name} ({id})";

    private static string Named(Facility s) => Named(s.Name, s.Id);
}
