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

    /// <summary>Prefixes the bus's message exchanges when <paramref name="prefix"/> is set.</summary>
    public static void Isolate(IBusFactoryConfigurator bus, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix)) return;
        bus.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(bus.MessageTopology.EntityNameFormatter, prefix + "."));
    }
}
