using System.Text.Json.Serialization;

namespace CrisisOps.Legal;

/// <summary>The roles a bearer token can carry.</summary>
public enum Role
{
    /// <summary>A ministry of one target country: acts and reads for that country only.</summary>
    Ministry,
    /// <summary>A Blueprint-network coordinator: reads everything.</summary>
    Coordinator,
    /// <summary>An auditor: read-only, replays history.</summary>
    Auditor,
    /// <summary>A humanitarian partner (IOM, UNHCR, an EU agency, an NGO, another state): pledges and delivers aid.</summary>
    Partner,
    /// <summary>The system itself acting at a legal deadline fixed by an earlier human decision.</summary>
    System,
    /// <summary>
    /// An EU institution (the Council, the Commission): records the acts the law gives to it, such as a CFMR Council
    /// implementing decision or restrictive measures, for the member state they concern; reads every member state.
    /// </summary>
    EuInstitution,
}

/// <summary>Who decided: always taken from the authenticated token, never from request fields.</summary>
/// <param name="Subject">The token subject (a stable user or service id).</param>
/// <param name="Name">Display name.</param>
/// <param name="Role">The role the token grants.</param>
/// <param name="Organisation">The ministry, EU institution or partner organisation the actor speaks for, if any.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code of the actor's country; empty for coordinators and auditors.</param>
public sealed record Actor(string Subject, string Name, Role Role, string Organisation, string Country)
{
    /// <summary>The actor recorded on decisions the system takes by itself at a legal deadline.</summary>
    public static readonly Actor LegalDeadline = new("system:legal-deadline", "CrisisOps legal deadline", Role.System, "", "");

    /// <summary>The actor recorded on decisions that follow from a crisis's end or de-escalation, decided elsewhere.</summary>
    public static readonly Actor CrisisCascade = new("system:crisis-cascade", "CrisisOps crisis cascade", Role.System, "", "");

    /// <summary>
    /// Decisions recorded before <see cref="Organisation"/> had that name carry the ministry as <c>"Ministry"</c>: read
    /// into <see cref="Organisation"/>, so that their histories and refused attempts still load; never written.
    /// </summary>
    [JsonInclude]
    [JsonPropertyName("Ministry")]
    private string? LegacyMinistry
    {
        init
        {
            if (Organisation is null) Organisation = value ?? "";
        }
    }

    /// <summary>Whether this actor may record decisions for <paramref name="country"/>.</summary>
    public bool MayActFor(string country) =>
        Role == Role.Ministry && string.Equals(Country, country, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this actor may read what concerns <paramref name="country"/>.</summary>
    public bool MayRead(string country) =>
        Role is Role.Coordinator or Role.Auditor or Role.System or Role.EuInstitution || MayActFor(country);
}

/// <summary>
/// The metadata every decision event carries: who decided, when, under which legal basis and why.
/// </summary>
/// <param name="Actor">The authenticated actor.</param>
/// <param name="DecidedAt">When the decision was taken (system time at the edge).</param>
/// <param name="LegalBasis">The citable legal basis (catalogue code or ELI) where the decision has one.</param>
/// <param name="Justification">Why, in the decider's words.</param>
/// <param name="RequestId">The client's request id (idempotency key) the decision came in with.</param>
public sealed record Decision(Actor Actor, DateTimeOffset DecidedAt, string? LegalBasis, string Justification, string RequestId);

/// <summary>An event that records a decision (or an observation someone is accountable for).</summary>
public interface IRecordedDecision
{
    /// <summary>Who, when, under which basis and why.</summary>
    Decision Decision { get; }
}
