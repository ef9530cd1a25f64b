using MassTransit;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>Which <see cref="ChangeFeed"/> key a published contract of type <typeparamref name="TMessage"/> wakes.</summary>
/// <param name="Of">The key (a crisis id, a leverage id, a country) the watches of that contract subscribe to.</param>
public sealed record ChangeSignalKey<TMessage>(Func<TMessage, string> Of)
    where TMessage : class;

/// <summary>Turns each of the service's own published <typeparamref name="TMessage"/> into a wake-up of the local watches of its key.</summary>
public sealed class ChangeSignalConsumer<TMessage>(ChangeFeed feed, ChangeSignalKey<TMessage> key) : IConsumer<TMessage>
    where TMessage : class
{
    /// <summary>Wakes the watches of the message's key; they re-read the store, so nothing else is done here.</summary>
    public Task Consume(ConsumeContext<TMessage> context)
    {
        feed.Notify(key.Of(context.Message));
        return Task.CompletedTask;
    }
}
