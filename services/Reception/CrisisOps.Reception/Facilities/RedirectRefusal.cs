using CrisisOps.Legal;
using Marten;

namespace CrisisOps.Reception.Facilities;

/// <summary>A refusal for lack of places says where the people could go instead (<see cref="Redirect"/>), read from the committed views.</summary>
public static class RedirectRefusal
{
    /// <summary>The refusal, with the open facilities of the full facility's region that have room.</summary>
    public static async Task<RuleViolationException> WithRedirectAsync(this IDocumentStore store, RuleViolationException refusal, string facilityId,
        Places people, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var full = await session.LoadAsync<FacilityView>(facilityId, ct);
        if (full is null) return refusal;
        var region = await session.Query<FacilityView>().Where(f => f.Country == full.Country && f.Region == full.Region).ToListAsync(ct);
        var reason = refusal.Message[(refusal.Rule.Length + 2)..];
        return new RuleViolationException(refusal.Rule, $"{reason}; {Redirect.Advice(full, people, Redirect.Candidates(full, people, region))}");
    }
}
