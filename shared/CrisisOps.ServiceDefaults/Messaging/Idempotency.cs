using CrisisOps.ServiceDefaults.EventStore;
using JasperFx;
using Marten;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>
/// Idempotent consumption without MassTransit's EF inbox (not available for Marten): the consumer's writes and a
/// <see cref="ProcessedMessage"/> marker commit in one Marten transaction, so a redelivered message changes nothing.
/// </summary>
public static class Idempotency
{
    /// <summary>
    /// Runs <paramref name="work"/> once per (consumer, message id). Returns false when the message had been processed.
    /// </summary>
    public static async Task<bool> ConsumeOnceAsync(this IDocumentStore store, string consumer, Guid? messageId,
        DateTimeOffset now, Func<IDocumentSession, Task> work, CancellationToken ct)
    {
        var id = $"{consumer}/{messageId ?? throw new InvalidOperationException("message has no MessageId")}";
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<ProcessedMessage>(id, ct) is not null) return false;
        session.Insert(new ProcessedMessage { Id = id, ProcessedAt = now });
        await work(session);
        try
        {
            await session.SaveChangesAsync(ct);
            return true;
        }
        catch (Exception ex) when (ex is DocumentAlreadyExistsException || ex.InnerException is DocumentAlreadyExistsException)
        {
            return false;
        }
    }
}
