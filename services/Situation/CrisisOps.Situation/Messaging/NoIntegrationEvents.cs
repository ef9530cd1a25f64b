using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;

namespace CrisisOps.Situation.Messaging;

/// <summary>The picture records no decisions of its own (issued reports aside, which stay internal).</summary>
public sealed class NoIntegrationEvents : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => null;
}
