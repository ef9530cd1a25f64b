using CrisisOps.Humanitarian.Assistance;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using MassTransit;
using Microsoft.Extensions.Options;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Humanitarian.Overflow;

/// <summary>
/// Opens an emergency-shelter request when reception capacity reports a region in overflow, as a decision on the
/// request's stream (<see cref="DecisionStreams.DecideAsync{TState}"/>) keyed by the message: a redelivered message
/// changes nothing, whether it opened a request the first time or found one still open.
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
        var ct = context.CancellationToken;
        OverflowShelterSlot? slot;
        await using (var session = store.QuerySession())
        {
            var batch = session.CreateBatchQuery();
            var kept = batch.Load<OverflowShelterSlot>(OverflowShelter.RegionKey(m));
            // Messages acted on before this consumer decided through DecisionStreams carry this marker instead.
            var legacy = batch.Load<ProcessedMessage>($"{Name}/{messageId}");
            await batch.Execute(ct);
            if (await legacy is not null)
            {
                logger.LogInformation("Reception overflow {MessageId} was already acted on", messageId);
                return;
            }

            slot = await kept;
        }

        var command = OverflowShelter.Request(m, messageId, slot, options.Value.ShelterDeadlineHours, clock.GetUtcNow());
        if (command is null)
        {
            logger.LogInformation("Reception overflow in {Region}: emergency-shelter request {RequestId} is still open", OverflowShelter.RegionKey(m),
                slot?.OpenRequestId);
            return;
        }

        // The request id is the message's: a redelivered message is replayed, even after its request closed and a
        // later overflow would open the next episode. A concurrent overflow of the same region that opened the same
        // episode first leaves this one nothing to decide.
        var envelope = new CommandEnvelope(command.RequestId, null, command.Decision.Actor, command.Decision.RequestId, "reception-overflow");
        var outcome = await store.DecideAsync(AssistanceStream.Definition, envelope,
            state => state is null ? AssistanceDecider.Decide(null, command) : [], clock, ct);
        if (outcome.Replayed)
            logger.LogInformation("Reception overflow {MessageId} was already acted on", messageId);
        else if (outcome.Events.Count > 0)
            logger.LogInformation("Reception overflow in {Region} opened emergency-shelter request {RequestId}", OverflowShelter.RegionKey(m), command.RequestId);
        else
            logger.LogInformation("Reception overflow in {Region}: emergency-shelter request {RequestId} is still open", OverflowShelter.RegionKey(m),
                command.RequestId);
    }
}
