using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Humanitarian.Assistance;

/// <summary>
/// Raises the alert on a request still unmet at its deadline: stamped with the deadline even when the service was
/// down then, and recorded once however often it runs (the request id is derived from the deadline, and the decider
/// records nothing on a request already alerted, fulfilled or cancelled).
/// </summary>
public sealed class AssistanceDeadlineHandler(IDocumentStore store, TimeProvider clock) : IDeadlineHandler
{
    /// <summary>The actor of the alert: the system, at a deadline the requesting ministry set.</summary>
    public static readonly Actor AssistanceDeadline = new("system:assistance-deadline", "CrisisOps assistance deadline", Role.System, "", "");

    public string Kind => AssistanceStream.DeadlineKind;

    public async Task HandleAsync(Deadline deadline, CancellationToken ct)
    {
        var requestId = $"{Kind}/{deadline.StreamId}/{deadline.DueAt:O}";
        var decision = new Decision(AssistanceDeadline, clock.GetUtcNow(), null,
            "the request was unmet at its deadline: access to basic needs must be guaranteed upon arrival", requestId);
        var envelope = new CommandEnvelope(deadline.StreamId, null, AssistanceDeadline, requestId, "deadline");
        var outcome = await store.DecideAsync(AssistanceStream.Definition, envelope,
            s => AssistanceDecider.Decide(s, new MarkDeadlineMissed(decision)), clock, ct);
        if (outcome.Events.Count == 0 && !outcome.Replayed)
        {
            // Nothing to alert (met or closed meanwhile): drop the deadline, unless a later decision already moved it.
            await using var session = store.LightweightSession();
            session.DeleteWhere<Deadline>(d => d.Id == deadline.Id && d.DueAt == deadline.DueAt);
            await session.SaveChangesAsync(ct);
        }
    }
}
