namespace CrisisOps.Contracts.Declaration.V1;

// Integration events owned by the crisis declaration service, version 1. Shipped records are never edited:
// a change of shape is a new type in a V2 namespace, published beside V1 until every consumer has moved.

/// <summary>A crisis was declared for a target country.</summary>
public sealed record CrisisDeclared(
    string CrisisId,
    string TargetCountry,
    IReadOnlyList<string> BorderSections,
    string Perpetrator,
    string PerpetratorKind,
    string Scenario,
    bool QualifiesAsInstrumentalization,
    string Stage,
    DecisionInfo Decision);

/// <summary>An emergency was declared on a crisis under a legal basis from the catalogue.</summary>
public sealed record EmergencyDeclared(
    string CrisisId,
    string TargetCountry,
    string LegalBasisCode,
    string CatalogueVersion,
    DateOnly StartDate,
    DateOnly EndDate,
    DateOnly LegalMaxEnd,
    DateTimeOffset ExpiresAt,
    DecisionInfo Decision);

/// <summary>An emergency was lawfully extended.</summary>
public sealed record EmergencyExtended(
    string CrisisId,
    string TargetCountry,
    int ExtensionNumber,
    DateOnly NewEndDate,
    DateTimeOffset ExpiresAt,
    string? ConsentReference,
    DecisionInfo Decision);

/// <summary>An emergency reached its legal end without a lawful extension. <c>ExpiredAt</c> is the legal end.</summary>
public sealed record EmergencyExpired(
    string CrisisId,
    string TargetCountry,
    string LegalBasisCode,
    DateTimeOffset ExpiredAt,
    DateTimeOffset RecordedAt);

/// <summary>An emergency was lifted before its legal end.</summary>
public sealed record EmergencyLifted(string CrisisId, string TargetCountry, DecisionInfo Decision);

/// <summary>A crisis moved between Blueprint stages (escalated or de-escalated).</summary>
public sealed record CrisisStageChanged(string CrisisId, string TargetCountry, string From, string To, DecisionInfo Decision);

/// <summary>A crisis was ended (its emergency, if any, ends with it).</summary>
public sealed record CrisisEnded(string CrisisId, string TargetCountry, DecisionInfo Decision);

/// <summary>The early-warning alert level of a border section changed.</summary>
public sealed record AlertLevelChanged(string TargetCountry, string BorderSection, string From, string To, DateTimeOffset ChangedAt);

/// <summary>
/// The legal clock of an emergency just declared, published beside <see cref="EmergencyDeclared"/> (same message id):
/// the last day its total cap allows and how many extensions its legal basis permits. Added for the situation picture's
/// legal-clock board; <see cref="EmergencyDeclared"/> stays as shipped.
/// </summary>
public sealed record EmergencyLegalTermSet(
    string CrisisId,
    string TargetCountry,
    string LegalBasisCode,
    string CatalogueVersion,
    DateOnly? TotalCapEnd,
    int? MaxExtensions);
