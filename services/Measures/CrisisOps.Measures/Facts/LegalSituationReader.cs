using CrisisOps.Legal;
using Marten;

namespace CrisisOps.Measures.Facts;

/// <summary>Reads the facts a measure decision is taken against, waiting for the crisis version its caller saw.</summary>
public static class LegalSituationReader
{
    /// <summary>How long a decision waits for the crisis version its caller saw before it answers UNAVAILABLE.</summary>
    public static readonly TimeSpan CausalWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The facts a decision is taken against. With a causal token (<paramref name="crisisVersion"/>), it waits until this
    /// service has received that version of the crisis, so that no refusal, and no safeguard breach kept for auditors,
    /// comes from a decision that had not arrived yet.
    /// </summary>
    public static async Task<LegalSituation> LegalSituationAsync(this IDocumentStore store, string country, string? crisisId, long crisisVersion,
        TimeProvider clock, CancellationToken ct)
    {
        if (crisisVersion < 0) throw new InvalidFieldException("crisis_version", "must be 0 (no expectation) or the crisis version you read");
        if (crisisVersion > 0 && crisisId is null) throw new InvalidFieldException("crisis_version", "needs crisis_id");
        var deadline = clock.GetUtcNow() + CausalWait;
        while (true)
        {
            await using var session = store.QuerySession();
            var crisis = crisisId is null ? null : await session.LoadAsync<CrisisFacts>(crisisId, ct);
            if (crisisVersion == 0 || (crisis?.Version ?? 0) >= crisisVersion)
            {
                var open = await session.Query<RegistrationPoint>().Where(r => r.Country == country && r.Open).ToListAsync(ct);
                return new LegalSituation(crisis, open);
            }

            if (clock.GetUtcNow() >= deadline)
                throw new FactsNotYetKnownException(
                    $"crisis_version: crisis {crisisId} is at version {crisis?.Version ?? 0} here, not yet {crisisVersion}: retry shortly");
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }
}
