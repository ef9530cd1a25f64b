using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Measures.Measures;

/// <summary>
/// A decision that breaches a safeguard is refused as every refusal is, and the attempt is kept for auditors on the
/// country's refusals stream (<see cref="MeasureStream.RefusalsOf"/>): who tried what, under which rule, when.
/// </summary>
public static class BreachRecording
{
    /// <summary>
    /// Runs <paramref name="decide"/>; on a safeguard breach records <see cref="SafeguardBreachRefused"/> for the measure
    /// <paramref name="decidedOn"/> names (its country and type, known once its state was read) and rethrows.
    /// </summary>
    public static async Task<CommandOutcome> KeepingBreachesAsync(this IDocumentStore store, CommandEnvelope envelope, string attempted,
        Func<(string Country, string TypeCode)?> decidedOn, Func<Task<CommandOutcome>> decide, TimeProvider clock)
    {
        try
        {
            return await decide();
        }
        catch (RuleViolationException ex) when (Safeguards.IsBreach(ex) && decidedOn() is { } measure)
        {
            var refused = new SafeguardBreachRefused(measure.Country, measure.TypeCode, ex.Rule, ex.Message, attempted,
                new Decision(envelope.Actor, clock.GetUtcNow(), null, "refused: " + ex.Rule, envelope.RequestId));
            // Its own request id, so a retried attempt records its refusal once; never cancelled, so that a caller who
            // gives up on the answer cannot erase the record.
            await store.DecideAsync(MeasureStream.Refusals,
                envelope with { StreamId = MeasureStream.RefusalsOf(measure.Country), ExpectedVersion = null, RequestId = envelope.RequestId + "/refused" },
                _ => [refused], clock, CancellationToken.None);
            throw;
        }
    }
}
