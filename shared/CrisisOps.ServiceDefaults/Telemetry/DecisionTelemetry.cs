using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;

namespace CrisisOps.ServiceDefaults.Telemetry;

/// <summary>
/// What a duty officer watches, as OpenTelemetry metrics on the <c>CrisisOps</c> meter (the service is the
/// resource's <c>service.name</c>), and the attributes that find a decision's trace from its request id.
/// </summary>
public static class DecisionTelemetry
{
    /// <summary>The meter every service exports.</summary>
    public const string MeterName = "CrisisOps";

    /// <summary>Span attribute: the request_id of the command (the caller's idempotency key).</summary>
    public const string RequestIdTag = "crisisops.request_id";

    /// <summary>Span attribute: the stream decided on.</summary>
    public const string StreamTag = "crisisops.stream";

    /// <summary>Span attribute: the crisis the decision concerns, where it concerns one.</summary>
    public const string CrisisIdTag = "crisisops.crisis_id";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("crisisops.decisions", "{decision}",
        "Commands decided, by outcome: recorded, replayed (a retried request_id), unchanged (nothing to record), refused");

    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("crisisops.refusals", "{refusal}",
        "Commands refused by a legal rule or safeguard, by rule (FAILED_PRECONDITION)");

    private static readonly Histogram<double> RelayLag = Meter.CreateHistogram<double>("crisisops.relay.lag", "s",
        "From an event's commit to its publication on RabbitMQ by the relay");

    private static readonly Histogram<double> DeadlineLag = Meter.CreateHistogram<double>("crisisops.deadline.lag", "s",
        "From a durable deadline's due moment (a legal end) to the moment the service acted on it");

    private static readonly ConcurrentDictionary<Type, PropertyInfo?> CrisisIdProperties = new();

    /// <summary>Tags the current span (the gRPC call or consumer) with the command's request id and stream.</summary>
    public static void Deciding(CommandEnvelope command)
    {
        if (Activity.Current is not { } activity) return;
        activity.SetTag(RequestIdTag, command.RequestId);
        activity.SetTag(StreamTag, command.StreamId);
    }

    /// <summary>Counts the outcome; tags the span with the crisis the recorded events name. Returns the outcome.</summary>
    public static CommandOutcome Decided(CommandOutcome outcome)
    {
        var kind = outcome.Replayed ? "replayed" : outcome.Events.Count == 0 ? "unchanged" : "recorded";
        Decisions.Add(1, new KeyValuePair<string, object?>("outcome", kind));
        if (Activity.Current is { } activity && CrisisOf(outcome) is { } crisis) activity.SetTag(CrisisIdTag, crisis);
        return outcome;
    }

    /// <summary>
    /// Counts a command the law refused (a rule or safeguard: FAILED_PRECONDITION), by rule. Other refusals (a bad
    /// field, a stale version, no permission) are the caller's mistakes, not decisions, and stay in the gRPC metrics.
    /// </summary>
    public static void Refused(DomainException refusal)
    {
        if (refusal is not RuleViolationException rule) return;
        Decisions.Add(1, new KeyValuePair<string, object?>("outcome", "refused"));
        Refusals.Add(1, new KeyValuePair<string, object?>("rule", rule.Rule));
        Activity.Current?.SetTag("crisisops.rule", rule.Rule);
    }

    /// <summary>Records how long after its commit an event was published.</summary>
    public static void Relayed(DateTimeOffset committedAt, DateTimeOffset publishedAt) =>
        RelayLag.Record(Math.Max(0, (publishedAt - committedAt).TotalSeconds));

    /// <summary>Records how long after its due moment a deadline was acted on.</summary>
    public static void DeadlineActedOn(DateTimeOffset dueAt, DateTimeOffset actedAt) =>
        DeadlineLag.Record(Math.Max(0, (actedAt - dueAt).TotalSeconds));

    /// <summary>
    /// The crisis a decision concerns: the <c>CrisisId</c> its events carry (a crisis's own events, and the measures,
    /// leverages and humanitarian requests that answer one). The property is looked up once per event type.
    /// </summary>
    private static string? CrisisOf(CommandOutcome outcome)
    {
        foreach (var e in outcome.Events)
        {
            var property = CrisisIdProperties.GetOrAdd(e.GetType(), t => t.GetProperty("CrisisId") is { PropertyType: var p } found
                && p == typeof(string) ? found : null);
            if (property?.GetValue(e) is string { Length: > 0 } crisis) return crisis;
        }

        return null;
    }
}
