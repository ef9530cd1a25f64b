using System.Diagnostics;
using System.Globalization;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using JasperFx.Events;
using Marten;
using Npgsql;
using Weasel.Core;

namespace CrisisOps.Auditor.Benchmarks;

/// <summary>
/// Bulk-loads lawful histories (at least a million events, chained and sealed like the services do) into a scratch
/// schema, then measures in the same run, in alternating rounds: the raw read of those events by Marten
/// (<c>QueryAllRawEvents</c>, the baseline of tech-notes §3), the raw read of the same rows with Npgsql, and the audit
/// (replay, every check, both hash chains). The figures are medians of the rounds; compare ratios, not absolute speeds.
/// </summary>
public static class AuditBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var connection = Argument(args, "--connection") ?? Environment.GetEnvironmentVariable("ConnectionStrings__postgres")
            ?? throw new ArgumentException("give --connection or set ConnectionStrings__postgres (eval \"$(deploy/infra.sh)\")");
        var target = int.Parse(Argument(args, "--events") ?? "1000000", CultureInfo.InvariantCulture);
        var rounds = int.Parse(Argument(args, "--rounds") ?? "3", CultureInfo.InvariantCulture);
        var keep = args.Contains("--keep");
        var schema = Argument(args, "--schema") ?? $"audit_bench_{Guid.NewGuid():N}"[..24];

        Console.WriteLine($"CrisisOps audit benchmark: {target:N0} events into scratch schema {schema}; {Environment.ProcessorCount} cores");
        using var store = DocumentStore.For(o => MartenConventions.ConfigureStore(o, connection, schema));
        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var loaded = await LoadAsync(store, connection, schema, target);

            var marten = new List<double>();
            var npgsql = new List<double>();
            var audit = new List<double>();
            AuditReport? report = null;
            for (var round = 0; round <= rounds; round++)
            {
                // Round 0 warms up (JIT, PostgreSQL's cache) and is not counted.
                var m = await TimeAsync(() => MartenRawReadAsync(store));
                var n = await TimeAsync(() => NpgsqlRawReadAsync(connection, schema));
                var (a, r) = await TimeAsync(() => AuditAsync(connection, schema));
                report = r;
                Check(m.Count, loaded, "Marten raw read");
                Check(n.Count, loaded, "Npgsql raw read");
                Check(r.EventsReplayed, loaded, "audit");
                var label = round == 0 ? "warm-up" : $"round {round}";
                Console.WriteLine($"  {label,-8} Marten raw {Rate(loaded, m.Seconds),12}   Npgsql raw {Rate(loaded, n.Seconds),12}   audit {Rate(loaded, a),12}");
                if (round == 0) continue;
                marten.Add(loaded / m.Seconds);
                npgsql.Add(loaded / n.Seconds);
                audit.Add(loaded / a);
            }

            Console.WriteLine();
            Console.WriteLine($"Audit of {loaded:N0} events: {(report!.Passed ? "PASSED" : "FAILED")}, {report.DecisionsChecked:N0} decisions checked, {report.Errors} error(s), {report.Warnings} warning(s), {report.Crises.Count:N0} crises, {report.RecordedEnds.Count:N0} recorded ends");
            Console.WriteLine($"Median of {rounds} round(s), events per second:");
            Console.WriteLine($"  raw read, Marten QueryAllRawEvents  {Median(marten),12:N0}");
            Console.WriteLine($"  raw read, Npgsql (the audit's rows) {Median(npgsql),12:N0}");
            Console.WriteLine($"  audit (replay + checks + chains)    {Median(audit),12:N0}");
            Console.WriteLine($"  audit / Marten raw read             {Median(audit) / Median(marten),12:P0}   (target: at least 50 %)");
            Console.WriteLine($"  audit / Npgsql raw read             {Median(audit) / Median(npgsql),12:P0}");
            return report.Passed ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                await using var c = new NpgsqlConnection(connection);
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand($"drop schema if exists {EventStoreReader.Quote(schema)} cascade", c);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>Bulk-loads whole histories until at least <paramref name="target"/> events, chains them, then seals the log.</summary>
    private static async Task<long> LoadAsync(DocumentStore store, string connection, string schema, int target)
    {
        var law = LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law"));
        var generator = new HistoryGenerator(law);
        // A quarter of the events are crises (4 each), three quarters measures (3 each).
        var crises = (target / 4 + 3) / 4;
        var measures = (target - (crises * 4) + 2) / 3;
        var clock = Stopwatch.StartNew();
        long events = 0;
        var batch = new List<StreamAction>();
        async Task FlushAsync()
        {
            await store.BulkInsertEventsAsync(batch, batchSize: 5_000);
            batch.Clear();
        }

        async Task AddAsync((string Stream, IReadOnlyList<object> Events) history)
        {
            var action = StreamAction.Start(store.Events, history.Stream, [.. history.Events]);
            EventChain.Seal(action, 0, EventChain.Genesis, store);
            batch.Add(action);
            events += history.Events.Count;
            if (batch.Count >= 20_000) await FlushAsync();
        }

        // The store adopts the law first, as every service does at start-up: the audit reads it from there.
        await AddAsync((LawAdoption.StreamOf(law.Version), [new CrisisOps.ServiceDefaults.Law.LawAdopted(law.Version, law.Content, "law/",
            new Decision(LawAdoption.Adopter, new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), null, "benchmark store", "law-adoption"))]));
        for (var i = 0; i < crises; i++) await AddAsync(generator.Crisis(i));
        for (var j = 0; j < measures; j++) await AddAsync(generator.Measure(j, crises));
        if (batch.Count > 0) await FlushAsync();
        Console.WriteLine($"Loaded {events:N0} events ({crises:N0} crises, {measures:N0} measures) in {clock.Elapsed.TotalSeconds:0.0} s with BulkInsertEventsAsync");

        clock.Restart();
        var links = new List<LogChainLink>();
        var head = EventChain.Genesis;
        await using (var c = new NpgsqlConnection(connection))
        {
            await c.OpenAsync();
            await using var read = new NpgsqlCommand(
                $"select seq_id, stream_id, version, headers->>'{EventChain.HashHeader}' from {EventStoreReader.Quote(schema)}.mt_events order by seq_id", c);
            await using var reader = await read.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var hash = reader.GetString(3);
                head = EventChain.LogLink(head, reader.GetInt64(0), hash);
                links.Add(new LogChainLink { Id = reader.GetInt64(0), StreamKey = reader.GetString(1), Version = reader.GetInt64(2), EventHash = hash, LogHash = head });
            }
        }

        // What the log-chain subscription would have written, had the events come through the services.
        await store.BulkInsertAsync(links, BulkInsertMode.InsertsOnly, batchSize: 10_000);
        Console.WriteLine($"Sealed the log chain ({links.Count:N0} checkpoints) in {clock.Elapsed.TotalSeconds:0.0} s");
        return events;
    }

    private static async Task<long> MartenRawReadAsync(DocumentStore store)
    {
        await using var session = store.QuerySession();
        long count = 0;
        await foreach (var e in session.Events.QueryAllRawEvents().ToAsyncEnumerable())
        {
            if (e.Data is not null) count++;
        }

        return count;
    }

    private static async Task<long> NpgsqlRawReadAsync(string connection, string schema)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        long count = 0;
        await foreach (var row in EventStoreReader.ReadAsync(c, schema, hasLogChain: false, CancellationToken.None))
        {
            if (row.Event is not null) count++;
        }

        return count;
    }

    private static async Task<AuditReport> AuditAsync(string connection, string schema)
    {
        var stores = await AuditRunner.StoresAsync(connection, [schema], CancellationToken.None);
        return await AuditRunner.RunAsync(connection, stores, new AuditOptions(TimeProvider.System.GetUtcNow(), AuditOptions.DefaultTolerance),
            null, TimeProvider.System, CancellationToken.None);
    }

    private static async Task<(long Count, double Seconds)> TimeAsync(Func<Task<long>> run)
    {
        var clock = Stopwatch.StartNew();
        var count = await run();
        return (count, clock.Elapsed.TotalSeconds);
    }

    private static async Task<(double Seconds, AuditReport Report)> TimeAsync(Func<Task<AuditReport>> run)
    {
        var clock = Stopwatch.StartNew();
        var report = await run();
        return (clock.Elapsed.TotalSeconds, report);
    }

    private static void Check(long read, long loaded, string what)
    {
        if (read != loaded) throw new InvalidOperationException($"{what} saw {read:N0} events, {loaded:N0} were loaded");
    }

    private static string Rate(long events, double seconds) => $"{events / seconds:N0}/s";

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static string? Argument(string[] args, string name) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
