using CrisisOps.ServiceDefaults.Messaging;
using MassTransit;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Messaging;

/// <summary>Turns the service's own published events into wake-ups of local watches of their country.</summary>
public sealed class CapacityChangeSignalConsumer(ChangeFeed feed) :
    IConsumer<Contract.FacilityRegistered>,
    IConsumer<Contract.OccupancyChanged>,
    IConsumer<Contract.RegistrationPointStatusChanged>,
    IConsumer<Contract.ContingencyActivated>,
    IConsumer<Contract.ContingencyDeactivated>,
    IConsumer<Contract.ReceptionStrainChanged>
{
    public Task Consume(ConsumeContext<Contract.FacilityRegistered> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.OccupancyChanged> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.RegistrationPointStatusChanged> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyActivated> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyDeactivated> context) => Wake(context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ReceptionStrainChanged> context) => Wake(context.Message.Country);

    private Task Wake(string country)
    {
        feed.Notify(country);
        return Task.CompletedTask;
    }
}
