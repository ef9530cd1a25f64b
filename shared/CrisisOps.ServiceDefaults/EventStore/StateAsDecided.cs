using CrisisOps.Legal;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// A stream's state as its decisions had made it at a past moment, from the event history: what was in force then
/// is read from this, never from today's view, which may hold decisions taken since.
/// </summary>
public static class StateAsDecided
{
    /// <summary>
    /// Folds each stream from the events recorded as decisions taken up to <paramref name="at"/> and keeps those whose
    /// state <paramref name="inForce"/> says was in force, in the order given, each with the version of its last such
    /// event. Legal ends are the state's to apply: an expiry recorded later (or not at all) is still an end.
    /// </summary>
    public static async Task<IReadOnlyList<(TState State, long Version)>> InForceAtAsync<TState>(this IQuerySession session,
        StreamDefinition<TState> definition, IEnumerable<string> streamIds, DateTimeOffset at, Func<TState, bool> inForce, CancellationToken ct)
        where TState : class
    {
        var found = new List<(TState, long)>();
        foreach (var streamId in streamIds)
        {
            var known = (await session.Events.FetchStreamAsync(streamId, token: ct))
                .Where(e => e.Data is IRecordedDecision { Decision.DecidedAt: var decided } && decided <= at).ToList();
            if (definition.Fold(null, known.Select(e => e.Data)) is { } state && inForce(state)) found.Add((state, known[^1].Version));
        }

        return found;
    }
}
