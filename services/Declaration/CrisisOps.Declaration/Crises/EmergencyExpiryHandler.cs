using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Declaration.Crises;

/// <summary>Expires an emergency at its legal end when it was not lawfully extended; stamped with the legal end.</summary>
public sealed class EmergencyExpiryHandler(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock) : IDeadlineHandler
{
    public string Kind => CrisisStream.ExpiryDeadline;

    public async Task HandleAsync(Deadline deadline, CancellationToken ct)
    {
        var requestId = $"expire/{deadline.DueAt:O}";
        var decision = new Decision(Actor.LegalDeadline, clock.GetUtcNow(), null,
            "legal end of the emergency reached without a lawful extension", requestId);
        var envelope = new CommandEnvelope(deadline.StreamId, null, Actor.LegalDeadline, $"{deadline.StreamId}/{requestId}", "deadline");
        var outcome = await store.DecideAsync(CrisisStream.Definition, envelope,
            s => CrisisDecider.Decide(s, new ExpireEmergency(decision), catalogue), clock, ct);
        if (outcome.Events.Count == 0 && !outcome.Replayed)
        {
            // Nothing to expire (lifted or ended meanwhile): drop the deadline, unless a later decision already moved it.
            await using var session = store.LightweightSession();
            session.DeleteWhere<Deadline>(d => d.Id == deadline.Id && d.DueAt == deadline.DueAt);
            await session.SaveChangesAsync(ct);
        }
    }
}
