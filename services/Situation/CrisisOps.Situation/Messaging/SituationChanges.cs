using System.Collections.Concurrent;
using System.Threading.Channels;

namespace CrisisOps.Situation.Messaging;

/// <summary>One change applied to the picture, as pushed to the board and to gRPC watchers.</summary>
public sealed record SituationChanged(string Country, string? CrisisId, string EventType, string Summary, DateTimeOffset At);

/// <summary>
/// Pushes each applied change to every open board and watch of this instance, as soon as it is committed. The picture
/// has one writer (one instance, one message at a time), so its changes are all seen here.
/// </summary>
public sealed class SituationChanges
{
    private readonly ConcurrentDictionary<Channel<SituationChanged>, byte> _subscribers = new();

    /// <summary>A bounded queue of changes for one watcher; a watcher that falls behind loses the oldest (it re-reads anyway).</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<SituationChanged>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        _subscribers.TryAdd(channel, 0);
        return new Subscription(this, channel);
    }

    public void Publish(SituationChanged change)
    {
        foreach (var channel in _subscribers.Keys) channel.Writer.TryWrite(change);
    }

    public sealed class Subscription(SituationChanges owner, Channel<SituationChanged> channel) : IDisposable
    {
        public ChannelReader<SituationChanged> Reader => channel.Reader;

        public void Dispose()
        {
            owner._subscribers.TryRemove(channel, out _);
            channel.Writer.TryComplete();
        }
    }
}
