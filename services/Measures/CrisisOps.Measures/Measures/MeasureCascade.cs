using CrisisOps.Legal;
using CrisisOps.Measures.Catalogue;
using CrisisOps.Measures.Facts;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Measures.Measures;

/// <summary>Ends the measures that depend on a crisis, or on the emergency declared on it, when that ends.</summary>
public sealed class MeasureCascade(IDocumentStore store, MeasureCatalogue catalogue, TimeProvider clock)
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
}
