extern alias declaration;
extern alias measures;
using System.Data;
using System.Diagnostics;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Law;
using CrisisOps.Transparency;
using JasperFx.Events;
using Marten;
using Npgsql;
using Spectre.Console;
using Weasel.Core;

namespace CrisisOps.Benchmarks.Scenarios;

/// <summary>
/// The auditor against the raw read of the same rows, on lawful histories bulk-loaded into a scratch schema (chained,
/// with the log chain and the Merkle log the services would have written): the audit (replay, every check, both hash
/// chains) at two sizes, extrapolated to 10,000,000 events (target &lt; 5 min); the checkpoint-consistency verification
/// (the tree recomputed from the rows, against a signed checkpoint) against a raw read of the leaf columns (target
/// &gt;= 0.5x); and inclusion proofs from the stored log at the larger size (target p99 &lt; 10 ms), beside the read of one
/// leaf row. One counted round of each, after a warm-up at the first size: on two cores a million events take minutes a pass.
/// </summary>
public static class AuditReplay
{
    private const long TenMillion = 10_000_000;

    public static async Task RunAsync(BenchContext context, ScenarioResult result)
    {
        int[] sizes = context.AuditSizes ?? (context.Ci ? [2_000, 8_000] : [250_000, 1_000_000]);
        var rounds = 1;
        var schema = $"bench_{context.Run}_audit";
        using var store = RawStore.Open(context.Postgres, schema);
        try
        {
            await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            var loader = new HistoryLoader(store, context.Postgres, schema);
            var timings = new List<(long Events, double Audit, double Raw)>();
            foreach (var size in sizes)
            {
                var loaded = await loader.GrowAsync(size);
                var audit = new List<double>();
                var raw = new List<double>();
                // The first round at the first size warms up (JIT, PostgreSQL's cache) and is not counted.
                for (var round = size == sizes[0] ? 0 : 1; round <= rounds; round++)
                {
                    var r = await TimeAsync(() => RawReadAsync(context.Postgres, schema));
                    var (a, report) = await TimeAsync(() => AuditAsync(context.Postgres, schema));
                    Check(r.Count, loaded, "raw read");
                    Check(report.EventsReplayed, loaded, "audit");
                    if (!report.Passed) throw new InvalidOperationException($"the audit of the generated histories failed: {report.Errors} error(s)");
                    if (round == 0) continue;
                    audit.Add(a);
                    raw.Add(r.Seconds);
                }

                timings.Add((loaded, Median(audit), Median(raw)));
                AnsiConsole.MarkupLine(Markup.Escape($"  audit of {loaded:N0} events: {Median(audit):0.0} s; raw read {Median(raw):0.0} s"));
            }

            var (small, large) = (timings[0], timings[^1]);
            result.Add(new Figure($"audit of {large.Events:N0} events: events/s", large.Events / large.Audit, "/s", large.Events / large.Raw,
                "raw read of the same rows (Npgsql, the audit's reader)", "", null, $"{large.Audit:0.0} s vs {large.Raw:0.0} s"));
            var audit10M = Extrapolate(small.Events, small.Audit, large.Events, large.Audit);
            var raw10M = Extrapolate(small.Events, small.Raw, large.Events, large.Raw);
            result.Add(Figure.Below("audit of 10,000,000 events, extrapolated from the two sizes", audit10M, "s", 300, raw10M,
                "raw read, extrapolated the same way", $"measured at {small.Events:N0} and {large.Events:N0} events"));

            await CheckpointVerificationAsync(context, schema, large.Events, rounds, result);
            await InclusionProofsAsync(store, large.Events, context.Size(500, 50), result);
        }
        finally
        {
            if (!context.Keep)
            {
                await using var c = new NpgsqlConnection(context.Postgres);
                await c.OpenAsync();
                await using var drop = new NpgsqlCommand($"drop schema if exists {EventStoreReader.Quote(schema)} cascade", c);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    /// <summary>Straight-line extrapolation through the two measured sizes (fixed costs and the per-event cost).</summary>
    private static double Extrapolate(long n1, double t1, long n2, double t2) => t1 + ((t2 - t1) / (n2 - n1) * (TenMillion - n1));

    private static async Task CheckpointVerificationAsync(BenchContext context, string schema, long events, int rounds, ScenarioResult result)
    {
        using var key = NoteKey.Generate($"bench.crisisops.example/{schema}", NoteKeyType.Ed25519);
        var root = await RootFromRowsAsync(context.Postgres, schema);
        var checkpoint = new KeptCheckpoint(SignedCheckpoint.Sign(Checkpoint.At($"bench.crisisops.example/{schema}", events, root, DateTimeOffset.UtcNow), key), "benchmark");
        var verify = new List<double>();
        var raw = new List<double>();
        // Warmed up by the root computed above, which runs the same reader and hashing.
        for (var round = 1; round <= rounds; round++)
        {
            var r = await TimeAsync(() => RawLeafReadAsync(context.Postgres, schema));
            var clock = Stopwatch.StartNew();
            var findings = await LogAuditRunner.RunAsync(context.Postgres, [schema], [checkpoint], null, CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            if (findings.FirstOrDefault(f => f.Severity == Severity.Error) is { } error)
                throw new InvalidOperationException($"the checkpoint verification failed: {error.Rule}: {error.Message}");
            Check(r.Count, events, "raw read of the leaf columns");
            if (round == 0) continue;
            verify.Add(seconds);
            raw.Add(r.Seconds);
        }

        result.Add(Figure.AtLeast($"checkpoint-consistency verification at {events:N0} events: events/s", events / Median(verify), "/s",
            events / Median(raw), "raw read of the same rows and columns", 0.5, $"{Median(verify):0.0} s vs {Median(raw):0.0} s"));
    }

    private static async Task InclusionProofsAsync(DocumentStore store, long size, int proofs, ScenarioResult result)
    {
        await using var session = store.QuerySession();
        var root = await MerkleLogReader.RootAsync(session, size, CancellationToken.None);
        var random = new Random(12);
        var proof = new List<double>();
        var row = new List<double>();
        for (var i = 0; i < proofs; i++)
        {
            var index = random.NextInt64(size);
            var clock = Stopwatch.StartNew();
            var path = await MerkleLogReader.InclusionAsync(session, index, size, CancellationToken.None);
            proof.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var leaf = await session.LoadAsync<MerkleLeaf>(MerkleLeaf.IdOf(index));
            row.Add(clock.Elapsed.TotalMilliseconds);
            if (leaf is null || !MerkleVerifier.VerifyInclusion(index, size, Convert.FromHexString(leaf.Hash), path, root))
                throw new InvalidOperationException($"the inclusion proof of leaf {index} in the tree of {size} does not verify");
        }

        result.Add(Figure.Below($"inclusion proof at {size:N0} events (stored log, verified): p99", Propagation.Percentile(proof, 0.99), "ms", 10,
            Propagation.Percentile(row, 0.99), "p99 of reading one leaf row", $"p50 {Propagation.Percentile(proof, 0.5):0.00} ms, {proofs} proofs"));
    }

    /// <summary>The root recomputed from the rows, as an auditor would before keeping a checkpoint.</summary>
    private static async Task<byte[]> RootFromRowsAsync(string connection, string schema)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        var tree = new MerkleBuilder();
        await foreach (var leaf in EventLeafRows.ReadAsync(c, schema, 0, long.MaxValue, CancellationToken.None)) tree.Append(leaf.Hash());
        return tree.Root();
    }

    /// <summary>The rows the verification reads, every column read, nothing hashed.</summary>
    private static async Task<long> RawLeafReadAsync(string connection, string schema)
    {
        await using var c = new NpgsqlConnection(connection);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand($"select {EventLeafRows.Columns} from {EventLeafRows.Quote(schema)}.mt_events e order by e.seq_id", c);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess);
        long count = 0;
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            count++;
        }

        return count;
    }

    private static async Task<long> RawReadAsync(string connection, string schema)
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

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// Bulk-loads whole lawful histories (<see cref="HistoryGenerator"/>) into the scratch store in steps, chaining each
    /// stream, then extends the log chain and the Merkle log over the new rows in commit order, as the services'
    /// subscriptions would have.
    /// </summary>
    private sealed class HistoryLoader(DocumentStore store, string connection, string schema)
    {
        private readonly HistoryGenerator _generator = new(LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law")));
        private readonly MerkleBuilder _tree = new();
        private string _logHead = EventChain.Genesis;
        private long _lastSequence;
        private long _events;
        private int _crises;
        private int _measures;

        public async Task<long> GrowAsync(long target)
        {
            var clock = Stopwatch.StartNew();
            var batch = new List<StreamAction>();
            async Task AddAsync((string Stream, IReadOnlyList<object> Events) history)
            {
                var action = StreamAction.Start(store.Events, history.Stream, [.. history.Events]);
                EventChain.Seal(action, 0, EventChain.Genesis, store);
                batch.Add(action);
                _events += history.Events.Count;
                if (batch.Count >= 20_000)
                {
                    await store.BulkInsertEventsAsync(batch, batchSize: 5_000);
                    batch.Clear();
                }
            }

            if (_events == 0)
            {
                // The store adopts the law first, as every service does at start-up: the audit reads it from there.
                var law = _generator.Law;
                await AddAsync((LawAdoption.StreamOf(law.Version), [new CrisisOps.ServiceDefaults.Law.LawAdopted(law.Version, law.Content, "law/",
                    new Decision(LawAdoption.Adopter, new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero), null, "benchmark store", "law-adoption"))]));
            }

            // A quarter of the events are crises (4 each), three quarters measures (3 each), each measure for a crisis
            // loaded in this step or before.
            var crises = _crises + (int)((target - _events) / 16) + 1;
            for (; _crises < crises; _crises++) await AddAsync(_generator.Crisis(_crises));
            while (_events < target) await AddAsync(_generator.Measure(_measures++, _crises));
            if (batch.Count > 0) await store.BulkInsertEventsAsync(batch, batchSize: 5_000);
            AnsiConsole.MarkupLine(Markup.Escape($"  loaded {_events:N0} events ({_crises:N0} crises, {_measures:N0} measures) in {clock.Elapsed.TotalSeconds:0} s"));

            clock.Restart();
            await SealAsync();
            AnsiConsole.MarkupLine(Markup.Escape($"  log chain and Merkle log extended to {_events:N0} leaves in {clock.Elapsed.TotalSeconds:0} s"));
            return _events;
        }

        /// <summary>The log-chain links and Merkle leaves and nodes of the rows loaded since the last call.</summary>
        private async Task SealAsync()
        {
            var links = new List<LogChainLink>();
            var leaves = new List<MerkleLeaf>();
            var nodes = new List<MerkleNode>();
            await using (var c = new NpgsqlConnection(connection))
            {
                await c.OpenAsync();
                await foreach (var leaf in EventLeafRows.ReadAsync(c, schema, _lastSequence, long.MaxValue, CancellationToken.None))
                {
                    foreach (var (address, hash) in _tree.Append(leaf.Hash()))
                    {
                        if (address.Level == 0) leaves.Add(new MerkleLeaf { Id = MerkleLeaf.IdOf(address.Index), Sequence = leaf.Sequence, Hash = Convert.ToHexStringLower(hash) });
                        else nodes.Add(new MerkleNode { Id = MerkleNode.IdOf(address), Hash = Convert.ToHexStringLower(hash) });
                    }
                }

                await using var read = new NpgsqlCommand(
                    $"select seq_id, stream_id, version, headers->>'{EventChain.HashHeader}' from {EventStoreReader.Quote(schema)}.mt_events where seq_id > @after order by seq_id", c);
                read.Parameters.AddWithValue("after", _lastSequence);
                await using var reader = await read.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    var hash = reader.GetString(3);
                    _logHead = EventChain.LogLink(_logHead, reader.GetInt64(0), hash);
                    links.Add(new LogChainLink { Id = reader.GetInt64(0), StreamKey = reader.GetString(1), Version = reader.GetInt64(2), EventHash = hash, LogHash = _logHead });
                    _lastSequence = reader.GetInt64(0);
                }
            }

            await store.BulkInsertAsync(links, BulkInsertMode.InsertsOnly, batchSize: 10_000);
            await store.BulkInsertAsync(leaves, BulkInsertMode.InsertsOnly, batchSize: 10_000);
            await store.BulkInsertAsync(nodes, BulkInsertMode.InsertsOnly, batchSize: 10_000);
        }
    }
}
