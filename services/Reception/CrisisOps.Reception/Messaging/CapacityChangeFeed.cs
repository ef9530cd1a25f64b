using System.Collections.Concurrent;
using MassTransit;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Messaging;

/// <summary>
/// Wakes the live watches of a country in this instance (the pattern of crisis declaration's WatchCrisis). The signal
/// comes from RabbitMQ (every instance has its own temporary queue), so a change recorded by any instance reaches
/// every watcher; the watch then reads the store, so a lost or duplicated signal never loses or repeats a change.
/// </summary>
public sealed class CapacityChangeFeed
{
    /// <summary>Watches also re-read the store this often: some changes (held places, declared plans) publish nothing.</summary>
    public static readonly TimeSpan ResyncInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Subscription, byte>> _watchers = new();

    public Subscription Subscribe(string country)
    {
        var subscription = new Subscription(this, country);
        _watchers.GetOrAdd(country, _ => new()).TryAdd(subscription, 0);
        return subscription;
    }

    public void Notify(string country)
    {
        if (!_watchers.TryGetValue(country, out var watchers)) return;
        foreach (var w in watchers.Keys) w.Signal();
    }

    private void Remove(Subscription s)
    {
        if (_watchers.TryGetValue(s.Country, out var watchers)) watchers.TryRemove(s, out _);
    }

    public sealed class Subscription(CapacityChangeFeed feed, string country) : IDisposable
    {
        private readonly SemaphoreSlim _signal = new(0, 1);

        public string Country { get; } = country;

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

/// <summary>Turns the service's own published events into wake-ups of local watches of their country.</summary>
public sealed class CapacityChangeSignalConsumer(CapacityChangeFeed feed) :
    IConsumer<Contract.FacilityRegistered>,
    IConsumer<Contract.OccupancyChanged>,
    IConsumer<Contract.RegistrationPointStatusChanged>,
    IConsumer<Contract.ContingencyActivated>,
    IConsumer<Contract.ContingencyDeactivated>,
    IConsumer<Contract.ReceptionStrainChanged>
{
    public Task Consume(ConsumeContext<Contract.FacilityRegistered> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.OccupancyChanged> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.RegistrationPointStatusChanged> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyActivated> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyDeactivated> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ReceptionStrainChanged> context) => Wake(context.Message.Country);

    private Task Wake(string country)
    {
        feed.Notify(country);
        return Task.CompletedTask;
    }
}
