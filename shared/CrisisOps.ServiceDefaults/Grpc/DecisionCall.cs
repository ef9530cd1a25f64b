using CrisisOps.Common.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Security;
using Google.Protobuf;
using Grpc.Core;
using Marten;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// The part every decision RPC shares: who decides (from the token), under which request id and with which request
/// fingerprint, when, and on which stream at which expected version. An RPC maps its request to a domain command,
/// builds the command's <see cref="Legal.Decision"/> once through <see cref="Decision"/>, and decides through this call.
/// </summary>
/// <remarks>
/// Started from the <see cref="ServerCallContext"/> rather than registered per service: everything it holds belongs
/// to one call (actor, request, cancellation), and the store and clock are the ones the gRPC class already has, so a
/// registration would add a line to every composition file and hold nothing.
/// </remarks>
public sealed class DecisionCall
{
    private readonly IDocumentStore _store;
    private readonly TimeProvider _clock;

    internal DecisionCall(ServerCallContext context, IMessage request, string? requestId, IDocumentStore store, TimeProvider clock)
    {
        Actor = context.Actor();
        RequestId = ProtoFields.RequestId(requestId);
        Fingerprint = ProtoFields.Fingerprint(request);
        CancellationToken = context.CancellationToken;
        _store = store;
        _clock = clock;
    }

    /// <summary>The authenticated actor, read from the token only.</summary>
    public Actor Actor { get; }

    /// <summary>The client's request id (the idempotency key), validated.</summary>
    public string RequestId { get; }

    /// <summary>A hash of the request as sent, so that a reused request id with another request is refused.</summary>
    public string Fingerprint { get; }

    /// <summary>The call's cancellation.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Refuses unless the actor is the ministry of <paramref name="country"/>; returns the call, for chaining.</summary>
    public DecisionCall ActingFor(string country)
    {
        Actor.EnsureMayActFor(country);
        return this;
    }

    /// <summary>The decision this call records: the actor, now, the legal basis where the act has one, and why.</summary>
    public Decision Decision(string justification, string? legalBasis = null) =>
        new(Actor, _clock.GetUtcNow(), legalBasis, justification, RequestId);

    /// <summary>Decides on <paramref name="streamId"/> (which may not exist yet) in one transaction: see <see cref="DecisionStreams"/>.</summary>
    public Task<CommandOutcome> DecideAsync<TState>(StreamDefinition<TState> definition, string streamId, long? expectedVersion,
        Func<TState?, IReadOnlyList<object>> decide)
        where TState : class =>
        _store.DecideAsync(definition, Envelope(streamId, expectedVersion), decide, _clock, CancellationToken);

    /// <summary>
    /// Decides on an existing stream: NOT_FOUND naming <paramref name="kind"/> when there is none, and, with
    /// <paramref name="countryOf"/>, refused unless the actor may act for the country of the state read for the
    /// decision itself (one read, no window between check and act).
    /// </summary>
    public Task<CommandOutcome> OnStreamAsync<TState>(StreamDefinition<TState> definition, string streamId, long? expectedVersion,
        string kind, Func<TState, IReadOnlyList<object>> decide, Func<TState, string>? countryOf = null)
        where TState : class =>
        DecideAsync(definition, streamId, expectedVersion, state =>
        {
            if (state is null) throw new NotFoundException(kind, streamId);
            if (countryOf is not null) Actor.EnsureMayActFor(countryOf(state));
            return decide(state);
        });

    /// <summary>The envelope <see cref="DecisionStreams.DecideAsync{TState}(IDocumentStore, StreamDefinition{TState}, CommandEnvelope, Func{TState, IReadOnlyList{object}}, TimeProvider, CancellationToken)"/> takes.</summary>
    public CommandEnvelope Envelope(string streamId, long? expectedVersion) => new(streamId, expectedVersion, Actor, RequestId, Fingerprint);
}

/// <summary>Starts a <see cref="DecisionCall"/> and maps its outcome.</summary>
public static class DecisionCalls
{
    /// <summary>Starts the decision call of an RPC: reads the actor and validates <c>request_id</c>.</summary>
    public static DecisionCall Deciding(this ServerCallContext context, IMessage request, string? requestId, IDocumentStore store, TimeProvider clock) =>
        new(context, request, requestId, store, clock);

    /// <summary>The common answer to a decision: the stream, its version after it, and whether it was a replay.</summary>
    public static async Task<CommandResult> AsResult(this Task<CommandOutcome> outcome) => ProtoFields.ToResult(await outcome);
}
