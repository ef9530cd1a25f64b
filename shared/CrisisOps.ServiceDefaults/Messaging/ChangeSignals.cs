using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>
/// The contracts whose publication wakes this service's watches, all on one auto-deleted queue per instance, so that
/// every instance hears every change for its own watchers (see <see cref="ChangeFeed"/>).
/// </summary>
public sealed class ChangeSignals
{
    private readonly IBusRegistrationConfigurator _bus;
    private readonly string _queue;

    internal ChangeSignals(IBusRegistrationConfigurator bus, string queue)
    {
        _bus = bus;
        _queue = queue;
    }

    /// <summary>Wakes the watches of <paramref name="key"/> of each published <typeparamref name="TMessage"/>; returns this, for chaining.</summary>
    public ChangeSignals On<TMessage>(Func<TMessage, string> key)
        where TMessage : class
    {
        _bus.AddSingleton(new ChangeSignalKey<TMessage>(key));
        _bus.AddConsumer<ChangeSignalConsumer<TMessage>>().Endpoint(e =>
        {
            // The same name for every contract puts them all on one receive endpoint: one queue per instance, not one per contract.
            e.Name = _queue;
            e.Temporary = true;
        });
        return this;
    }
}

/// <summary>Registration of the change signals.</summary>
public static class ChangeSignalsExtensions
{
    /// <summary>
    /// Registers the service's <see cref="ChangeFeed"/> and the queue of this instance that feeds it; name each contract
    /// and its key with <see cref="ChangeSignals.On{TMessage}"/>.
    /// </summary>
    public static ChangeSignals AddChangeSignals(this IBusRegistrationConfigurator bus, string serviceName)
    {
        bus.TryAddSingleton<ChangeFeed>();
        return new ChangeSignals(bus, $"{serviceName}-change-signals-{Guid.NewGuid().ToString("N")[..8]}");
    }
}
