using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;

namespace CrisisOps.Auditor.Core.Checks;

/// <summary>Every decision names an authenticated actor, a legal basis where one is required, and a justification.</summary>
public static class DecisionRules
{
    /// <summary>The decisions the system takes by itself at a deadline fixed by an earlier human decision, or by cascade.</summary>
    public static readonly IReadOnlySet<string> SystemDecisions = new HashSet<string>(StringComparer.Ordinal)
    {
        "emergency_expired", "measure_expired", "measure_ended", "leverage_lapsed", "leverage_review_fell_due", "leverage_flagged_for_review",
    };

    /// <summary>
    /// The decisions of the three audited services that only a ministry of the country concerned may take, unless the
    /// act's legal basis gives it to an EU institution (<see cref="DecidingAuthority"/>).
    /// </summary>
    public static readonly IReadOnlySet<string> MinistryDecisions = new HashSet<string>(StringComparer.Ordinal)
    {
        "crisis_declared", "emergency_declared", "emergency_extended", "emergency_lifted", "crisis_stage_changed", "crisis_ended",
        "measure_enacted", "measure_extended", "measure_amended", "measure_revoked", "measure_endorsed", "measure_annulled",
        "leverage_proposed", "ally_position_recorded", "leverage_imposed", "leverage_reviewed", "leverage_renewed", "leverage_escalated",
        "leverage_suspended", "leverage_resumed", "leverage_lifted",
    };

    /// <summary>The decisions that put something in force or change its term or content: they must cite their legal basis.</summary>
    public static readonly IReadOnlySet<string> NeedLegalBasis = new HashSet<string>(StringComparer.Ordinal)
    {
        "emergency_declared", "emergency_extended", "measure_enacted", "measure_extended", "measure_amended",
        "leverage_imposed", "leverage_renewed", "leverage_escalated",
    };

    private static readonly HashSet<string> Roles = new(StringComparer.Ordinal)
    {
        "Ministry", "Coordinator", "Auditor", "Partner", "System", "EuInstitution",
    };

    /// <summary>
    /// The decisions whose deciding authority is the act's legal basis's (<see cref="LegalBasis.DecidedBy"/>): an
    /// emergency's declaration, extension and lifting, and a leverage's imposition and every decision on it in force.
    /// </summary>
    public static readonly IReadOnlySet<string> ActsUnderTheirBasis = new HashSet<string>(StringComparer.Ordinal)
    {
        "emergency_declared", "emergency_extended", "emergency_lifted",
        "leverage_imposed", "leverage_reviewed", "leverage_renewed", "leverage_escalated", "leverage_suspended", "leverage_resumed", "leverage_lifted",
    };

    /// <summary>
    /// The breaches of one decision event. <paramref name="expectedBasis"/> is the basis the catalogue gives for what was
    /// decided on, when the audit knows it; a lifted leverage is the system's decision when its crisis de-escalated.
    /// <paramref name="act"/> is the legal basis of the act decided on, for <see cref="ActsUnderTheirBasis"/>: its
    /// deciding level says who may record the decision.
    /// </summary>
    public static IReadOnlyList<Breach> Check(string eventType, StoredDecision decision, string? country, string? expectedBasis,
        bool systemMayDecide = false, LegalBasis? act = null)
    {
        var breaches = new List<Breach>(0);
        var actor = decision.Actor;
        var role = actor?.Role ?? "";
        string Who() => $"{actor?.Subject ?? "(no subject)"} ({(role.Length == 0 ? "no role" : role)})";
        var knownType = MinistryDecisions.Contains(eventType) || SystemDecisions.Contains(eventType);
        if (string.IsNullOrWhiteSpace(actor?.Subject))
            breaches.Add(new("decision.actor", $"{eventType} names no actor"));
        else if (!Roles.Contains(role))
            breaches.Add(new("decision.actor", $"{eventType} was decided by {Who()}: not a CrisisOps role"));
        else if (role == "Auditor")
            breaches.Add(new("decision.actor", $"{eventType} was decided by {Who()}: auditors only read"));
        else if (knownType && role == "System" && !(SystemDecisions.Contains(eventType) || systemMayDecide))
            breaches.Add(new("decision.actor", $"{eventType} is a human decision but names the system ({Who()}) as its actor"));
        else if (act is not null && ActsUnderTheirBasis.Contains(eventType) && role != "System")
        {
            if (DecidingAuthority.Refusal(Enum.Parse<Role>(role), actor!.Country ?? "", act.DecidedBy, country ?? "", act.Code) is { } reason)
                breaches.Add(new("decision.deciding-authority", $"{eventType} by {Who()}: {reason}"));
        }
        else if (MinistryDecisions.Contains(eventType) && role != "Ministry" && !(systemMayDecide && role == "System"))
            breaches.Add(new("decision.actor", $"{eventType} may be decided by a ministry only, not by {Who()}"));
        else if (role == "Ministry" && country is { Length: > 0 } && knownType
            && !string.Equals(actor!.Country, country, StringComparison.OrdinalIgnoreCase))
            breaches.Add(new("decision.actor", $"{eventType} concerns {country} but was decided by {Who()}, a ministry of {actor.Country}"));

        if (string.IsNullOrWhiteSpace(decision.Justification))
            breaches.Add(new("decision.justification", $"{eventType} by {Who()} gives no justification"));

        if (NeedLegalBasis.Contains(eventType))
        {
            if (string.IsNullOrWhiteSpace(decision.LegalBasis))
                breaches.Add(new("decision.legal-basis", $"{eventType} by {Who()} cites no legal basis"));
            else if (expectedBasis is not null && decision.LegalBasis != expectedBasis)
                breaches.Add(new("decision.legal-basis", $"{eventType} cites '{decision.LegalBasis}', not its catalogue basis '{expectedBasis}'"));
        }

        return breaches;
    }
}
