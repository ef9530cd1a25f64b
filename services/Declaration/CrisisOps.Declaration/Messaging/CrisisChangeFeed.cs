using System.Collections.Concurrent;
using MassTransit;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.Messaging;

/// <summary>
/// Wakes the live watches of a crisis in this instance. The signal comes from RabbitMQ (every instance has its
/// own temporary queue), so a change recorded by any instance reaches every watcher; the watch then reads the
/// new events from the store, in order, so a lost or duplicated signal never loses or repeats a change.
/// </summary>
public sealed class CrisisChangeFeed
{
    /// <summary>Watches also re-read the store this often, in case a signal was lost.</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _watchers = new();

    public Subscription Subscribe(string crisisId)
    {
        var subscription = new Subscription(this, crisisId);
        _watchers.GetOrAdd(crisisId, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public void Notify(string crisisId)
    {
        if (!_watchers.TryGetValue(crisisId, out var watchers)) return;
        foreach (var w in watchers.Keys) w.Signal();
    }

    private void Remove(Subscription s)
    {
        if (_watchers.TryGetValue(s.CrisisId, out var watchers)) watchers.TryRemove(s, out _);
    }

    public sealed class Subscription(CrisisChangeFeed feed, string crisisId) : IDisposable
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        public string CrisisId { get; } = crisisId;

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

/// <summary>Turns the service's own published crisis events into wake-ups of local watches.</summary>
public sealed class CrisisChangeSignalConsumer(CrisisChangeFeed feed) :
    IConsumer<Contract.CrisisDeclared>,
    IConsumer<Contract.EmergencyDeclared>,
    IConsumer<Contract.EmergencyExtended>,
    IConsumer<Contract.EmergencyExpired>,
    IConsumer<Contract.EmergencyLifted>,
    IConsumer<Contract.CrisisStageChanged>,
    IConsumer<Contract.CrisisEnded>
{
    public Task Consume(ConsumeContext<Contract.CrisisDeclared> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyDeclared> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyExtended> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyExpired> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyLifted> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.CrisisStageChanged> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.CrisisEnded> context) => Wake(context.Message.CrisisId);

    private Task Wake(string crisisId)
    {
        feed.Notify(crisisId);
        return Task.CompletedTask;
    }
}
