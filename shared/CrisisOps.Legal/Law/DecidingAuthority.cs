namespace CrisisOps.Legal.Law;

/// <summary>
/// Who may record an act under a legal basis (<see cref="LegalBasis.DecidedBy"/>): a member state's own act by a
/// ministry of that state, a Council or Commission act by an EU institution, never one borrowing the other's role.
/// The services refuse by it and the audit checks by it: one rule, the same verdict.
/// </summary>
public static class DecidingAuthority
{
    /// <summary>
    /// Why <paramref name="role"/> (of <paramref name="actorCountry"/>) may not record an act of
    /// <paramref name="level"/> concerning <paramref name="country"/>; null when it may.
    /// </summary>
    public static string? Refusal(Role role, string actorCountry, DecidingLevel level, string country, string basisCode) =>
        level switch
        {
            DecidingLevel.EuInstitution when role != Role.EuInstitution =>
                $"{basisCode} is an act of an EU institution (the Council or the Commission): it is recorded by an EU-institution actor, not by a {Describe(role, actorCountry)}",
            DecidingLevel.MemberState when role != Role.Ministry =>
                $"{basisCode} is a member state's own act: it is recorded by a ministry of {country}, not by {Article(role)} {Describe(role, actorCountry)}",
            DecidingLevel.MemberState when !string.Equals(actorCountry, country, StringComparison.OrdinalIgnoreCase) =>
                $"{basisCode} is {country}'s own act: a ministry of {actorCountry} cannot record it",
            _ => null,
        };

    /// <summary>Refuses (<see cref="NotPermittedException"/>, with the <see cref="Refusal"/>) unless <paramref name="actor"/> may record the act.</summary>
    public static void Ensure(Actor actor, DecidingLevel level, string country, string basisCode)
    {
        if (Refusal(actor.Role, actor.Country, level, country, basisCode) is { } reason) throw new NotPermittedException(reason);
    }

    private static string Describe(Role role, string country) => role switch
    {
        Role.Ministry => $"ministry of {country}",
        Role.EuInstitution => "EU institution",
        _ => role.ToString().ToLowerInvariant(),
    };

    private static string Article(Role role) => role == Role.EuInstitution ? "an" : "a";
}
