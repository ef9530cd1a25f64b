using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Messaging;
using Marten;
using MassTransit;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Strain;

/// <summary>
/// Records the strain of regions and countries as events of a <c>strain-{country}</c> stream, from this service's own
/// published facility changes: no dual write (the facility decision commits alone; this follows from its publication)
/// and no read of another service. The message only says which country to look at: the figures are read from this
/// service's facility views under a per-country lock, so messages arriving late, twice or out of order cannot record
/// a wrong level, and a message about a facility this service does not hold changes nothing.
/// </summary>
public sealed class AreaStrainConsumer(IDocumentStore store, StrainPolicy policy, TimeProvider clock) :
    IConsumer<Contract.FacilityRegistered>,
    IConsumer<Contract.OccupancyChanged>,
    IConsumer<Contract.ContingencyActivated>,
    IConsumer<Contract.ContingencyDeactivated>
{
    public const string Name = "area-strain";

    public static readonly Actor Assessor = new("system:reception-strain", "CrisisOps reception strain", Role.System, "", "");

    public Task Consume(ConsumeContext<Contract.FacilityRegistered> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.OccupancyChanged> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyActivated> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyDeactivated> context) => AssessAsync(context, context.Message.Country);

    private Task<bool> AssessAsync<T>(ConsumeContext<T> context, string country)
        where T : class =>
        store.ConsumeOnceAsync(Name, context.MessageId, clock.GetUtcNow(), async session =>
        {
            var ct = context.CancellationToken;
            var streamId = AreaStrain.StreamIdFor(country);
            // The lock of serialized decision streams: one assessment of a country at a time, in any instance.
            await DecisionStreams.LockAsync(session, streamId, ct);

            var history = await session.Events.FetchStreamAsync(streamId, token: ct);
            var facilities = await session.Query<FacilityView>().Where(f => f.Country == country).ToListAsync(ct);
            var events = AreaStrain.Assess(AreaStrain.Fold(history.Select(e => e.Data)), country, facilities, policy);
            if (events.Count == 0) return;
            DecisionStreams.StampMetadata(session, Assessor, context.MessageId?.ToString() ?? "");
            DecisionStreams.AppendSealed(session, streamId, history, events, store);
        }, context.CancellationToken);
}
