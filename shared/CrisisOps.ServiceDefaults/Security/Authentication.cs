using System.Security.Claims;
using System.Security.Cryptography;
using CrisisOps.Contracts;
using CrisisOps.Legal;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace CrisisOps.ServiceDefaults.Security;

/// <summary>Bearer-token authentication for every gRPC call.</summary>
public static class Authentication
{
    /// <summary>
    /// JWT bearer validation: production takes an OIDC issuer from <c>Auth:Authority</c>; local use validates tokens
    /// signed by the key whose public half is at <c>Auth:SigningKeyFile</c> (made by <c>crisisops token keygen</c>).
    /// </summary>
    public static void AddCrisisOpsAuthentication(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.Audience = auth["Audience"] ?? TokenContract.Audience;
            o.TokenValidationParameters.NameClaimType = TokenContract.Name;
            o.TokenValidationParameters.RoleClaimType = TokenContract.Role;
            o.TokenValidationParameters.ValidAudience = o.Audience;
            if (auth["Authority"] is { Length: > 0 } authority)
            {
                o.Authority = authority;
                return;
            }

            var keyFile = auth["SigningKeyFile"]
                ?? throw new InvalidOperationException("Auth:Authority or Auth:SigningKeyFile must be configured");
            var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(File.ReadAllText(keyFile));
            o.RequireHttpsMetadata = false;
            o.TokenValidationParameters.ValidIssuer = auth["Issuer"] ?? TokenContract.LocalIssuer;
            o.TokenValidationParameters.IssuerSigningKey = new ECDsaSecurityKey(ecdsa);
        });
        builder.Services.AddAuthorization();
    }

    /// <summary>The authenticated actor of a gRPC call, read from its token only.</summary>
    public static Actor Actor(this ServerCallContext context) => ActorOf(context.GetHttpContext().User);

    /// <summary>Reads the actor from validated claims; a token without a usable role is refused.</summary>
    public static Actor ActorOf(ClaimsPrincipal user)
    {
        var subject = user.FindFirstValue(TokenContract.Subject)
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, "token has no subject"));
        var role = user.FindFirstValue(TokenContract.Role) switch
        {
            TokenContract.MinistryRole => Role.Ministry,
            TokenContract.CoordinatorRole => Role.Coordinator,
            TokenContract.AuditorRole => Role.Auditor,
            TokenContract.PartnerRole => Role.Partner,
            TokenContract.EuInstitutionRole => Role.EuInstitution,
            var other => throw new RpcException(new Status(StatusCode.PermissionDenied, $"role '{other}' is not a CrisisOps role")),
        };
        var country = (user.FindFirstValue(TokenContract.Country) ?? "").ToUpperInvariant();
        if (role == Role.Ministry && country.Length != 2)
            throw new RpcException(new Status(StatusCode.PermissionDenied, "a ministry token must name its country"));
        var organisation = user.FindFirstValue(role is Role.Partner or Role.EuInstitution ? TokenContract.Organisation : TokenContract.Ministry) ?? "";
        if (role is Role.Partner or Role.EuInstitution && organisation.Length == 0)
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"a {user.FindFirstValue(TokenContract.Role)} token must name its organisation"));
        return new Actor(subject, user.FindFirstValue(TokenContract.Name) ?? subject, role, organisation, country);
    }

    /// <summary>Refuses unless the actor is the ministry of <paramref name="country"/>.</summary>
    public static void EnsureMayActFor(this Actor actor, string country)
    {
        if (!actor.MayActFor(country))
            throw new NotPermittedException(actor.Role == Role.Ministry
                ? $"a ministry of {actor.Country} cannot act for {country}"
                : $"role {actor.Role} cannot record decisions");
    }

    /// <summary>Refuses unless the actor may read what concerns <paramref name="country"/>.</summary>
    public static void EnsureMayRead(this Actor actor, string country)
    {
        if (!actor.MayRead(country))
            throw new NotPermittedException($"a ministry of {actor.Country} cannot read {country}");
    }
}
