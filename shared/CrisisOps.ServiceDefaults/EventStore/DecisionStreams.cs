using System.Diagnostics;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Telemetry;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>What a decision changed on a stream: what its documents (views, deadlines) follow from.</summary>
/// <typeparam name="TState">The stream's state record.</typeparam>
/// <param name="StreamId">The stream.</param>
/// <param name="State">Its state after the decision.</param>
/// <param name="Version">Its version after the decision.</param>
/// <param name="NewEvents">The events this decision appended (never the stream's earlier events).</param>
public sealed record StreamChange<TState>(string StreamId, TState State, long Version, IReadOnlyList<object> NewEvents)
    where TState : class;

/// <summary>
/// The pure definition of one kind of event stream: how its state evolves, and which documents
/// (read views, deadlines) follow from a change of its state. Both run inside the transaction that
/// appends the events, so views and deadlines never disagree with the events.
/// </summary>
/// <typeparam name="TState">The immutable state the decider needs, kept beside the stream (<see cref="StreamHead"/>).</typeparam>
/// <param name="Evolve">The pure fold of one event into state.</param>
/// <param name="Persist">Writes what follows from a change: derived from the new state, never from the stream's history.</param>
/// <param name="Serialized">
/// Decisions on one stream of this kind are taken one at a time (a PostgreSQL advisory lock on the stream, held until
/// commit) instead of optimistically: for hot streams where many callers compete, such as places in a facility.
/// </param>
public sealed record StreamDefinition<TState>(
    Func<TState?, object, TState?> Evolve,
    Action<IDocumentOperations, StreamChange<TState>> Persist,
    bool Serialized = false)
    where TState : class
{
    /// <summary>Folds events into state.</summary>
    public TState? Fold(TState? state, IEnumerable<object> events) => events.Aggregate(state, Evolve);

    /// <summary>Whether a stream that begins with <paramref name="first"/> is of this kind (its fold starts from it).</summary>
    public bool Starts(object first)
    {
        try
        {
            return Evolve(null, first) is not null;
        }
        catch (InvalidOperationException)
        {
            // The folds refuse an event they have no transition for; as the first event, it marks another kind of stream.
            return false;
        }
    }

    /// <summary>What a stream of this kind holds, in words ("needs assessment"), for a refusal that names it.</summary>
    public string Kind => string.Concat(typeof(TState).Name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>What a write command carries besides its domain content.</summary>
/// <param name="StreamId">The stream the command acts on.</param>
/// <param name="ExpectedVersion">The version the client read; null where the client has no expectation (observations).</param>
/// <param name="Actor">The authenticated actor.</param>
/// <param name="RequestId">The client's idempotency key.</param>
/// <param name="Fingerprint">A hash of the request, to refuse a reused request id.</param>
public sealed record CommandEnvelope(string StreamId, long? ExpectedVersion, Actor Actor, string RequestId, string Fingerprint);

/// <summary>The answer to a write command.</summary>
/// <param name="StreamId">The stream written.</param>
/// <param name="Version">Its version after the command.</param>
/// <param name="Replayed">True when the request id had been seen: nothing new was recorded.</param>
/// <param name="Events">The events recorded by this call (empty when replayed or when nothing changed).</param>
public sealed record CommandOutcome(string StreamId, long Version, bool Replayed, IReadOnlyList<object> Events);

/// <summary>The answer to one command of a batch (<see cref="DecisionStreams.DecideEachAsync{TState}"/>).</summary>
/// <param name="Command">The command.</param>
/// <param name="Outcome">What was recorded (or replayed, or nothing when nothing changed); null when it failed.</param>
/// <param name="Failure">Why this command alone was not decided (a refusal, a stale version, a broken stream); null when decided.</param>
public sealed record StreamDecision(CommandEnvelope Command, CommandOutcome? Outcome, Exception? Failure);

/// <summary>
/// Runs a pure decision against an event stream: idempotent on the request id, optimistic on the version,
/// with the decision metadata (actor, trace) stamped on the events and each event chained to the one before it
/// (<see cref="EventChain"/>). This is the whole persistence layer, and the only way events are appended.
/// </summary>
public static class DecisionStreams
{
    private const int RetriesWithoutExpectation = 5;

    /// <summary>
    /// Reads the stream's kept state and the request id's record in one round trip, decides, appends, writes the new
    /// state and what follows from it; all or nothing. The cost does not depend on the stream's length: its events
    /// are read only when no kept state matches them (a store written before streams kept their state).
    /// </summary>
    public static Task<CommandOutcome> DecideAsync<TState>(
        this IDocumentStore store,
        StreamDefinition<TState> definition,
        CommandEnvelope command,
        Func<TState?, IReadOnlyList<object>> decide,
        TimeProvider clock,
        CancellationToken ct)
        where TState : class =>
        store.DecideAsync(definition, command, static (_, _) => Task.FromResult(0), (state, _) => decide(state), clock, ct);

    /// <summary>
    /// As <see cref="DecideAsync{TState}(IDocumentStore, StreamDefinition{TState}, CommandEnvelope, Func{TState, IReadOnlyList{object}}, TimeProvider, CancellationToken)"/>,
    /// for a decision that also needs facts outside its stream (documents of the same store): <paramref name="read"/>
    /// reads them in the decision's transaction, after the lock of a serialized stream, so that two decisions on the
    /// stream never decide on facts read in the other order.
    /// </summary>
    public static async Task<CommandOutcome> DecideAsync<TState, TFacts>(
        this IDocumentStore store,
        StreamDefinition<TState> definition,
        CommandEnvelope command,
        Func<IQuerySession, CancellationToken, Task<TFacts>> read,
        Func<TState?, TFacts, IReadOnlyList<object>> decide,
        TimeProvider clock,
        CancellationToken ct)
        where TState : class
    {
        DecisionTelemetry.Deciding(command);
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var batch = session.CreateBatchQuery();
            Task<IReadOnlyList<string>>? locked = null;
            if (definition.Serialized)
            {
                // The stream's lock as the first statement of the read batch, not a round trip of its own (one command
                // in four): each statement of the batch reads what was committed before it ran, so the reads after the
                // lock see every decision that held it before.
                await session.BeginTransactionAsync(ct);
                locked = batch.Query<string>(LockInBatch, command.StreamId);
            }

            var prior = batch.Load<ProcessedCommand>(Key(command));
            var kept = batch.Load<StreamHead>(command.StreamId);
            var stream = batch.Events.FetchStreamState(command.StreamId);
            await batch.Execute(ct);
            if (locked is not null) await locked;
            var replay = Replay(await prior, command);
            if (replay is not null) return DecisionTelemetry.Decided(replay);

            var (state, version, chainHead) = await CurrentAsync(session, definition, command.StreamId, await kept, await stream, store, ct);
            var facts = await read(session, ct);
            if (command.ExpectedVersion is { } expected && expected != version)
            {
                // On a stream that does not exist the decider names what is missing (NotFound), not a version.
                if (version == 0) decide(state, facts);
                throw new VersionConflictException(command.StreamId, expected, version);
            }

            var events = decide(state, facts);
            if (events.Count == 0) return DecisionTelemetry.Decided(new CommandOutcome(command.StreamId, version, false, []));

            // The metadata first: the decision signature made in AppendSealed covers the actor and the headers.
            StampMetadata(session, command.Actor, command.RequestId);
            var newHead = AppendSealed(session, command.StreamId, version, chainHead, events, store);

            var newVersion = version + events.Count;
            var newState = definition.Fold(state, events)
                ?? throw new InvalidOperationException($"stream {command.StreamId} evolved to no state");
            WriteDecided(session, definition, command, newState, newVersion, newHead, events, clock);

            try
            {
                await session.SaveChangesAsync(ct);
                return DecisionTelemetry.Decided(new CommandOutcome(command.StreamId, newVersion, false, events));
            }
            catch (Exception ex) when (IsConflict(ex))
            {
                // Either the stream moved or the same request id was committed by a concurrent retry.
                await using var check = store.QuerySession();
                var replayed = Replay(await check.LoadAsync<ProcessedCommand>(Key(command), ct), command);
                if (replayed is not null) return DecisionTelemetry.Decided(replayed);
                if (command.ExpectedVersion is { } ev)
                {
                    var now = (await check.Events.FetchStreamStateAsync(command.StreamId, ct))?.Version ?? 0;
                    throw new VersionConflictException(command.StreamId, ev, now);
                }

                if (attempt >= RetriesWithoutExpectation) throw;
            }
        }
    }

    /// <summary>
    /// One decision on each of many streams of one kind, taken by one actor (the system at a legal deadline), in one
    /// transaction: one read batch for every stream's kept state, version and request record, each stream's pure
    /// decision, then one commit appending every stream's events, each sealed and signed as
    /// <see cref="AppendSealed"/> does, with each stream's kept state, views and request record. Thousands of legal ends
    /// at one instant cost a few hundred commits instead of one each (issue 12: expiry precision).
    /// </summary>
    /// <remarks>
    /// Per command as <see cref="DecideAsync{TState}(IDocumentStore, StreamDefinition{TState}, CommandEnvelope, Func{TState, IReadOnlyList{object}}, TimeProvider, CancellationToken)"/>:
    /// a request id already recorded is replayed, a stale expected version or a decision that throws fails that
    /// command alone (its <see cref="StreamDecision.Failure"/>), and the others are still decided. A conflict at the commit (a
    /// concurrent decision moved one of the streams, or recorded one of the request ids) records nothing and throws:
    /// the caller decides those streams one at a time (<see cref="DecideAsync{TState}(IDocumentStore, StreamDefinition{TState}, CommandEnvelope, Func{TState, IReadOnlyList{object}}, TimeProvider, CancellationToken)"/>),
    /// each reading its stream afresh. The session's metadata is the batch's: one actor, one trace (the batch's
    /// activity) on every event, each signature covering them; the causation is each command's request id.
    /// </remarks>
    /// <returns>One answer per command, in the order given.</returns>
    public static async Task<IReadOnlyList<StreamDecision>> DecideEachAsync<TState>(
        this IDocumentStore store,
        StreamDefinition<TState> definition,
        IReadOnlyList<CommandEnvelope> commands,
        Func<CommandEnvelope, TState?, IReadOnlyList<object>> decide,
        TimeProvider clock,
        CancellationToken ct)
        where TState : class
    {
        if (commands.Count == 0) return [];
        var actor = commands[0].Actor;
        if (commands.Any(c => c.Actor != actor))
            throw new ArgumentException("the decisions of one batch are one actor's: the session's metadata is the batch's", nameof(commands));
        if (commands.Select(c => c.StreamId).Distinct(StringComparer.Ordinal).Count() != commands.Count)
            throw new ArgumentException("one decision per stream in a batch: each is decided on the stream as it was read", nameof(commands));

        await using var session = store.LightweightSession();
        var batch = session.CreateBatchQuery();
        var locks = new List<Task<IReadOnlyList<string>>>();
        if (definition.Serialized)
        {
            // As DecideAsync, every stream's lock in the read batch; in one order, so two batches never wait on each other.
            await session.BeginTransactionAsync(ct);
            foreach (var id in commands.Select(c => c.StreamId).Order(StringComparer.Ordinal)) locks.Add(batch.Query<string>(LockInBatch, id));
        }

        var priors = batch.LoadMany<ProcessedCommand>().ById(commands.Select(Key).ToArray());
        var heads = batch.LoadMany<StreamHead>().ById(commands.Select(c => c.StreamId).ToArray());
        var streams = commands.Select(c => batch.Events.FetchStreamState(c.StreamId)).ToList();
        await batch.Execute(ct);
        await Task.WhenAll(locks);
        var priorByKey = (await priors).ToDictionary(p => p.Id, StringComparer.Ordinal);
        var headById = (await heads).ToDictionary(h => h.Id, StringComparer.Ordinal);

        var answers = new StreamDecision[commands.Count];
        var recorded = new List<int>();
        for (var i = 0; i < commands.Count; i++)
        {
            var command = commands[i];
            TState state;
            long version;
            string chainHead;
            IReadOnlyList<object> events;
            try
            {
                var replay = Replay(priorByKey.GetValueOrDefault(Key(command)), command);
                if (replay is not null)
                {
                    answers[i] = new StreamDecision(command, DecisionTelemetry.Decided(replay), null);
                    continue;
                }

                TState? current;
                (current, version, chainHead) = await CurrentAsync(session, definition, command.StreamId,
                    headById.GetValueOrDefault(command.StreamId), await streams[i], store, ct);
                if (command.ExpectedVersion is { } expected && expected != version)
                {
                    if (version == 0) decide(command, current);
                    throw new VersionConflictException(command.StreamId, expected, version);
                }

                events = decide(command, current);
                if (events.Count == 0)
                {
                    answers[i] = new StreamDecision(command, DecisionTelemetry.Decided(new CommandOutcome(command.StreamId, version, false, [])), null);
                    continue;
                }

                state = definition.Fold(current, events) ?? throw new InvalidOperationException($"stream {command.StreamId} evolved to no state");
            }
            catch (Exception ex) when (ex is DomainException or InvalidOperationException)
            {
                // A refusal or a broken stream fails its own command, before anything of it is in the session.
                answers[i] = new StreamDecision(command, null, ex);
                continue;
            }

            // Once, before the first append: the signatures made in AppendSealed cover the actor and the headers.
            if (recorded.Count == 0) StampMetadata(session, actor, command.RequestId);
            var newHead = AppendSealed(session, command.StreamId, version, chainHead, events, store);
            foreach (var e in session.PendingChanges.Streams().Single(s => s.Key == command.StreamId).Events) e.CausationId = command.RequestId;
            var newVersion = version + events.Count;
            WriteDecided(session, definition, command, state, newVersion, newHead, events, clock);
            answers[i] = new StreamDecision(command, new CommandOutcome(command.StreamId, newVersion, false, events), null);
            recorded.Add(i);
        }

        if (recorded.Count == 0) return answers;
        await session.SaveChangesAsync(ct);
        foreach (var i in recorded) DecisionTelemetry.Decided(answers[i].Outcome!);
        return answers;
    }

    /// <summary>
    /// The state, version and chain head of a stream: its kept state when that matches the stream's version and this
    /// build's state record, otherwise folded once from its events (the document is then written with the decision).
    /// </summary>
    private static async Task<(TState? State, long Version, string ChainHead)> CurrentAsync<TState>(IDocumentSession session,
        StreamDefinition<TState> definition, string streamId, StreamHead? kept, StreamState? stream, IDocumentStore store, CancellationToken ct)
        where TState : class
    {
        var version = stream?.Version ?? 0;
        if (version == 0) return (null, 0, EventChain.Genesis);
        if (kept is not null && kept.Version == version && kept.Kind == KeptState.ShapeOf<TState>() && kept.ChainHead.Length > 0)
            return (KeptState.Read<TState>(kept.State), version, kept.ChainHead);

        var history = await session.Events.FetchStreamAsync(streamId, token: ct);
        // A caller may name any stream (an assistance request's id as a needs assessment's): one of another kind
        // starts with an event this fold cannot start from, and is not found rather than folded into an exception.
        if (history.Count > 0 && !definition.Starts(history[0].Data)) throw new NotFoundException(definition.Kind, streamId);
        return (definition.Fold(null, history.Select(e => e.Data)), history.Count == 0 ? 0 : history[^1].Version, EventChain.HeadOf(history, store));
    }

    /// <summary>
    /// The state of a stream as it stands, for a reader that needs only its current state: the kept state, or, for a
    /// stream without one that matches, folded from its events. Null when the stream does not exist or is of another kind.
    /// </summary>
    public static async Task<TState?> CurrentStateAsync<TState>(this IQuerySession session, StreamDefinition<TState> definition, string streamId,
        CancellationToken ct)
        where TState : class
    {
        var kept = await session.LoadAsync<StreamHead>(streamId, ct);
        if (kept is not null && kept.Kind == KeptState.ShapeOf<TState>()
            && (await session.Events.FetchStreamStateAsync(streamId, ct))?.Version == kept.Version)
            return KeptState.Read<TState>(kept.State);
        var history = await session.Events.FetchStreamAsync(streamId, token: ct);
        return history.Count > 0 && definition.Starts(history[0].Data) ? definition.Fold(null, history.Select(e => e.Data)) : null;
    }

    /// <summary>
    /// What every recorded decision writes beside its events, in its transaction: the stream's kept state, what follows
    /// from the change (views, deadlines) and the request id's record.
    /// </summary>
    private static void WriteDecided<TState>(IDocumentSession session, StreamDefinition<TState> definition, CommandEnvelope command,
        TState state, long version, string chainHead, IReadOnlyList<object> events, TimeProvider clock)
        where TState : class
    {
        session.Store(Head(command.StreamId, state, version, chainHead));
        definition.Persist(session, new StreamChange<TState>(command.StreamId, state, version, events));
        session.Insert(new ProcessedCommand
        {
            Id = Key(command),
            StreamId = command.StreamId,
            Version = version,
            Fingerprint = command.Fingerprint,
            RecordedAt = clock.GetUtcNow(),
        });
    }

    private static StreamHead Head<TState>(string streamId, TState state, long version, string chainHead) => new()
    {
        Id = streamId,
        Kind = KeptState.ShapeOf<TState>(),
        Version = version,
        ChainHead = chainHead,
        State = KeptState.Write(state),
    };

    /// <summary>
    /// Appends <paramref name="events"/> to a stream that stands at <paramref name="version"/> (0: a new stream) with
    /// <paramref name="chainHead"/> as the hash of its last event (<see cref="EventChain.Genesis"/> for a new stream),
    /// expecting the stream still to end there, each event sealed onto the stream's hash chain
    /// (<see cref="EventChain"/>). Every append of a service goes through here: an event appended any other way carries
    /// no chain hash, and the auditor reports it as inserted behind the service. Each event is also signed with the
    /// service's key (<see cref="DecisionSignatures"/>): stamp the metadata (<see cref="StampMetadata"/>) first.
    /// </summary>
    /// <returns>The chain hash of the last event appended: the stream's new chain head.</returns>
    public static string AppendSealed(IDocumentSession session, string streamId, long version, string chainHead, IReadOnlyList<object> events,
        IDocumentStore store)
    {
        var action = version == 0
            ? session.Events.StartStream(streamId, events)
            : session.Events.Append(streamId, version + events.Count, events);
        EventChain.Seal(action, version, chainHead, store);
        DecisionSignatures.Sign(session, action, version, store);
        return EventChain.HashOf(action.Events[^1]) ?? throw new InvalidOperationException($"stream {streamId}: the append was not sealed");
    }

    private const string LockInBatch = "select 'locked' from (select pg_advisory_xact_lock(hashtextextended(?, 0))) as stream_lock";

    /// <summary>
    /// Opens the session's transaction and takes the stream's advisory lock in it (a decision takes the same lock in its read
    /// batch, <see cref="DecideAsync{TState, TFacts}"/>): one decision on the stream at a
    /// time, across every instance of the service, until the transaction ends.
    /// </summary>
    public static async Task LockAsync(IDocumentSession session, string streamId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        await using var command = session.Connection!.CreateCommand();
        command.CommandText = "select pg_advisory_xact_lock(hashtextextended(@stream, 0))";
        command.Parameters.Add(new Npgsql.NpgsqlParameter("stream", streamId));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Stamps who and which trace on everything the session appends.</summary>
    public static void StampMetadata(IDocumentSession session, Actor actor, string causation)
    {
        session.LastModifiedBy = actor.Subject;
        session.CausationId = causation;
        if (Activity.Current is { } activity)
        {
            session.CorrelationId = activity.TraceId.ToString();
            session.SetHeader(TraceHeader, activity.Id!);
        }

        session.SetHeader("actor-role", actor.Role.ToString());
        if (actor.Country.Length > 0) session.SetHeader("actor-country", actor.Country);
    }

    /// <summary>The headers <see cref="StampMetadata"/> sets on the session (the decision signature covers them).</summary>
    public static readonly IReadOnlyList<string> SessionHeaders = [TraceHeader, "actor-role", "actor-country"];

    /// <summary>The event header that carries the W3C trace parent of the call that recorded the event.</summary>
    public const string TraceHeader = "traceparent";

    private static string Key(CommandEnvelope command) => $"{command.Actor.Subject}/{command.RequestId}";

    private static CommandOutcome? Replay(ProcessedCommand? prior, CommandEnvelope command)
    {
        if (prior is null) return null;
        if (prior.Fingerprint != command.Fingerprint)
            throw new InvalidFieldException("request_id", $"'{command.RequestId}' was already used for a different command");
        return new CommandOutcome(prior.StreamId, prior.Version, true, []);
    }

    private static bool IsConflict(Exception ex) =>
        ex is EventStreamUnexpectedMaxEventIdException or DocumentAlreadyExistsException or ConcurrencyException
            or ExistingStreamIdCollisionException
        || (ex.InnerException is not null && IsConflict(ex.InnerException));
}
