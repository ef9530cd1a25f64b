namespace CrisisOps.Cli.Tokens;

/// <summary>
/// Claim names and token parameters the services expect. They mirror <c>CrisisOpsClaims</c> in
/// shared/CrisisOps.ServiceDefaults/Security/Authentication.cs (not referenced: it would pull the server stack into the CLI).
/// </summary>
public static class Claims
{
    public const string Role = "role";
    public const string Country = "country";
    public const string Ministry = "ministry";
    public const string Name = "name";
    public const string Subject = "sub";
    public const string LocalIssuer = "crisisops-local";
    public const string Audience = "crisisops";

    /// <summary>The roles a CrisisOps token can carry.</summary>
    public static readonly IReadOnlyList<string> Roles = ["ministry", "coordinator", "auditor"];

    public const string MinistryRole = "ministry";
}
