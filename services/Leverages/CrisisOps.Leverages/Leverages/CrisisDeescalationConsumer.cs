using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using MassTransit;
using Declaration = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Leverages.Leverages;

/// <summary>
/// When a crisis de-escalates (back to monitoring and preparedness) or ends, its leverages are flagged for review and
/// those declared conditional on it are lifted. Once per message and leverage (the message id is in the request id).
/// </summary>
public sealed class CrisisDeescalationConsumer(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock) :
    IConsumer<Declaration.CrisisStageChanged>,
    IConsumer<Declaration.CrisisEnded>
{
    public Task Consume(ConsumeContext<Declaration.CrisisStageChanged> context) =>
        context.Message.To == "MonitoringAndPreparedness"
            ? Deescalate(context.Message.CrisisId, false, context.Message.Decision, "de-escalated to monitoring and preparedness",
                context.MessageId, context.CancellationToken)
            : Task.CompletedTask;

    public Task Consume(ConsumeContext<Declaration.CrisisEnded> context) =>
        Deescalate(context.Message.CrisisId, true, context.Message.Decision, "ended", context.MessageId, context.CancellationToken);

    private async Task Deescalate(string crisisId, bool ended, Contracts.DecisionInfo cause, string what, Guid? messageId, CancellationToken ct)
    {
        IReadOnlyList<LeverageView> tied;
        await using (var session = store.QuerySession())
        {
            tied = await session.Query<LeverageView>()
                .Where(l => l.CrisisId == crisisId && (l.Status == LeverageStatus.Proposed || l.Status == LeverageStatus.Imposed || l.Status == LeverageStatus.Suspended))
                .ToListAsync(ct);
        }

        var reason = $"crisis {crisisId} {what}: {cause.Justification} (decided by {cause.ActorName}, {cause.Ministry}, {cause.DecidedAt:O})";
        foreach (var leverage in tied)
        {
            var requestId = $"deescalation/{messageId}";
            var decision = new Decision(Actor.CrisisCascade, clock.GetUtcNow(), null, reason, requestId);
            await store.DecideAsync(LeverageStream.Definition, new CommandEnvelope(leverage.Id, null, Actor.CrisisCascade, $"{leverage.Id}/{requestId}", "deescalation"),
                s => LeverageDecider.Decide(s, new CrisisDeescalated(crisisId, ended, reason, decision, cause.DecidedAt), catalogue), clock, ct);
        }
    }
}
