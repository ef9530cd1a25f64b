using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.ServiceDefaults.Deadlines;

/// <summary>
/// Acts at a legal deadline (ends an emergency, a measure or a leverage at its legal end, raises a review that fell
/// due) when no lawful decision moved it: the decision is the system's, stamped with the deadline by the decider,
/// and recorded once however often it runs.
/// </summary>
public abstract class LegalEndHandler<TState>(IDocumentStore store, TimeProvider clock) : IDeadlineHandler
    where TState : class
{
    public abstract string Kind { get; }

    protected abstract StreamDefinition<TState> Definition { get; }

    /// <summary>Why the system acts: recorded as the justification of its decision.</summary>
    protected virtual string Justification => "legal end reached without a lawful extension";

    /// <summary>The pure decision: events stamped with the legal end, or none when nothing is due.</summary>
    protected abstract IReadOnlyList<object> Expire(TState? state, Decision decision);

    public async Task HandleAsync(Deadline deadline, CancellationToken ct)
    {
        var requestId = $"{Kind}/{deadline.StreamId}/{deadline.DueAt:O}";
        var decision = new Decision(Actor.LegalDeadline, clock.GetUtcNow(), null, Justification, requestId);
        var envelope = new CommandEnvelope(deadline.StreamId, null, Actor.LegalDeadline, requestId, "deadline");
        var outcome = await store.DecideAsync(Definition, envelope, s => Expire(s, decision), clock, ct);
        if (outcome.Events.Count == 0 && !outcome.Replayed)
        {
            // Nothing to end (ended otherwise meanwhile): drop the deadline, unless a later decision already moved it.
            await using var session = store.LightweightSession();
            session.DeleteWhere<Deadline>(d => d.Id == deadline.Id && d.DueAt == deadline.DueAt);
            await session.SaveChangesAsync(ct);
        }
    }
}
