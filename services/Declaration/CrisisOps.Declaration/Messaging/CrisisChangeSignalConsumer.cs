using CrisisOps.ServiceDefaults.Messaging;
using MassTransit;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.Messaging;

/// <summary>Turns the service's own published crisis events into wake-ups of local watches.</summary>
public sealed class CrisisChangeSignalConsumer(ChangeFeed feed) :
    IConsumer<Contract.CrisisDeclared>,
    IConsumer<Contract.EmergencyDeclared>,
    IConsumer<Contract.EmergencyExtended>,
    IConsumer<Contract.EmergencyExpired>,
    IConsumer<Contract.EmergencyLifted>,
    IConsumer<Contract.CrisisStageChanged>,
    IConsumer<Contract.CrisisEnded>
{
    public Task Consume(ConsumeContext<Contract.CrisisDeclared> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyDeclared> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyExtended> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyExpired> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.EmergencyLifted> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.CrisisStageChanged> context) => Wake(context.Message.CrisisId);

    public Task Consume(ConsumeContext<Contract.CrisisEnded> context) => Wake(context.Message.CrisisId);

    private Task Wake(string crisisId)
    {
        feed.Notify(crisisId);
        return Task.CompletedTask;
    }
}
