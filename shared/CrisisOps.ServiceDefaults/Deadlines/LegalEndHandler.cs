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
        var decision = DecisionOn(deadline, clock.GetUtcNow());
        var outcome = await store.DecideAsync(Definition, EnvelopeOf(deadline, decision), s => Expire(s, decision), clock, ct);
        if (outcome.Events.Count == 0 && !outcome.Replayed) await DropAsync([deadline], ct);
    }

    /// <summary>Legal ends fall due by the thousand at one instant (24:00 of a date): acted on many per transaction.</summary>
    public bool ActsInBatches => true;

    /// <summary>
    /// Acts on the deadlines in one transaction (<see cref="DecisionStreams.DecideEachAsync{TState}"/>), each stream
    /// decided on its own state: one whose decision fails fails alone. When the batch cannot be recorded (a lawful
    /// decision moved one of its streams meanwhile), each deadline is acted on by itself (<see cref="HandleAsync"/>),
    /// reading its stream afresh, so one stream never holds up the others.
    /// </summary>
    public async Task<IReadOnlyList<Exception?>> HandleEachAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        var decisions = new Dictionary<string, Decision>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        var commands = new List<CommandEnvelope>(deadlines.Count);
        foreach (var deadline in deadlines)
        {
            var decision = DecisionOn(deadline, now);
            decisions[deadline.StreamId] = decision;
            commands.Add(EnvelopeOf(deadline, decision));
        }

        IReadOnlyList<StreamDecision> decided;
        try
        {
            decided = await store.DecideEachAsync(Definition, commands, (c, s) => Expire(s, decisions[c.StreamId]), clock, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && ex is not OperationCanceledException)
        {
            return await IDeadlineHandler.OneByOneAsync(this, deadlines, ct);
        }

        var unchanged = deadlines.Where((_, i) => decided[i].Outcome is { Events.Count: 0, Replayed: false }).ToList();
        if (unchanged.Count > 0) await DropAsync(unchanged, ct);
        return [.. decided.Select(d => d.Failure)];
    }

    private Decision DecisionOn(Deadline deadline, DateTimeOffset now) =>
        new(Actor.LegalDeadline, now, null, Justification, $"{Kind}/{deadline.StreamId}/{deadline.DueAt:O}");

    private static CommandEnvelope EnvelopeOf(Deadline deadline, Decision decision) =>
        new(deadline.StreamId, null, Actor.LegalDeadline, decision.RequestId, "deadline");

    /// <summary>Nothing to end (ended otherwise meanwhile): drops the deadlines, unless a later decision already moved one.</summary>
    private async Task DropAsync(IReadOnlyList<Deadline> deadlines, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        foreach (var deadline in deadlines)
        {
            var (id, dueAt) = (deadline.Id, deadline.DueAt);
            session.DeleteWhere<Deadline>(d => d.Id == id && d.DueAt == dueAt);
        }

        await session.SaveChangesAsync(ct);
    }
}
