namespace CrisisOps.Contracts.Humanitarian.V1;

// Integration events owned by the humanitarian support service, version 1. Shipped records are never edited.
// Aggregate figures only: counts of people, never people.

/// <summary>A needs assessment was recorded for a location and sector (OCHA population statuses).</summary>
public sealed record NeedsAssessed(
    string AssessmentId,
    string Country,
    string Location,
    string Sector,
    int Affected,
    int InNeed,
    int Targeted,
    int Reached,
    DecisionInfo Decision);

/// <summary>A request for assistance was opened (by a ministry, or automatically on a reception overflow).</summary>
public sealed record AssistanceRequested(
    string RequestId,
    string Country,
    string Location,
    string Sector,
    string Item,
    int Quantity,
    DateTimeOffset Deadline,
    string Origin,
    DecisionInfo Decision);

/// <summary>A partner pledged (part of) what a request asks for.</summary>
public sealed record PledgeMade(string RequestId, string PledgeId, string Partner, int Quantity, DecisionInfo Decision);

/// <summary>A partner delivered against a request; <c>Remaining</c> is what is still unmet.</summary>
public sealed record DeliveryRecorded(string RequestId, string PledgeId, string Partner, int Quantity, int Remaining, DecisionInfo Decision);

/// <summary>A request was still unmet at its deadline: access to basic needs must be guaranteed upon arrival.</summary>
public sealed record AssistanceDeadlineMissed(string RequestId, string Country, string Location, string Sector, int Remaining, DateTimeOffset Deadline);

/// <summary>A partner withdrew what it had not yet delivered of a pledge; <c>Released</c> is unpledged again.</summary>
public sealed record PledgeWithdrawn(string RequestId, string PledgeId, string Partner, int Released, DecisionInfo Decision);

/// <summary>The requesting ministry cancelled a request; <c>Remaining</c> had not been delivered.</summary>
public sealed record AssistanceRequestCancelled(string RequestId, string Country, int Remaining, DecisionInfo Decision);
