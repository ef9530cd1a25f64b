namespace CrisisOps.Contracts;

/// <summary>Who decided, under which legal basis and why: carried by every decision published on the bus.</summary>
public sealed record DecisionInfo(
    string ActorSubject,
    string ActorName,
    string Role,
    string Ministry,
    string Country,
    string? LegalBasis,
    string Justification,
    DateTimeOffset DecidedAt);
