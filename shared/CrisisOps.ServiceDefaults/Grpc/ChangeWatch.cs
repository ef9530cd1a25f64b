using CrisisOps.ServiceDefaults.Messaging;
using Grpc.Core;
using JasperFx.Events;
using Marten;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// The loop every watch RPC shares: subscribe to the key's change signals, read and send the starting state, then on
/// each signal (or every <see cref="ChangeFeed.ResyncInterval"/>, in case a signal was lost) read what changed since
/// the cursor and send it, until the caller goes. Each read is a fresh query session, so a lost or duplicated signal
/// never loses or repeats a change: the cursor, not the signal, says what was sent.
/// </summary>
public static class ChangeWatch
{
    /// <summary>
    /// Watches <paramref name="key"/>: <paramref name="start"/> reads the first message and the cursor after it (and
    /// refuses, before anything is sent, a caller who may not read it); <paramref name="next"/> reads the messages
    /// after a cursor (none when nothing changed) and the cursor after them.
    /// </summary>
    public static async Task WatchAsync<TCursor, TMessage>(this IServerStreamWriter<TMessage> responseStream, ChangeFeed feed, IDocumentStore store,
        string key, Func<IQuerySession, CancellationToken, Task<(TMessage First, TCursor Cursor)>> start,
        Func<IQuerySession, TCursor, CancellationToken, Task<(IReadOnlyList<TMessage> Changes, TCursor Cursor)>> next, CancellationToken ct)
    {
        // Subscribe before reading the starting state, so that no change falls between the two.
        using var subscription = feed.Subscribe(key);
        TCursor cursor;
        await using (var session = store.QuerySession())
        {
            (var first, cursor) = await start(session, ct);
            await responseStream.WriteAsync(first, ct);
        }

        while (!ct.IsCancellationRequested)
        {
            await subscription.WaitAsync(ChangeFeed.ResyncInterval, ct);
            await using var session = store.QuerySession();
            (var changes, cursor) = await next(session, cursor, ct);
            foreach (var change in changes) await responseStream.WriteAsync(change, ct);
        }
    }

    /// <summary>
    /// Watches one stream, whose id is also its change-signal key: first its view, as <paramref name="snapshot"/> maps
    /// it, then each event recorded after the view's version, as <paramref name="change"/> maps it with the view after
    /// it. <paramref name="load"/> reads the view (NOT_FOUND when there is none) and authorises the caller.
    /// </summary>
    public static Task WatchStreamAsync<TView, TMessage>(this IServerStreamWriter<TMessage> responseStream, ChangeFeed feed, IDocumentStore store,
        string streamId, Func<IQuerySession, CancellationToken, Task<TView>> load, Func<TView, long> versionOf,
        Func<TView, TMessage> snapshot, Func<IEvent, TView, TMessage> change, CancellationToken ct) =>
        responseStream.WatchAsync(feed, store, streamId,
            async (session, token) =>
            {
                var view = await load(session, token);
                return (snapshot(view), versionOf(view));
            },
            async (session, sent, token) =>
            {
                var events = await session.Events.FetchStreamAsync(streamId, fromVersion: sent + 1, token: token);
                if (events.Count == 0) return ([], sent);
                var current = await load(session, token);
                return ([.. events.Where(e => e.Version > sent).Select(e => change(e, current))], events[^1].Version);
            }, ct);
}
