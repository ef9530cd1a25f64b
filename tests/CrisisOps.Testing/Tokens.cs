using System.Security.Cryptography;
using CrisisOps.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrisisOps.Testing;

/// <summary>A signing key of the test run and the tokens it signs (the same shape as `crisisops token mint`).</summary>
public sealed class Tokens : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Tokens()
    {
        PublicKeyFile = Path.Combine(Path.GetTempPath(), $"crisisops-test-{Guid.NewGuid():N}.pub.pem");
        File.WriteAllText(PublicKeyFile, _key.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>The public half, for the services' <c>Auth:SigningKeyFile</c>.</summary>
    public string PublicKeyFile { get; }

    /// <summary>The private half as PKCS#8 PEM (the form of <c>crisisops token keygen</c>), for clients that sign their own.</summary>
    public string PrivateKeyPem => _key.ExportPkcs8PrivateKeyPem();

    public string Ministry(string country, string subject = "interior-officer") =>
        Mint(subject, TokenContract.MinistryRole, country, $"Ministry of Interior ({country})");

    public string Coordinator(string subject = "blueprint-coordinator") => Mint(subject, TokenContract.CoordinatorRole, null, "");

    public string Auditor(string subject = "fra-auditor") => Mint(subject, TokenContract.AuditorRole, null, "");

    /// <summary>A humanitarian partner's token (IOM, UNHCR, an NGO...).</summary>
    public string Partner(string organisation, string subject = "partner-logistics") =>
        Mint(subject, TokenContract.PartnerRole, null, organisation);

    /// <summary>An EU institution's token (the Council, the Commission): records the acts the law gives to it.</summary>
    public string EuInstitution(string organisation = "Council of the European Union", string subject = "council-secretariat") =>
        Mint(subject, TokenContract.EuInstitutionRole, null, organisation);

    /// <summary>A ministry token that expired an hour ago (signed by the right key, so only its lifetime is wrong).</summary>
    public string Expired(string country) => Mint("expired-officer", TokenContract.MinistryRole, country, $"Ministry of Interior ({country})",
        TimeSpan.FromHours(-1));

    public string Mint(string subject, string role, string? country, string organisation, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object>
        {
            [TokenContract.Subject] = subject,
            [TokenContract.Name] = subject,
            [TokenContract.Role] = role,
            [TokenContract.NamesOrganisation(role) ? TokenContract.Organisation : TokenContract.Ministry] = organisation,
        };
        if (country is not null) claims[TokenContract.Country] = country;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenContract.LocalIssuer,
            Audience = TokenContract.Audience,
            Claims = claims,
            Expires = DateTime.UtcNow.Add(lifetime ?? TimeSpan.FromHours(1)),
            // A token minted already expired still needs its validity to start before it ends.
            NotBefore = DateTime.UtcNow.Add(lifetime is { } l && l < TimeSpan.Zero ? l - TimeSpan.FromHours(1) : TimeSpan.Zero),
            IssuedAt = DateTime.UtcNow.Add(lifetime is { } k && k < TimeSpan.Zero ? k - TimeSpan.FromHours(1) : TimeSpan.Zero),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(_key), SecurityAlgorithms.EcdsaSha256),
        });
    }

    public void Dispose()
    {
        _key.Dispose();
        File.Delete(PublicKeyFile);
    }
}
