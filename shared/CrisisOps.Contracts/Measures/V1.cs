namespace CrisisOps.Contracts.Measures.V1;

// Integration events owned by the emergency legal measures service, version 1. Shipped records are never edited.

/// <summary>A measure was enacted under a legal basis of the catalogue.</summary>
public sealed record MeasureEnacted(
    string MeasureId,
    string Country,
    string MeasureType,
    string Category,
    string Context,
    string Scope,
    string Purpose,
    string? CrisisId,
    IReadOnlyList<string> Territory,
    DateOnly StartDate,
    DateOnly? EndDate,
    DateOnly? LegalMaxEnd,
    DateTimeOffset? ExpiresAt,
    DecisionInfo Decision);

public sealed record MeasureExtended(string MeasureId, string Country, int ExtensionNumber, DateOnly NewEndDate, DateTimeOffset ExpiresAt,
    string? ConsentReference, DecisionInfo Decision);

public sealed record MeasureAmended(string MeasureId, string Country, IReadOnlyList<string> Territory, DecisionInfo Decision);

public sealed record MeasureRevoked(string MeasureId, string Country, DecisionInfo Decision);

public sealed record MeasureEndorsed(string MeasureId, string Country, string ConfirmationReference, DecisionInfo Decision);

public sealed record MeasureAnnulled(string MeasureId, string Country, string ConfirmationReference, DecisionInfo Decision);

/// <summary>A measure reached its legal end. <c>ExpiredAt</c> is the legal end.</summary>
public sealed record MeasureExpired(string MeasureId, string Country, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt);

/// <summary>A measure ended with its crisis or with the emergency it was taken under (<c>Reason</c>).</summary>
public sealed record MeasureEndedWithCrisis(string MeasureId, string Country, string CrisisId, string Reason, DateTimeOffset EndedAt);

/// <summary>A command was refused because it would have crossed a non-derogable safeguard.</summary>
public sealed record SafeguardBreachRefused(string Country, string MeasureType, string Rule, string Reason, DecisionInfo AttemptedBy);

/// <summary>
/// The legal clock and basis of a measure just enacted, published beside <see cref="MeasureEnacted"/> (same message
/// id): its citable legal basis and act, the last day its total cap allows, how many extensions are permitted, and its
/// review date when it runs until repealed. Added for the situation picture; <see cref="MeasureEnacted"/> stays as shipped.
/// </summary>
public sealed record MeasureLegalTermSet(
    string MeasureId,
    string Country,
    string LegalBasisCitation,
    string LegalActReference,
    string DecidingAuthority,
    DateOnly? TotalCapEnd,
    int? MaxExtensions,
    DateOnly? ReviewDueAt,
    bool Provisional);
