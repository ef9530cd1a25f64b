using CrisisOps.ServiceDefaults.Messaging;
using MassTransit;
using Contract = CrisisOps.Contracts.Leverages.V1;

namespace CrisisOps.Leverages.Messaging;

/// <summary>Turns the service's own published leverage events into wake-ups of local watches.</summary>
public sealed class LeverageChangeSignalConsumer(ChangeFeed feed) :
    IConsumer<Contract.LeverageProposed>,
    IConsumer<Contract.AllyPositionRecorded>,
    IConsumer<Contract.LeverageImposed>,
    IConsumer<Contract.LeverageReviewed>,
    IConsumer<Contract.LeverageRenewed>,
    IConsumer<Contract.LeverageEscalated>,
    IConsumer<Contract.LeverageSuspended>,
    IConsumer<Contract.LeverageResumed>,
    IConsumer<Contract.LeverageLifted>,
    IConsumer<Contract.LeverageLapsed>,
    IConsumer<Contract.LeverageReviewFellDue>,
    IConsumer<Contract.LeverageFlaggedForReview>
{
    public Task Consume(ConsumeContext<Contract.LeverageProposed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.AllyPositionRecorded> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageImposed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageReviewed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageRenewed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageEscalated> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageSuspended> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageResumed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageLifted> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageLapsed> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageReviewFellDue> context) => Wake(context.Message.LeverageId);

    public Task Consume(ConsumeContext<Contract.LeverageFlaggedForReview> context) => Wake(context.Message.LeverageId);

    private Task Wake(string leverageId)
    {
        feed.Notify(leverageId);
        return Task.CompletedTask;
    }
}
