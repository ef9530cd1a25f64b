using System.Security.Cryptography;
using CrisisOps.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CrisisOps.Cli.Tokens;

/// <summary>What a token says about its bearer.</summary>
public sealed record TokenRequest(string Role, string Subject, string? Name, string? Country, string? Ministry, TimeSpan Lifetime)
{
    /// <summary>Checks the request as the services will read it, and normalises the country to upper case.</summary>
    public TokenRequest Validated()
    {
        if (!TokenContract.Roles.Contains(Role))
            throw new CliException($"role '{Role}' is not a CrisisOps role ({string.Join(", ", TokenContract.Roles)})");
        if (string.IsNullOrWhiteSpace(Subject)) throw new CliException("--subject is required and must not be blank");
        if (Lifetime <= TimeSpan.Zero || Lifetime > TimeSpan.FromDays(30))
            throw new CliException("--hours must be more than 0 and at most 720");

        var country = string.IsNullOrWhiteSpace(Country) ? null : Country.Trim().ToUpperInvariant();
        if (Role == TokenContract.MinistryRole)
        {
            if (country is null)
                throw new CliException("a ministry token must name its country: add --country with an ISO 3166-1 alpha-2 code, e.g. --country PL");
            if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
                throw new CliException($"--country '{Country}' is not an ISO 3166-1 alpha-2 code (two letters, e.g. PL)");
        }
        else if (country is not null)
        {
            throw new CliException($"--country is for ministry tokens only: a {Role} token is not bound to a country");
        }

        if (Role == TokenContract.PartnerRole && string.IsNullOrWhiteSpace(Ministry))
            throw new CliException("a partner token must name its organisation: add --organisation, e.g. --organisation IOM");
        if (Role == TokenContract.EuInstitutionRole && string.IsNullOrWhiteSpace(Ministry))
            throw new CliException("an eu-institution token must name its institution: add --organisation, e.g. --organisation \"Council of the European Union\"");

        return this with
        {
            Subject = Subject.Trim(),
            Name = string.IsNullOrWhiteSpace(Name) ? null : Name.Trim(),
            Country = country,
            Ministry = string.IsNullOrWhiteSpace(Ministry) ? null : Ministry.Trim(),
        };
    }
}

/// <summary>Signs ES256 tokens with a local private key, for the issuer and audience the services accept locally.</summary>
public sealed class TokenMinter(ECDsa key)
{
    private readonly SigningCredentials credentials = new(new ECDsaSecurityKey(key), SecurityAlgorithms.EcdsaSha256);
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>A compact JWT for <paramref name="request"/>, valid from <paramref name="now"/>.</summary>
    public string Mint(TokenRequest request, DateTimeOffset now)
    {
        var valid = request.Validated();
        var claims = new Dictionary<string, object>
        {
            [TokenContract.Subject] = valid.Subject,
            [TokenContract.Name] = valid.Name ?? valid.Subject,
            [TokenContract.Role] = valid.Role,
        };
        if (valid.Country is { } country) claims[TokenContract.Country] = country;
        // Ministries and partners speak for an organisation; the claim that names it depends on the role.
        if (valid.Ministry is { } organisation)
            claims[TokenContract.NamesOrganisation(valid.Role) ? TokenContract.Organisation : TokenContract.Ministry] = organisation;

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TokenContract.LocalIssuer,
            Audience = TokenContract.Audience,
            Claims = claims,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + valid.Lifetime).UtcDateTime,
            SigningCredentials = credentials,
        });
    }
}
