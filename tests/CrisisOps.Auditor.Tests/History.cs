using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.ServiceDefaults.EventStore;

namespace CrisisOps.Auditor.Tests;

/// <summary>A store's rows as the service writes them: events chained per stream, and the log chain over them.</summary>
public sealed class History
{
    private readonly Dictionary<string, (long Version, string Head)> _streams = [];
    private string _logHead = EventChain.Genesis;

    public List<StoredEvent> Events { get; } = [];

    public List<StoredLink> Links { get; } = [];

    public History Append(string stream, string type, string data, bool link = true)
    {
        var (version, head) = _streams.GetValueOrDefault(stream, (0, EventChain.Genesis));
        var hash = EventChain.Hash(head, stream, version + 1, type, data);
        _streams[stream] = (version + 1, hash);
        var e = new StoredEvent(Events.Count + 1, stream, version + 1, type, data, hash, DateTimeOffset.UnixEpoch);
        Events.Add(e);
        if (link)
        {
            _logHead = EventChain.LogLink(_logHead, e.Sequence, hash);
            Links.Add(new StoredLink(e.Sequence, stream, e.Version, hash, _logHead));
        }

        return this;
    }

    /// <summary>Four events on two crises, interleaved, all sealed in the log.</summary>
    public static History TwoCrises() => new History()
        .Append("crisis-pl", "crisis_declared", """{"CrisisId":"crisis-pl","TargetCountry":"PL"}""")
        .Append("crisis-gr", "crisis_declared", """{"CrisisId":"crisis-gr","TargetCountry":"GR"}""")
        .Append("crisis-pl", "emergency_declared", """{"CrisisId":"crisis-pl","EndDate":"2021-10-01"}""")
        .Append("crisis-pl", "emergency_extended", """{"CrisisId":"crisis-pl","NewEndDate":"2021-11-30"}""")
        .Append("crisis-gr", "crisis_ended", """{"CrisisId":"crisis-gr"}""");

    public static ChainVerification Verify(IEnumerable<StoredEvent> events, IEnumerable<StoredLink> links, bool hasLogChain = true)
    {
        var verifier = new ChainVerifier("declaration", hasLogChain);
        var byEvent = events.ToDictionary(e => e.Sequence);
        var byLink = links.ToDictionary(l => l.Sequence);
        foreach (var sequence in byEvent.Keys.Union(byLink.Keys).Order())
            verifier.Observe(byEvent.GetValueOrDefault(sequence), byLink.GetValueOrDefault(sequence));
        return verifier.Complete();
    }
}
