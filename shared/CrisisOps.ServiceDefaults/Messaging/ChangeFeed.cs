using System.Collections.Concurrent;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>
/// Wakes the live watches of one key (a crisis, a country) in this instance. The service's signal consumer calls
/// <see cref="Notify"/> for each of its own events it hears on RabbitMQ (every instance has its own temporary queue), so
/// a change recorded by any instance reaches every watcher; the watch then re-reads the store, so a lost or duplicated
/// signal never loses or repeats a change.
/// </summary>
public sealed class ChangeFeed
{
    /// <summary>Watches also re-read the store this often, in case a signal was lost or a change published nothing.</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _watchers = new();

    public Subscription Subscribe(string key)
    {
        var subscription = new Subscription(this, key);
        _watchers.GetOrAdd(key, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public void Notify(string key)
    {
        if (!_watchers.TryGetValue(key, out var watchers)) return;
        foreach (var w in watchers.Keys) w.Signal();
    }

    private void Remove(Subscription s)
    {
        if (_watchers.TryGetValue(s.Key, out var watchers)) watchers.TryRemove(s, out _);
    }

    public sealed class Subscription(ChangeFeed feed, string key) : IDisposable
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        public string Key { get; } = key;

        internal void Signal()
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled and not yet read: one wake-up covers both changes.
            }
        }

        /// <summary>Waits for a signal or the timeout; either way the caller re-reads the store.</summary>
        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

        public void Dispose()
        {
            feed.Remove(this);
            _signal.Dispose();
        }
    }
}
