namespace CrisisOps.Contracts;

/// <summary>
/// The bearer-token contract between whoever mints tokens (an OIDC issuer, or <c>crisisops token mint</c> locally)
/// and the services that validate them: claim names, the local issuer, the audience and the roles.
/// </summary>
public static class TokenContract
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>ISO 3166-1 alpha-2 code; required on ministry tokens.</summary>
    public const string Country = "country";
    public const string Ministry = "ministry";
    /// <summary>The organisation the bearer speaks for (partner and EU-institution tokens).</summary>
    public const string Organisation = "organisation";

    /// <summary>The issuer of locally minted tokens.</summary>
    public const string LocalIssuer = "crisisops-local";
    /// <summary>The audience every service expects.</summary>
    public const string Audience = "crisisops";

    /// <summary>Acts and reads for its own country only.</summary>
    public const string MinistryRole = "ministry";
    /// <summary>Reads everything (Blueprint-network coordinators).</summary>
    public const string CoordinatorRole = "coordinator";
    /// <summary>Reads everything, writes nothing, replays history.</summary>
    public const string AuditorRole = "auditor";

    /// <summary>Pledges and delivers humanitarian aid for its organisation (organisation claim required).</summary>
    public const string PartnerRole = "partner";

    /// <summary>
    /// Records the acts the law gives to an EU institution (a CFMR Council implementing decision, restrictive measures,
    /// a visa suspension) for the member state they concern (organisation claim required: the Council, the Commission).
    /// </summary>
    public const string EuInstitutionRole = "eu-institution";

    /// <summary>Every role a CrisisOps token can carry.</summary>
    public static readonly IReadOnlyList<string> Roles = [MinistryRole, CoordinatorRole, AuditorRole, PartnerRole, EuInstitutionRole];

    /// <summary>The roles whose organisation is carried in <see cref="Organisation"/> (a ministry's is in <see cref="Ministry"/>).</summary>
    public static bool NamesOrganisation(string role) => role is PartnerRole or EuInstitutionRole;
}
