using System.Diagnostics;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Telemetry;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>Maps a committed domain event to the integration contract published for it, or null to keep it internal.</summary>
public interface IIntegrationEventMapper
{
    /// <summary>The contract for <paramref name="e"/>, or null.</summary>
    object? ToContract(IEvent e);

    /// <summary>
    /// Every contract published for <paramref name="e"/>: <see cref="ToContract"/>'s, and a mapper that publishes a
    /// newer version beside a shipped one (a V2 with more figures) adds it here. Each carries the event's id.
    /// </summary>
    IEnumerable<object> ToContracts(IEvent e) => ToContract(e) is { } contract ? [contract] : [];
}

/// <summary>Deliberate crash points, for the fault tests that prove nothing is lost between commit and publish.</summary>
public enum RelayFault
{
    None,
    /// <summary>Die after events are committed but before any is published.</summary>
    CrashBeforePublish,
    /// <summary>Die after publishing a page but before its progress is committed (forces a redelivery).</summary>
    CrashAfterPublish,
}

/// <summary>Relay settings (<c>Relay</c> configuration section).</summary>
public sealed class RelayOptions
{
    /// <summary>Fault injection for tests; never set in production.</summary>
    public RelayFault Fault { get; set; }

    /// <summary>
    /// How many streams of a page are published at once (each stream's events still one after another, in order).
    /// Publisher confirms stay on: a page's progress is committed only once every one of its messages is confirmed.
    /// </summary>
    public int PublishConcurrency { get; set; } = 32;
}

/// <summary>
/// The event store as the outbox: a Marten subscription that forwards committed events, in global order,
/// to RabbitMQ. Progress is committed only after the broker confirmed the page, so a crash re-sends the
/// page (at-least-once); the message id is the event id, which consumers deduplicate on.
/// </summary>
public sealed class IntegrationEventRelay : SubscriptionBase
{
    /// <summary>The activity source of the relay spans that join a decision's trace to its publication.</summary>
    public static readonly ActivitySource Source = new("CrisisOps.Relay");

    private readonly IBus _bus;
    private readonly IIntegrationEventMapper _mapper;
    private readonly RelayOptions _options;
    private readonly bool _progressWaitsForDisk;
    private readonly ILogger<IntegrationEventRelay> _logger;

    public IntegrationEventRelay(IBus bus, IIntegrationEventMapper mapper, IOptions<RelayOptions> options, IOptions<DaemonPolling> daemon,
        ILogger<IntegrationEventRelay> logger)
    {
        _progressWaitsForDisk = daemon.Value.DerivedCommitsWaitForDisk;
        _bus = bus;
        _mapper = mapper;
        _options = options.Value;
        _logger = logger;
        Name = "integration-event-relay";
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        // Faults strike a page that carries a decision to publish (not, say, the law a service adopts at start-up).
        if (_options.Fault == RelayFault.CrashBeforePublish && page.Events.Any(e => _mapper.ToContract(e) is not null)) Crash("before publishing");
        var published = 0;

        // One stream's events one after another, in version order: the consumers that run one message at a time
        // (measures' crisis facts, the situation picture, reception's area strain) read a stream's events in the
        // order they were decided (a pledge after its request). Across streams there is no order to keep (nor was
        // there: consumers apply messages of different streams as they come), so the streams of a page are published
        // side by side and their confirms arrive together instead of one round trip per event.
        var streams = page.Events
            .Select(e => (Event: e, Contracts: _mapper.ToContracts(e).ToList()))
            .Where(x => x.Contracts.Count > 0)
            .GroupBy(x => x.Event.StreamKey ?? "", StringComparer.Ordinal);
        await Parallel.ForEachAsync(streams,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.PublishConcurrency), CancellationToken = cancellationToken },
            async (stream, ct) =>
            {
                foreach (var (e, contracts) in stream)
                foreach (var contract in contracts)
                {
                    await PublishAsync(e, contract, ct);
                    Interlocked.Increment(ref published);
                }
            });

        DerivedCommit.Apply(operations, _progressWaitsForDisk);
        _logger.LogDebug("Relayed events {Floor}..{Ceiling}", page.SequenceFloor, page.SequenceCeiling);
        if (_options.Fault == RelayFault.CrashAfterPublish && published > 0) Crash("after publishing, before committing progress");
        return NullChangeListener.Instance;
    }

    private async Task PublishAsync(IEvent e, object contract, CancellationToken cancellationToken)
    {
        using var activity = Source.StartActivity($"relay {contract.GetType().Name}", ActivityKind.Producer, ParentOf(e));
        activity?.SetTag("crisisops.stream", e.StreamKey);
        activity?.SetTag("crisisops.sequence", e.Sequence);
        await _bus.Publish(contract, contract.GetType(), ctx =>
        {
            ctx.MessageId = e.Id;
            if (Guid.TryParse(e.CorrelationId, out var correlation)) ctx.CorrelationId = correlation;
            ctx.Headers.Set(RelayHeaders.Sequence, e.Sequence);
            ctx.Headers.Set(RelayHeaders.Stream, e.StreamKey);
            ctx.Headers.Set(RelayHeaders.Version, e.Version);
        }, cancellationToken);
        DecisionTelemetry.Relayed(e.Timestamp, DateTimeOffset.UtcNow);
    }

    private static string? ParentOf(IEvent e) =>
        e.Headers is not null && e.Headers.TryGetValue(DecisionStreams.TraceHeader, out var parent) ? parent?.ToString() : null;

    private void Crash(string where)
    {
        _logger.LogCritical("Relay fault injection: crashing {Where}", where);
        Environment.FailFast($"relay fault injection: {where}");
    }
}

/// <summary>Headers the relay puts on every integration message.</summary>
public static class RelayHeaders
{
    public const string Sequence = "es-seq";
    public const string Stream = "es-stream";
    public const string Version = "es-version";
    /// <summary>On messages a catch-up hands to a consumer: the feed they were read from (absent on the bus).</summary>
    public const string Source = "es-feed-source";
}
