extern alias service;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Crisis = service::CrisisOps.Declaration.Crises.Crisis;
using CrisisDecider = service::CrisisOps.Declaration.Crises.CrisisDecider;
using CrisisStream = service::CrisisOps.Declaration.Crises.CrisisStream;
using EmergencyExpiryHandler = service::CrisisOps.Declaration.Crises.EmergencyExpiryHandler;
using ExpireEmergency = service::CrisisOps.Declaration.Crises.ExpireEmergency;
using LiftEmergency = service::CrisisOps.Declaration.Crises.LiftEmergency;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>
/// Legal ends acted on many per transaction (issue 12: 10,000 emergencies ending at 24:00 of one date): each stream
/// decided on its own state, recorded once, stamped with its legal end; one stream moved by a lawful decision or
/// failing holds up none of the others of its batch.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BatchedExpiryTests(StackFixture stack)
{
    /// <summary>1 October 2021, 24:00 in Warsaw: the legal end of every emergency declared here.</summary>
    private static readonly DateTimeOffset LegalEnd = new(2021, 10, 1, 22, 0, 0, TimeSpan.Zero);

    private static readonly Actor Poland = new("pl-interior", "PL Ministry of the Interior", Role.Ministry, "Ministry of the Interior", "PL");

    /// <summary>The emergency expiry as the service has it, with a hook into its pure decision: what happens meanwhile.</summary>
    private sealed class ExpiryWithHook(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock, Action<Crisis?> meanwhile)
        : LegalEndHandler<Crisis>(store, clock)
    {
        public override string Kind => CrisisStream.ExpiryDeadline;

        protected override StreamDefinition<Crisis> Definition => CrisisStream.Definition;

        protected override IReadOnlyList<object> Expire(Crisis? state, Decision decision)
        {
            meanwhile(state);
            return CrisisDecider.Decide(state, new ExpireEmergency(decision), catalogue);
        }
    }

    [Fact]
    public async Task Forty_emergencies_ending_at_one_instant_expire_in_a_few_transactions_each_once_and_stamped_with_its_legal_end()
    {
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("batch");
        await using var service = await stack.StartDeclarationAsync(schema, clock);
        var crises = await DeclareAsync(service, 40);

        // Past the legal end: the service's own worker acts (its poll or the armed wake, whichever comes first).
        clock.SetUtcNow(new DateTimeOffset(2021, 10, 2, 6, 0, 0, TimeSpan.Zero));
        var expiries = await EventuallyAsync(async () => (await ExpiriesAsync(schema)) is { Count: 40 } all ? all : null);

        Assert.Equal(crises.Order(StringComparer.Ordinal), expiries.Select(e => e.Stream).Order(StringComparer.Ordinal));
        Assert.All(expiries, e => Assert.Equal(LegalEnd, e.ExpiredAt));
        // Several streams per transaction: at most one transaction per parallel slot and read, never one each.
        Assert.InRange(expiries.Select(e => e.Transaction).Distinct().Count(), 1, 20);
        // Each stream's expiry carries its own request id as its causation, though the batch shared one session.
        Assert.All(expiries, e => Assert.Equal($"{CrisisStream.ExpiryDeadline}/{e.Stream}/{LegalEnd:O}", e.Causation));
        var store = service.Services.GetRequiredService<IDocumentStore>();
        foreach (var id in crises) await EventChains.AssertChainedAsync(store, id);

        // Acted on a second time (a worker that crashed before it knew its commit stood): nothing more is recorded.
        var handler = service.Services.GetServices<IDeadlineHandler>().OfType<EmergencyExpiryHandler>().Single();
        var again = crises.Select(id => new Deadline
        {
            Id = Deadline.IdFor(CrisisStream.ExpiryDeadline, id), Kind = CrisisStream.ExpiryDeadline, StreamId = id, DueAt = LegalEnd,
        }).ToList();
        Assert.All(await handler.HandleEachAsync(again, CancellationToken.None), Assert.Null);
        Assert.Equal(40, (await ExpiriesAsync(schema)).Count);
        await using var query = store.QuerySession();
        Assert.Empty(await query.Query<Deadline>().ToListAsync());
    }

    [Fact]
    public async Task A_batch_in_which_one_emergency_was_extended_and_one_lifted_while_it_decided_expires_the_others_and_neither_of_those()
    {
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("batchmove");
        await using var service = await stack.StartDeclarationAsync(schema, clock);
        var crises = await DeclareAsync(service, 12);
        var (extended, lifted) = (crises[3], crises[7]);

        // Extended by the Sejm before the legal end: its deadline moves to the new end.
        clock.SetUtcNow(new DateTimeOffset(2021, 9, 30, 12, 0, 0, TimeSpan.Zero));
        await StackFixture.Client(service).ExtendEmergencyAsync(Requests.Extend(extended, 2, "2021-11-30", "Sejm resolution of 30 Sep 2021"),
            As(stack.Tokens.Ministry("PL")));

        var store = service.Services.GetRequiredService<IDocumentStore>();
        await using var query = store.QuerySession();
        var due = (await query.Query<Deadline>().ToListAsync()).Select(d => d.StreamId == extended ? Stale(d) : d).ToList();
        Assert.Equal(12, due.Count);

        // The batch acts a day after the end (its own clock; the service's worker sees nothing due). While it decides, the
        // government lifts one emergency: a lawful decision that moves that stream, so the batch cannot be recorded.
        var late = new FakeTimeProvider(new DateTimeOffset(2021, 10, 2, 6, 0, 0, TimeSpan.Zero));
        var catalogue = service.Services.GetRequiredService<LegalCatalogue>();
        var liftedMeanwhile = 0;
        var handler = new ExpiryWithHook(store, catalogue, late, state =>
        {
            if (state?.Id != lifted || Interlocked.Exchange(ref liftedMeanwhile, 1) == 1) return;
            var decision = new Decision(Poland, clock.GetUtcNow(), null, "the situation at the border eased", $"lift-{Guid.NewGuid():N}");
            store.DecideAsync(CrisisStream.Definition, new CommandEnvelope(lifted, null, Poland, decision.RequestId, "lift"),
                s => CrisisDecider.Decide(s, new LiftEmergency(decision), catalogue), clock, CancellationToken.None).GetAwaiter().GetResult();
        });

        var failures = await handler.HandleEachAsync(due, CancellationToken.None);

        Assert.All(failures, Assert.Null);
        var expiries = await ExpiriesAsync(schema);
        Assert.Equal(crises.Except([extended, lifted]).Order(StringComparer.Ordinal), expiries.Select(e => e.Stream).Order(StringComparer.Ordinal));
        Assert.All(expiries, e => Assert.Equal(LegalEnd, e.ExpiredAt));
        var liftedStream = await query.Events.FetchStreamAsync(lifted);
        Assert.Equal("emergency_lifted", liftedStream[^1].EventTypeName);
        // The extension's deadline stands at its new end (24:00 on 30 November, Warsaw), untouched by the stale one acted on.
        var moved = Assert.Single(await query.Query<Deadline>().ToListAsync());
        Assert.Equal((extended, new DateTimeOffset(2021, 11, 30, 23, 0, 0, TimeSpan.Zero)), (moved.StreamId, moved.DueAt));
        foreach (var id in crises) await EventChains.AssertChainedAsync(store, id);
    }

    [Fact]
    public async Task A_stream_that_fails_in_a_batch_backs_off_while_every_other_expiry_of_its_batch_is_recorded()
    {
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("batchfail");
        await using var service = await stack.StartDeclarationAsync(schema, clock);
        var crises = await DeclareAsync(service, 12);
        var broken = crises[5];

        // A worker of its own on a clock a day past the end; the service's worker, on its clock, sees nothing due.
        var late = new FakeTimeProvider(new DateTimeOffset(2021, 10, 2, 6, 0, 0, TimeSpan.Zero));
        var store = service.Services.GetRequiredService<IDocumentStore>();
        var handler = new ExpiryWithHook(store, service.Services.GetRequiredService<LegalCatalogue>(), late, state =>
        {
            if (state?.Id == broken) throw new InvalidOperationException($"stream {broken} cannot be read");
        });
        var worker = ActivatorUtilities.CreateInstance<DeadlineWorker>(service.Services, new IDeadlineHandler[] { handler }, (TimeProvider)late,
            new DeadlineWakeup());

        Assert.Equal(12, await worker.ActOnDueDeadlinesAsync(CancellationToken.None));

        var expiries = await ExpiriesAsync(schema);
        Assert.Equal(crises.Except([broken]).Order(StringComparer.Ordinal), expiries.Select(e => e.Stream).Order(StringComparer.Ordinal));
        // Recorded together, not one by one after a failed batch.
        Assert.InRange(expiries.Select(e => e.Transaction).Distinct().Count(), 1, 4);
        var failing = Assert.Single(worker.Failing);
        Assert.Equal((Deadline.IdFor(CrisisStream.ExpiryDeadline, broken), 1, late.GetUtcNow().AddSeconds(5)),
            (failing.Key, failing.Value.Attempts, failing.Value.RetryAt));
        // Backing off: the next look leaves it alone, and after the delay it is tried again.
        Assert.Equal(0, await worker.ActOnDueDeadlinesAsync(CancellationToken.None));
        late.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await worker.ActOnDueDeadlinesAsync(CancellationToken.None));
        Assert.Equal(2, worker.Failing.Single().Value.Attempts);
        Assert.Equal(11, (await ExpiriesAsync(schema)).Count);
    }

    private static Deadline Stale(Deadline moved) => new() { Id = moved.Id, Kind = moved.Kind, StreamId = moved.StreamId, DueAt = LegalEnd };

    /// <summary>Declares <paramref name="count"/> crises with an emergency from 2 September to 1 October 2021.</summary>
    private async Task<List<string>> DeclareAsync(RunningService service, int count)
    {
        var api = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var declared = await api.DeclareCrisisAsync(Requests.PolandBelarus(), poland);
            await api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, 1, "2021-09-02", "2021-10-01"), poland);
            crises.Add(declared.Result.Id);
        }

        return crises;
    }

    private sealed record Expiry(string Stream, DateTimeOffset ExpiredAt, string Transaction, string? Causation);

    /// <summary>Every recorded expiry of the store: its stream, its legal end, the transaction that recorded it (PostgreSQL's xmin) and its causation.</summary>
    private async Task<List<Expiry>> ExpiriesAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            select stream_id, coalesce(data->>'expiredAt', data->>'ExpiredAt')::timestamptz, xmin::text, causation_id
            from {schema}.mt_events where type = 'emergency_expired'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var found = new List<Expiry>();
        while (await reader.ReadAsync())
        {
            found.Add(new Expiry(reader.GetString(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero),
                reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return found;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition never held");
            await Task.Delay(100);
        }
    }
}
