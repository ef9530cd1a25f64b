using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using Xunit;

namespace CrisisOps.Testing;

/// <summary>What the auditor checks of a stream: every event carries its chain hash, and each links to the one before it.</summary>
public static class EventChains
{
    /// <summary>
    /// Fails unless every event of <paramref name="streamId"/> was sealed as it was appended (as by
    /// <see cref="DecisionStreams.DecideAsync{TState}"/>): an event without its hash is what the audit reports as inserted
    /// behind the service.
    /// </summary>
    public static async Task AssertChainedAsync(IDocumentStore store, string streamId)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(streamId);
        Assert.NotEmpty(events);
        var serializer = store.Options.Serializer();
        var previous = EventChain.Genesis;
        foreach (var e in events)
        {
            previous = EventChain.Hash(previous, streamId, e.Version, e.EventTypeName, serializer.ToJson(e.Data));
            Assert.True(EventChain.HashOf(e) == previous,
                $"{streamId} v{e.Version} {e.EventTypeName}: chain hash {EventChain.HashOf(e) ?? "(none)"}, expected {previous}");
        }
    }
}
