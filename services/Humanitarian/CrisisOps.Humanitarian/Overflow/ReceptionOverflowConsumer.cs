using CrisisOps.Humanitarian.Assistance;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Humanitarian.Overflow;

/// <summary>
/// Opens an emergency-shelter request when reception capacity reports a region in overflow. The request, its views
/// and the message's processed marker commit in one transaction: a redelivered message changes nothing, whether it
/// opened a request the first time or found one still open.
/// </summary>
public sealed class ReceptionOverflowConsumer(
    IDocumentStore store,
    IOptions<OverflowOptions> options,
    TimeProvider clock,
    ILogger<ReceptionOverflowConsumer> logger) : IConsumer<Reception.ReceptionStrainChanged>
{
    public const string Name = "reception-overflow";

    public async Task Consume(ConsumeContext<Reception.ReceptionStrainChanged> context)
    {
        var m = context.Message;
        if (!OverflowShelter.Opens(m)) return;
        if (m.Country?.Trim() is not { Length: 2 } country || !country.All(char.IsAsciiLetter) || string.IsNullOrWhiteSpace(OverflowShelter.RegionCode(m)))
        {
            logger.LogWarning("Reception overflow {MessageId} names no usable country and region ({Country}/{Region}); ignored",
                context.MessageId, m.Country, m.ScopeId);
            return;
        }

        var messageId = context.MessageId ?? throw new InvalidOperationException("message has no MessageId");
        var now = clock.GetUtcNow();
        string? opened = null;
        string? stillOpen = null;
        // A concurrent overflow of the same region that opened the same episode first makes this commit fail on the
        // stream id; the retry then finds that request open and records only the marker.
        var first = await store.ConsumeOnceAsync(Name, messageId, now, async session =>
        {
            var slot = await session.LoadAsync<OverflowShelterSlot>(OverflowShelter.RegionKey(m), context.CancellationToken);
            var command = OverflowShelter.Request(m, messageId, slot, options.Value.ShelterDeadlineHours, now);
            if (command is null)
            {
                stillOpen = slot?.OpenRequestId;
                return;
            }

            var events = AssistanceDecider.Decide(null, command);
            var state = AssistanceStream.Definition.Fold(null, events)!;
            DecisionStreams.StampMetadata(session, command.Decision.Actor, command.Decision.RequestId);
            DecisionStreams.AppendSealed(session, command.RequestId, [], events, store);
            AssistanceStream.Definition.Persist(session, command.RequestId, state, events.Count, events);
            opened = command.RequestId;
        }, context.CancellationToken);

        if (!first)
            logger.LogInformation("Reception overflow {MessageId} was already acted on", messageId);
        else if (opened is not null)
            logger.LogInformation("Reception overflow in {Region} opened emergency-shelter request {RequestId}", OverflowShelter.RegionKey(m), opened);
        else
            logger.LogInformation("Reception overflow in {Region}: emergency-shelter request {RequestId} is still open", OverflowShelter.RegionKey(m), stillOpen);
    }
}
