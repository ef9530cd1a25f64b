using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using MassTransit;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Declaration.EarlyWarning;

/// <summary>
/// Reception strain is itself an early-warning indicator (territorial vulnerability): the inflow "threatens to
/// overwhelm the capacity of the target state". Each strain change reported by reception capacity is recorded on
/// the border watch it concerns, once per message (the message id is the request id).
/// </summary>
public sealed class ReceptionStrainConsumer(IDocumentStore store, TimeProvider clock) : IConsumer<Reception.ReceptionStrainChanged>
{
    public static readonly Actor ReceptionCapacity = new("system:reception-capacity", "Reception capacity service", Role.System, "", "");

    public const string Kind = "reception strain";

    public async Task Consume(ConsumeContext<Reception.ReceptionStrainChanged> context)
    {
        var m = context.Message;
        var section = m.BorderSection.Length > 0 ? m.BorderSection : m.Region.Length > 0 ? $"region:{m.Region}" : "national";
        var requestId = $"strain/{context.MessageId}";
        var observation = new RecordIndicator(m.Country.ToUpperInvariant(), section, IndicatorGroup.TerritorialVulnerability,
            $"{Kind} ({m.Scope} {m.ScopeId})", LevelOf(m.To),
            $"{m.Occupied} of {m.Capacity} places occupied ({m.OccupancyRate:P0}), {m.From} → {m.To}", "reception capacity service", m.ChangedAt,
            new Decision(ReceptionCapacity, clock.GetUtcNow(), null, $"reception strain {m.To} reported for {m.Scope} {m.ScopeId}", requestId));
        await store.DecideAsync(BorderWatchStream.Definition,
            new CommandEnvelope(BorderWatch.IdFor(observation.TargetCountry, section), null, ReceptionCapacity, requestId, "reception-strain"),
            s => BorderWatch.Decide(s, observation), clock, context.CancellationToken);
    }

    /// <summary>Overflow is critical; strain is high; a return to normal lowers the indicator instead of deleting it.</summary>
    public static IndicatorLevel LevelOf(string strain) => strain switch
    {
        "Overflow" => IndicatorLevel.Critical,
        "Strained" => IndicatorLevel.High,
        _ => IndicatorLevel.Low,
    };
}
