using System.Runtime.CompilerServices;
using CrisisOps.Transparency;
using JasperFx.Events;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// Signs each decision as it is appended (issue 11) with the service's own key, held outside PostgreSQL: a row
/// written with database credentials alone carries no valid signature, however well it is chained. The statement
/// (<see cref="DecisionStatement"/>) covers what is known at append; the event is stamped with exactly the actor and
/// headers signed, so the stored row is what was signed.
/// </summary>
public static class DecisionSignatures
{
    private static readonly ConditionalWeakTable<IDocumentStore, NoteKey> Keys = [];

    /// <summary>Makes <paramref name="key"/> the signing key of every decision appended to <paramref name="store"/>.</summary>
    public static void Use(IDocumentStore store, NoteKey key) => Keys.AddOrUpdate(store, key);

    /// <summary>
    /// Signs the events of <paramref name="action"/> (already sealed on their chain; the stream stood at
    /// <paramref name="currentVersion"/>) when the store has a key. The
    /// decision metadata must be stamped on the session first (<see cref="DecisionStreams.StampMetadata"/>): the
    /// signature covers the actor and the headers.
    /// </summary>
    public static void Sign(IDocumentSession session, StreamAction action, long currentVersion, IDocumentStore store)
    {
        if (!Keys.TryGetValue(store, out var key)) return;
        var actor = session.LastModifiedBy
            ?? throw new InvalidOperationException("stamp the decision metadata before appending: the decision signature covers the actor");
        var serializer = store.Options.Serializer();
        var streamKey = action.Key ?? throw new InvalidOperationException("decision signatures need string stream keys");
        foreach (var e in action.Events)
        {
            if (e.Id == Guid.Empty) e.Id = Guid.CreateVersion7();
            e.UserName = actor;
            foreach (var name in DecisionStreams.SessionHeaders)
                if (session.GetHeader(name) is { } value) e.SetHeader(name, value);
            e.SetHeader(DecisionStatement.KeyHeader, key.Name);
            var headers = new Dictionary<string, object>(e.Headers ?? [], StringComparer.Ordinal);
            headers.Remove(DecisionStatement.SignatureHeader);
            headers.Remove(DecisionStatement.KeyHeader);
            // The version Marten assigns in Rich mode (as EventChain.Seal counts it): not yet on the event.
            var statement = DecisionStatement.Encode(e.Id, streamKey, ++currentVersion, e.EventTypeName, actor,
                EventChain.Canonicalize(serializer.ToJson(headers)), EventChain.Canonicalize(serializer.ToJson(e.Data)));
            e.SetHeader(DecisionStatement.SignatureHeader, DecisionStatement.Header(key, statement));
        }
    }
}
