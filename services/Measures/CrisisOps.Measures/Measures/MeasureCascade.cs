using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Measures.Measures;

/// <summary>Ends the measures that depend on a crisis, or on the emergency declared on it, when that ends.</summary>
public sealed class MeasureCascade(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
{
    /// <summary>Ends every measure in force on <paramref name="crisisId"/> (or only those taken under <paramref name="emergencyBasis"/>).</summary>
    public async Task<int> EndMeasuresAsync(string crisisId, EndReason reason, string? emergencyBasis, DateTimeOffset endedAt,
        string justification, Guid? messageId, CancellationToken ct)
    {
        IReadOnlyList<MeasureView> affected;
        await using (var session = store.QuerySession())
        {
            var query = session.Query<MeasureView>().Where(m => m.CrisisId == crisisId && m.Status == MeasureStatus.InForce);
            if (emergencyBasis is not null) query = query.Where(m => m.DependsOnEmergency == emergencyBasis);
            affected = await query.ToListAsync(ct);
        }

        foreach (var measure in affected)
        {
            var requestId = $"cascade/{messageId}";
            var decision = new Decision(Actor.CrisisCascade, clock.GetUtcNow(), null, justification, requestId);
            await store.DecideAsync(MeasureStream.Definition, new CommandEnvelope(measure.Id, null, Actor.CrisisCascade, $"{measure.Id}/{requestId}", "cascade"),
                s => MeasureDecider.Decide(s, new EndMeasure(reason, endedAt, decision), catalogue, LegalSituation.None), clock, ct);
        }

        return affected.Count;
    }

    /// <summary>
    /// Re-checks, after a fact changed, the measures in force in <paramref name="country"/> whose safeguards depend on it
    /// (<see cref="Safeguards.StillHeld"/>): each that no longer holds ends, at the moment the fact changed.
    /// </summary>
    public async Task<int> EndWhereSafeguardNoLongerHeldAsync(string country, IReadOnlyCollection<string> openRegistrationPoints,
        DateTimeOffset changedAt, string what, Guid? messageId, CancellationToken ct)
    {
        IReadOnlyList<MeasureView> inForce;
        await using (var session = store.QuerySession())
        {
            inForce = await session.Query<MeasureView>()
                .Where(m => m.Country == country && m.Status == MeasureStatus.InForce && m.Category == MeasureCategory.CrossingPointRestriction)
                .ToListAsync(ct);
        }

        var ended = 0;
        foreach (var measure in inForce)
        {
            var type = catalogue.MeasureTypes.FirstOrDefault(t => t.Code == measure.TypeCode);
            if (type is null || Safeguards.StillHeld(type, measure.Parameters, openRegistrationPoints, country) is not { } breach) continue;
            var requestId = $"safeguard/{messageId}";
            var decision = new Decision(Actor.CrisisCascade, clock.GetUtcNow(), null, $"{what}: {breach.Rule}: {breach.Message}", requestId);
            await store.DecideAsync(MeasureStream.Definition, new CommandEnvelope(measure.Id, null, Actor.CrisisCascade, $"{measure.Id}/{requestId}", "safeguard"),
                s => MeasureDecider.Decide(s, new EndMeasure(EndReason.SafeguardNoLongerHeld, changedAt, decision), catalogue, LegalSituation.None), clock, ct);
            ended++;
        }

        return ended;
    }
}
