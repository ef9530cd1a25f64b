using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Security;

namespace CrisisOps.Humanitarian.Grpc;

/// <summary>
/// Who may do what here, beyond the common rules: partners record needs, pledge and deliver for their registered
/// organisation and read the whole picture (3W/4W is shared among partners so that they coordinate).
/// </summary>
public static class HumanitarianAccess
{
    /// <summary>The registered organisation a partner token speaks for, or a refusal.</summary>
    public static Organisation Partner(this Actor actor, OrganisationRegistry registry)
    {
        if (actor.Role != Role.Partner)
            throw new NotPermittedException($"role {actor.Role} cannot pledge or deliver: partner organisations do");
        return registry.Find(actor.Organisation)
            ?? throw new NotPermittedException($"organisation '{actor.Organisation}' is not in the organisations registry {registry.Version}");
    }

    /// <summary>Refuses unless the actor is the ministry of <paramref name="country"/> or a registered partner; returns who assessed.</summary>
    public static string EnsureMayAssess(this Actor actor, string country, OrganisationRegistry registry)
    {
        if (actor.Role == Role.Partner) return actor.Partner(registry).Code;
        actor.EnsureMayActFor(country);
        return actor.Organisation.Length > 0 ? actor.Organisation : $"Ministry ({country})";
    }

    /// <summary>Refuses unless the actor may read what concerns <paramref name="country"/>.</summary>
    public static void EnsureMayReadPicture(this Actor actor, string country, OrganisationRegistry registry)
    {
        if (actor.Role == Role.Partner) actor.Partner(registry);
        else actor.EnsureMayRead(country);
    }

    /// <summary>The country a list or report is limited to: the one asked for, a ministry's own, or none (every country).</summary>
    public static string? Scope(this Actor actor, string? countryField, OrganisationRegistry registry)
    {
        var country = string.IsNullOrWhiteSpace(countryField) ? null : ProtoFields.Country(countryField, "country");
        if (actor.Role == Role.Ministry) country ??= actor.Country;
        if (country is not null) actor.EnsureMayReadPicture(country, registry);
        else if (actor.Role == Role.Partner) actor.Partner(registry);
        return country;
    }
}
