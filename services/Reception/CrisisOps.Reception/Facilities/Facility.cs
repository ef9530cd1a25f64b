using System.Collections.Immutable;
using CrisisOps.Legal;

namespace CrisisOps.Reception.Facilities;

public enum FacilityKind { RegistrationPoint, ReceptionCentre, EmergencyShelter, ClosedFacility }

/// <summary>Open and closed are decisions; full is derived from occupancy.</summary>
public enum FacilityStatus { Open, Full, Closed }

/// <summary>A facility's numbers at one moment.</summary>
/// <param name="Capacity">Places, including those of active contingency plans.</param>
/// <param name="Occupied">People accommodated.</param>
/// <param name="Incoming">Places held for transfers on their way in: not free, not yet occupied.</param>
/// <param name="Open">The facility takes people (a decision).</param>
public sealed record FacilityFigures(Places Capacity, Places Occupied, Places Incoming, bool Open)
{
    /// <summary>What can still be allocated: nothing while closed.</summary>
    public Places Free => Open ? Places.Of(c => Math.Max(0, Capacity[c] - Occupied[c] - Incoming[c])) : Places.None;

    /// <summary>The capacity the facility offers: none while closed.</summary>
    public Places Offered => Open ? Capacity : Places.None;

    public FacilityStatus Status => !Open ? FacilityStatus.Closed : Free.Total == 0 ? FacilityStatus.Full : FacilityStatus.Open;

    public double Rate => StrainThresholds.Rate(Occupied.Total, Offered.Total);

    public StrainLevel StrainUnder(StrainThresholds thresholds) => thresholds.LevelOf(Occupied.Total, Offered.Total);
}

/// <summary>An event that leaves the facility with new figures; <c>After</c> is what the decision computed.</summary>
public interface IFiguresChange
{
    FacilityFigures After { get; }
}

/// <summary>A change of occupancy from an aggregate movement: reports do not move the decision version.</summary>
public interface IMovement : IFiguresChange;

// Events of a facility stream. Country and region ride on each so that the relay maps them without the state.

public sealed record FacilityRegistered(
    string FacilityId,
    string Name,
    FacilityKind Kind,
    string Country,
    string Region,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    Places Capacity,
    StrainThresholds Thresholds,
    FacilityFigures After,
    Decision Decision) : IRecordedDecision, IFiguresChange;

public sealed record FacilityOpened(string FacilityId, string Country, string Region, FacilityFigures After, Decision Decision)
    : IRecordedDecision, IFiguresChange;

public sealed record FacilityClosed(string FacilityId, string Country, string Region, FacilityFigures After, Decision Decision)
    : IRecordedDecision, IFiguresChange;

/// <summary>
/// A place where an asylum application can be lodged opened or closed (at registration too): the legal measures
/// service lets crossing points close only while one stays open (CFMR Art. 10(5)).
/// </summary>
public sealed record RegistrationPointStatusChanged(
    string FacilityId,
    string Country,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    bool Open,
    DateTimeOffset ChangedAt);

public sealed record ArrivalsRecorded(string FacilityId, string Country, string Region, Places People, FacilityFigures After, Decision Decision)
    : IRecordedDecision, IMovement;

/// <summary>
/// Arrivals the facility had no free place for, and what became of them (turned away, sent to another facility, or
/// waiting there): recorded with the report that brought them, after the places it could take
/// (<see cref="ArrivalsRecorded"/>). <c>NotPlaced</c> is the facility's figures after it.
/// </summary>
public sealed record ArrivalsNotPlaced(
    string FacilityId,
    string Country,
    string Region,
    string BorderSection,
    Places People,
    NotPlacedOutcome Outcome,
    string? RedirectedTo,
    NotPlacedFigures NotPlaced,
    Decision Decision) : IRecordedDecision, INotPlacedReport;

/// <summary>The people waiting for a place at a facility or crossing point, as it reports them now (the figure replaces the last).</summary>
public sealed record WaitingReported(
    string FacilityId,
    string Country,
    string Region,
    string BorderSection,
    Places Waiting,
    NotPlacedFigures NotPlaced,
    Decision Decision) : IRecordedDecision, INotPlacedReport;

public sealed record DeparturesRecorded(string FacilityId, string Country, string Region, Places People, FacilityFigures After, Decision Decision)
    : IRecordedDecision, IMovement;

/// <summary>Transfer, step 1, at the destination: places held for people who are still at the origin.</summary>
public sealed record TransferReserved(
    string FacilityId,
    string Country,
    string Region,
    string TransferId,
    string OriginFacilityId,
    Places People,
    FacilityFigures After,
    Decision Decision) : IRecordedDecision, IMovement;

/// <summary>Transfer, step 2, at the origin: the people left for the destination.</summary>
public sealed record TransferDeparted(
    string FacilityId,
    string Country,
    string Region,
    string TransferId,
    string DestinationFacilityId,
    Places People,
    FacilityFigures After,
    Decision Decision) : IRecordedDecision, IMovement;

/// <summary>
/// Transfer, step 2, at the origin, when the people were no longer there (they departed meanwhile). Recorded, so
/// that the outcome of the step is fixed once and a late retry cannot make them leave after the transfer was cancelled.
/// </summary>
public sealed record TransferDepartureRefused(
    string FacilityId,
    string TransferId,
    string DestinationFacilityId,
    Places People,
    string Reason,
    Decision Decision) : IRecordedDecision;

/// <summary>Transfer, step 3, at the destination: the held places are now occupied.</summary>
public sealed record TransferArrived(
    string FacilityId,
    string Country,
    string Region,
    string TransferId,
    string OriginFacilityId,
    Places People,
    FacilityFigures After,
    Decision Decision) : IRecordedDecision, IMovement;

/// <summary>Transfer, step 3, at the destination, when the origin refused: the held places are free again.</summary>
public sealed record TransferCancelled(
    string FacilityId,
    string Country,
    string Region,
    string TransferId,
    string OriginFacilityId,
    Places People,
    string Reason,
    FacilityFigures After,
    Decision Decision) : IRecordedDecision, IMovement;

public sealed record ContingencyPlanDeclared(string FacilityId, string Country, string Region, string PlanCode, string Name, Places Reserve,
    Decision Decision) : IRecordedDecision;

public sealed record ContingencyActivated(string FacilityId, string Country, string Region, string PlanCode, Places Reserve,
    FacilityFigures After, Decision Decision) : IRecordedDecision, IFiguresChange;

public sealed record ContingencyDeactivated(string FacilityId, string Country, string Region, string PlanCode, Places Reserve,
    FacilityFigures After, Decision Decision) : IRecordedDecision, IFiguresChange;

/// <summary>The facility's strain level changed with the event before it (a report, or a decision when <c>FollowsDecision</c>).</summary>
/// <remarks><c>NotPlaced</c>: the facility's not-placed figures then; absent on events recorded before they were counted.</remarks>
public sealed record FacilityStrainChanged(
    string FacilityId,
    string Country,
    string Region,
    string BorderSection,
    StrainLevel From,
    StrainLevel To,
    int Capacity,
    int Occupied,
    double Rate,
    bool FollowsDecision,
    DateTimeOffset ChangedAt,
    NotPlacedFigures? NotPlaced = null);

public sealed record ContingencyPlan(string Code, string Name, Places Reserve, bool Active);

public sealed record PendingTransfer(string TransferId, string OriginFacilityId, Places People, DateTimeOffset ReservedAt);

/// <summary>How a transfer ended at this facility.</summary>
public enum TransferOutcome { Departed, DepartureRefused, Arrived, Cancelled }

/// <summary>
/// The state facility decisions need. <c>DecisionVersion</c> is the stream version after the last decision (reports do
/// not move it): decisions are taken on it, so that a stream of reports cannot make them fail as stale.
/// </summary>
public sealed record Facility(
    string Id,
    string Name,
    FacilityKind Kind,
    string Country,
    string Region,
    string BorderSection,
    bool IsDesignatedCrossingPoint,
    Places RegisteredCapacity,
    StrainThresholds Thresholds,
    FacilityFigures Figures,
    NotPlacedFigures NotPlaced,
    ImmutableDictionary<string, ContingencyPlan> Plans,
    ImmutableDictionary<string, PendingTransfer> IncomingTransfers,
    ImmutableDictionary<string, TransferOutcome> Transfers,
    long Version,
    long DecisionVersion,
    DateTimeOffset RegisteredAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Where an asylum application can be lodged: the legal measures service is told when it opens or closes.</summary>
    public bool LodgesAsylumApplications => Kind == FacilityKind.RegistrationPoint || IsDesignatedCrossingPoint;

    public StrainLevel Strain => Figures.StrainUnder(Thresholds);

    public Places ActiveReserve => Places.Sum(Plans.Values.Where(p => p.Active).Select(p => p.Reserve));

    public static Facility? Transition(Facility? state, object @event)
    {
        var next = (state, @event) switch
        {
            (null, FacilityRegistered e) => new Facility(e.FacilityId, e.Name, e.Kind, e.Country, e.Region, e.BorderSection,
                e.IsDesignatedCrossingPoint, e.Capacity, e.Thresholds, e.After, NotPlacedFigures.None, ImmutableDictionary<string, ContingencyPlan>.Empty,
                ImmutableDictionary<string, PendingTransfer>.Empty, ImmutableDictionary<string, TransferOutcome>.Empty, 0, 0,
                e.Decision.DecidedAt, e.Decision.DecidedAt),
            (not null, TransferReserved e) => state with
            {
                IncomingTransfers = state.IncomingTransfers.SetItem(e.TransferId,
                    new PendingTransfer(e.TransferId, e.OriginFacilityId, e.People, e.Decision.DecidedAt)),
            },
            (not null, TransferDeparted e) => state with { Transfers = state.Transfers.SetItem(e.TransferId, TransferOutcome.Departed) },
            (not null, TransferDepartureRefused e) => state with { Transfers = state.Transfers.SetItem(e.TransferId, TransferOutcome.DepartureRefused) },
            (not null, TransferArrived e) => state with
            {
                IncomingTransfers = state.IncomingTransfers.Remove(e.TransferId),
                Transfers = state.Transfers.SetItem(e.TransferId, TransferOutcome.Arrived),
            },
            (not null, TransferCancelled e) => state with
            {
                IncomingTransfers = state.IncomingTransfers.Remove(e.TransferId),
                Transfers = state.Transfers.SetItem(e.TransferId, TransferOutcome.Cancelled),
            },
            (not null, ContingencyPlanDeclared e) => state with { Plans = state.Plans.SetItem(e.PlanCode, new ContingencyPlan(e.PlanCode, e.Name, e.Reserve, false)) },
            (not null, ContingencyActivated e) => state with { Plans = state.Plans.SetItem(e.PlanCode, state.Plans[e.PlanCode] with { Active = true }) },
            (not null, ContingencyDeactivated e) => state with { Plans = state.Plans.SetItem(e.PlanCode, state.Plans[e.PlanCode] with { Active = false }) },
            (not null, INotPlacedReport e) => state with { NotPlaced = e.NotPlaced },
            (not null, FacilityOpened or FacilityClosed or ArrivalsRecorded or DeparturesRecorded or RegistrationPointStatusChanged
                or FacilityStrainChanged) => state,
            _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to facility state {state?.Id ?? "(none)"}"),
        };
        var version = (state?.Version ?? 0) + 1;
        return next with
        {
            Figures = @event is IFiguresChange change ? change.After : next.Figures,
            Version = version,
            DecisionVersion = MovesDecisionVersion(@event) ? version : next.DecisionVersion,
            UpdatedAt = TimeOf(@event) is var at && at > next.UpdatedAt ? at : next.UpdatedAt,
        };
    }

    /// <summary>Decisions and what follows them in their own batch move the decision version; reports and their strain do not.</summary>
    private static bool MovesDecisionVersion(object @event) => @event switch
    {
        IMovement or TransferDepartureRefused or INotPlacedReport => false,
        FacilityStrainChanged s => s.FollowsDecision,
        _ => true,
    };

    /// <summary>When an event took effect (the decision or report time), for pictures as of a moment.</summary>
    public static DateTimeOffset TimeOf(object @event) => @event switch
    {
        IRecordedDecision d => d.Decision.DecidedAt,
        RegistrationPointStatusChanged e => e.ChangedAt,
        FacilityStrainChanged e => e.ChangedAt,
        _ => throw new InvalidOperationException($"{@event.GetType().Name} has no time"),
    };
}
