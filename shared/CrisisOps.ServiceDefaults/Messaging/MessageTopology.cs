using MassTransit;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>
/// Keeps a set of service instances to itself on a shared broker. Messages are published to exchanges named after
/// their contract type, so every instance that consumes a type receives what any other publishes; with a prefix, the
/// exchanges are <c>{prefix}.{type}</c> and only instances configured with the same prefix meet. Production leaves it
/// unset (one system per broker, or a virtual host each); each test fixture sets its own, so that test assemblies
/// running side by side never receive each other's events.
/// </summary>
public static class MessageTopology
{
    /// <summary>The configuration key of the prefix.</summary>
    public const string PrefixSetting = "Messaging:TopologyPrefix";

    /// <summary>The configuration key of the time after which a queue nobody consumes from is deleted.</summary>
    public const string QueueExpirySetting = "Messaging:QueueExpiry";

    /// <summary>
    /// Lets RabbitMQ delete the service's queues once unused for <paramref name="expiry"/> (the queue's
    /// <c>x-expires</c>), when set. Production leaves it unset: a service's queue keeps what arrives while it is down,
    /// however long. Tests set minutes: their instances live on random names and would otherwise leave a queue per
    /// run on a long-lived broker, while a restart within a test still finds its queue and what arrived meanwhile.
    /// </summary>
    public static void ExpireUnusedQueues(IBusRegistrationConfigurator bus, TimeSpan? expiry)
    {
        if (expiry is not { } after) return;
        bus.AddConfigureEndpointsCallback((_, endpoint) =>
        {
            if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.QueueExpiration = after;
        });
    }

    /// <summary>Prefixes the bus's message exchanges when <paramref name="prefix"/> is set.</summary>
    public static void Isolate(IBusFactoryConfigurator bus, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return;
        bus.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(bus.MessageTopology.EntityNameFormatter, prefix + "."));
    }
}
