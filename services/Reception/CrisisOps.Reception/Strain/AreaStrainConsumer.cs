using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using MassTransit;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Strain;

/// <summary>
/// Records the strain of regions and countries as events of a <c>strain-{country}</c> stream, from this service's own
/// published facility changes: no dual write (the facility decision commits alone; this follows from its publication)
/// and no read of another service. The message only says which country to look at: the figures are read from this
/// service's facility views in the decision's transaction, under the country stream's lock, so messages arriving late,
/// twice or out of order cannot record a wrong level, and a message about a facility this service does not hold
/// changes nothing. The levels last recorded are the stream's kept state: no assessment reads the stream.
/// </summary>
public sealed class AreaStrainConsumer(IDocumentStore store, StrainPolicy policy, TimeProvider clock) :
    IConsumer<Contract.FacilityRegistered>,
    IConsumer<Contract.OccupancyChanged>,
    IConsumer<Contract.ContingencyActivated>,
    IConsumer<Contract.ContingencyDeactivated>
{
    public const string Name = "area-strain";

    public static readonly Actor Assessor = new("system:reception-strain", "CrisisOps reception strain", Role.System, "", "");

    /// <summary>One assessment of a country at a time, in any instance: the lock of serialized decision streams.</summary>
    public static readonly StreamDefinition<AreaStrain> Stream = new(
        static (state, e) => AreaStrain.Transition(state ?? AreaStrain.Initial, e), static (_, _) => { }, Serialized: true);

    public Task Consume(ConsumeContext<Contract.FacilityRegistered> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.OccupancyChanged> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyActivated> context) => AssessAsync(context, context.Message.Country);

    public Task Consume(ConsumeContext<Contract.ContingencyDeactivated> context) => AssessAsync(context, context.Message.Country);

    private Task<CommandOutcome> AssessAsync<T>(ConsumeContext<T> context, string country)
        where T : class
    {
        var messageId = context.MessageId ?? throw new InvalidOperationException("message has no MessageId");
        // An assessment is a function of the store's state, not of the message: assessing again records nothing twice.
        var envelope = new CommandEnvelope(AreaStrain.StreamIdFor(country), null, Assessor, messageId.ToString(), Name);
        return store.DecideAsync(Stream, envelope,
            async (session, ct) => await session.Query<FacilityView>().Where(f => f.Country == country).ToListAsync(ct),
            (state, facilities) => AreaStrain.Assess(state ?? AreaStrain.Initial, country, facilities, policy), clock, context.CancellationToken);
    }
}
