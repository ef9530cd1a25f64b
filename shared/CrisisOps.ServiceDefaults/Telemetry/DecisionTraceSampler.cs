using System.Diagnostics;
using OpenTelemetry.Trace;

namespace CrisisOps.ServiceDefaults.Telemetry;

/// <summary>
/// Which traces are kept: every trace that starts with something arriving (a gRPC call, a message consumed, a
/// deadline firing) or going out on its own (a relayed event without a caller's trace), whole, because children follow
/// their root (<see cref="ParentBasedSampler"/>); and none of the background polling that starts by itself every second
/// (Marten's high-water mark and daemon queries, their PostgreSQL statements), which would drown the decisions.
/// <c>Telemetry:TraceBackground=true</c> keeps those too, for looking at the daemon itself.
/// </summary>
public sealed class DecisionTraceSampler(bool traceBackground) : Sampler
{
    /// <summary>The source of the spans of deadlines acted on.</summary>
    public static readonly ActivitySource Deadlines = new("CrisisOps.Deadlines");

    /// <summary>
    /// The sampler every service uses: roots decided here, children in the process as their parent was. A parent
    /// from elsewhere (a caller's traceparent, a message's) that its own sampler dropped does not drop ours: a ministry
    /// that samples its side lightly still gets every decision traced here, under its trace id.
    /// </summary>
    public static Sampler For(bool traceBackground)
    {
        var root = new DecisionTraceSampler(traceBackground);
        return new ParentBasedSampler(root, remoteParentSampled: new AlwaysOnSampler(), remoteParentNotSampled: root,
            localParentSampled: new AlwaysOnSampler(), localParentNotSampled: new AlwaysOffSampler());
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        traceBackground || samplingParameters.Kind is ActivityKind.Server or ActivityKind.Consumer or ActivityKind.Producer
            ? new SamplingResult(SamplingDecision.RecordAndSample)
            : new SamplingResult(SamplingDecision.Drop);
}
