extern alias service;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Marten;
using Marten.Services;
using Npgsql;
using Xunit;
using BorderWatch = service::CrisisOps.Declaration.EarlyWarning.BorderWatch;
using BorderWatchStream = service::CrisisOps.Declaration.EarlyWarning.BorderWatchStream;
using IndicatorGroup = service::CrisisOps.Declaration.EarlyWarning.IndicatorGroup;
using IndicatorLevel = service::CrisisOps.Declaration.EarlyWarning.IndicatorLevel;
using RecordIndicator = service::CrisisOps.Declaration.EarlyWarning.RecordIndicator;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>
/// A decision reads the state its stream keeps (<see cref="StreamHead"/>), not the stream: on the real PostgreSQL,
/// every statement a decision sends is recorded, and none of them reads the stream's events.
/// </summary>
[Collection(StackCollection.Name)]
public sealed partial class KeptStateTests(StackFixture stack)
{
    private static readonly Actor Sensor = new("pl-border-guard", "PL border guard", Role.Ministry, "Border Guard", "PL");
    private static readonly DateTimeOffset Nov2021 = new(2021, 11, 8, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_decision_on_a_stream_of_three_hundred_events_sends_what_one_on_three_sends_and_reads_no_event()
    {
        var log = new StatementLog();
        using var store = NewStore(log);
        for (var i = 0; i < 3; i++) await Record(store, "short", i);
        for (var i = 0; i < 300; i++) await Record(store, "long", i);

        log.Clear();
        var onShort = await Record(store, "short", 1000);
        var shortStatements = log.Take();
        var onLong = await Record(store, "long", 1000);
        var longStatements = log.Take();

        Assert.InRange(onShort.Version, 4, 10);
        Assert.InRange(onLong.Version, 301, 700);
        // The reads: processed command, kept state and stream version (one batch), then Marten's own version check
        // and sequence; the writes differ only by how many events each decision appended.
        Assert.NotEmpty(longStatements);
        Assert.Equal(shortStatements.Where(Reads).Count(), longStatements.Where(Reads).Count());
        Assert.DoesNotContain(longStatements, ReadsEvents);
        Assert.DoesNotContain(shortStatements, ReadsEvents);
        // Keeping the state changed nothing of what is recorded: every event is on its stream's hash chain.
        await EventChains.AssertChainedAsync(store, BorderWatch.IdFor("PL", "long"));
    }

    [Fact]
    public async Task A_stream_recorded_before_streams_kept_their_state_is_folded_once_and_decides_as_one_that_kept_it()
    {
        using var kept = NewStore(new StatementLog());
        var log = new StatementLog();
        using var older = NewStore(log);
        for (var i = 0; i < 20; i++)
        {
            await Record(kept, "section", i);
            await Record(older, "section", i);
        }

        var id = BorderWatch.IdFor("PL", "section");
        // The store as an earlier release left it: events, views, processed commands, and no kept state.
        await using (var session = older.LightweightSession())
        {
            session.Delete<StreamHead>(id);
            await session.SaveChangesAsync();
        }

        log.Clear();
        var fromEvents = await Record(older, "section", 20, IndicatorLevel.Critical);
        Assert.Contains(log.Take(), ReadsEvents);
        var fromKept = await Record(kept, "section", 20, IndicatorLevel.Critical);
        Assert.Equal(fromKept.Version, fromEvents.Version);
        Assert.Equal(await RowsAsync(kept, id), await RowsAsync(older, id));

        await using (var query = older.QuerySession())
        {
            var head = await query.LoadAsync<StreamHead>(id);
            Assert.NotNull(head);
            Assert.Equal(fromEvents.Version, head.Version);
        }

        log.Clear();
        await Record(older, "section", 21);
        Assert.DoesNotContain(log.Take(), ReadsEvents);
        await EventChains.AssertChainedAsync(older, id);
    }

    [Fact]
    public async Task A_stream_appended_to_behind_its_kept_state_is_folded_again_from_its_events()
    {
        var log = new StatementLog();
        using var store = NewStore(log);
        var id = BorderWatch.IdFor("PL", "behind");
        for (var i = 0; i < 3; i++) await Record(store, "behind", i);
        // An append that wrote no state document (as the hand-built appends of earlier releases did).
        await using (var session = store.LightweightSession())
        {
            var history = await session.Events.FetchStreamAsync(id);
            var state = BorderWatchStream.Definition.Fold(null, history.Select(e => e.Data));
            DecisionStreams.StampMetadata(session, Sensor, "behind");
            DecisionStreams.AppendSealed(session, id, history[^1].Version, EventChain.HeadOf(history, store),
                BorderWatch.Decide(state, Command("behind", 3, IndicatorLevel.High)), store);
            await session.SaveChangesAsync();
        }

        log.Clear();
        var outcome = await Record(store, "behind", 4, IndicatorLevel.High);
        Assert.Contains(log.Take(), ReadsEvents);
        await using var query = store.QuerySession();
        var events = await query.Events.FetchStreamAsync(id);
        Assert.Equal(events[^1].Version, outcome.Version);
        Assert.Equal(outcome.Version, (await query.LoadAsync<StreamHead>(id))!.Version);
        await EventChains.AssertChainedAsync(store, id);
    }

    private DocumentStore NewStore(StatementLog log) => DocumentStore.For(o =>
    {
        MartenConventions.ConfigureStore(o, stack.Infra.Postgres, TestSettings.NewSchema("kept"));
        o.Logger(log);
    });

    private static RecordIndicator Command(string section, int i, IndicatorLevel level) =>
        new("PL", section, (IndicatorGroup)(i % 4), $"kind-{i % 7}", level, $"reading {i}", "sensor", Nov2021.AddMinutes(i),
            new Decision(Sensor, Nov2021.AddMinutes(i), null, "observed at the border", $"reading-{section}-{i}"));

    private static Task<CommandOutcome> Record(IDocumentStore store, string section, int i, IndicatorLevel? level = null)
    {
        var command = Command(section, i, level ?? (IndicatorLevel)(i % 3 + 1));
        var envelope = new CommandEnvelope(BorderWatch.IdFor("PL", section), null, Sensor, command.Decision.RequestId, $"f-{section}-{i}");
        return store.DecideAsync(BorderWatchStream.Definition, envelope, s => BorderWatch.Decide(s, command), TimeProvider.System, default);
    }

    /// <summary>What an auditor compares of a stream: each event's version, type, data and chain hash, as stored.</summary>
    private async Task<List<string>> RowsAsync(IDocumentStore store, string id)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"select version, type, data::text, headers->>'{EventChain.HashHeader}' from {store.Options.Events.DatabaseSchemaName}.mt_events where stream_id = @id order by version";
        command.Parameters.AddWithValue("id", id);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add($"{reader.GetInt64(0)} {reader.GetString(1)} {reader.GetString(2)} {reader.GetString(3)}");
        return rows;
    }

    private static bool ReadsEvents(string sql) => EventsRead().IsMatch(sql);

    private static bool Reads(string sql) => sql.StartsWith("select", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\bfrom\s+\S*mt_events\b", RegexOptions.IgnoreCase)]
    private static partial Regex EventsRead();

    /// <summary>Every statement the store sends, as Marten logs it.</summary>
    private sealed class StatementLog : IMartenLogger, IMartenSessionLogger
    {
        private ConcurrentQueue<string> _statements = new();

        public void Clear() => _statements = new();

        public List<string> Take()
        {
            var taken = _statements.ToList();
            Clear();
            return taken;
        }

        public IMartenSessionLogger StartSession(IQuerySession session) => this;

        public void SchemaChange(string sql)
        {
        }

        public void LogSuccess(NpgsqlCommand command) => _statements.Enqueue(command.CommandText);

        public void LogSuccess(NpgsqlBatch batch)
        {
            foreach (var command in batch.BatchCommands) _statements.Enqueue(command.CommandText);
        }

        public void LogFailure(NpgsqlCommand command, Exception ex) => _statements.Enqueue(command.CommandText);

        public void LogFailure(NpgsqlBatch batch, Exception ex) => LogSuccess(batch);

        public void LogFailure(Exception ex, string message)
        {
        }

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
        {
        }

        public void OnBeforeExecute(NpgsqlCommand command)
        {
        }

        public void OnBeforeExecute(NpgsqlBatch batch)
        {
        }
    }
}
