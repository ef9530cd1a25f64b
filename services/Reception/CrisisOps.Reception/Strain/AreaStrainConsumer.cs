using System.Security.Cryptography;
using System.Text;
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
/// and no read of another service. A message only says which country to look at: the figures are read from this
/// service's facility views in the decision's transaction, under the country stream's lock, so messages arriving late,
/// twice or out of order cannot record a wrong level, and a message about a facility this service does not hold
/// changes nothing. The levels last recorded are the stream's kept state: no assessment reads the stream.
/// </summary>
/// <remarks>
/// Messages come in batches (MassTransit's <see cref="Batch{T}"/>, <see cref="Configure"/>) rather than debounced per
/// area by hand: the broker keeps the messages unacknowledged until the batch's assessments commit, so redelivery after
/// a crash is MassTransit's as for any consumer, and a burst of arrivals (thousands of occupancy changes in one
/// country) costs one assessment per country per batch instead of one per message. The national level is a function
/// of every facility of the country, so an assessment still reads the country's views: once per batch.
/// </remarks>
public sealed class AreaStrainConsumer(IDocumentStore store, StrainPolicy policy, TimeProvider clock) :
    IConsumer<Batch<Contract.FacilityRegistered>>,
    IConsumer<Batch<Contract.OccupancyChanged>>,
    IConsumer<Batch<Contract.ContingencyActivated>>,
    IConsumer<Batch<Contract.ContingencyDeactivated>>
{
    public const string Name = "area-strain";

    /// <summary>The most messages of one type folded into one batch.</summary>
    public const int BatchLimit = 200;

    /// <summary>
    /// How long a batch waits for more messages after its first: short against the propagation target (strain reaching
    /// declaration under 100 ms at p99); under load the batch fills from the queue before it runs out.
    /// </summary>
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(10);

    public static readonly Actor Assessor = new("system:reception-strain", "CrisisOps reception strain", Role.System, "", "");

    /// <summary>One assessment of a country at a time, in any instance: the lock of serialized decision streams.</summary>
    public static readonly StreamDefinition<AreaStrain> Stream = new(
        static (state, e) => AreaStrain.Transition(state ?? AreaStrain.Initial, e), static (_, _) => { }, Serialized: true);

    /// <summary>
    /// The consumer's batching: one batch of each message type at a time per instance (assessments of one country wait
    /// on one lock anyway), the prefetch sized by MassTransit to fill it.
    /// </summary>
    public static void Configure(IRegistrationContext context, IConsumerConfigurator<AreaStrainConsumer> consumer) =>
        consumer.Options<BatchOptions>(o => o.SetMessageLimit(BatchLimit).SetTimeLimit(BatchWindow).SetConcurrencyLimit(1));

    public Task Consume(ConsumeContext<Batch<Contract.FacilityRegistered>> context) => AssessAsync(context.Message, m => m.Country, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<Contract.OccupancyChanged>> context) => AssessAsync(context.Message, m => m.Country, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<Contract.ContingencyActivated>> context) => AssessAsync(context.Message, m => m.Country, context.CancellationToken);

    public Task Consume(ConsumeContext<Batch<Contract.ContingencyDeactivated>> context) => AssessAsync(context.Message, m => m.Country, context.CancellationToken);

    private async Task AssessAsync<T>(Batch<T> batch, Func<T, string> countryOf, CancellationToken ct)
        where T : class
    {
        foreach (var country in batch.GroupBy(m => countryOf(m.Message), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // An assessment is a function of the store's state, not of the messages: assessing again records nothing
            // twice. Its request id names exactly the messages it answers, so a batch redelivered whole is recognised,
            // and one that mixes a redelivered message with a new one is assessed again.
            var envelope = new CommandEnvelope(AreaStrain.StreamIdFor(country.Key), null, Assessor, RequestIdOf(country), Name);
            await store.DecideAsync(Stream, envelope,
                async (session, token) => await session.Query<FacilityView>().Where(f => f.Country == country.Key).ToListAsync(token),
                (state, facilities) => AreaStrain.Assess(state ?? AreaStrain.Initial, country.Key, facilities, policy), clock, ct);
        }
    }

    private static string RequestIdOf<T>(IEnumerable<ConsumeContext<T>> messages)
        where T : class
    {
        var ids = messages.Select(m => m.MessageId ?? throw new InvalidOperationException("message has no MessageId"))
            .Distinct().Order().Select(id => id.ToString("N"));
        return $"batch-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', ids))))[..32]}";
    }
}
