using System.Threading.Channels;
using CrisisOps.Auditor.Core.Reporting;
using Npgsql;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// Replays stores from PostgreSQL into the audit, as a pipeline over the two cores: one task reads rows and hands them
/// over in batches, each batch's data is read into the audit's records (<see cref="DecodedEvent"/>) on the thread pool
/// as soon as it is read, several batches at once, the hash chains are recomputed on a task of their own, and the
/// caller's task folds the decoded batches in sequence order. Only a few batches are in flight at any time, so memory
/// does not grow with the store.
/// </summary>
public static class AuditRunner
{
    private const int BatchSize = 512;

    // Batches read ahead of the fold: enough to keep both cores busy through a slow batch, few enough that the rows in
    // flight stay small beside the audit's own state (each one outlives a gen0 collection: the GC copies it).
    private const int InFlight = 4;

    /// <summary>The stores to audit: the schemas named, or every schema of the database that holds an event store.</summary>
    public static async Task<IReadOnlyList<(string Schema, bool HasLogChain)>> StoresAsync(string connectionString, IReadOnlyCollection<string>? schemas,
        CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var all = await EventStoreReader.EventStoresAsync(connection, ct);
        if (schemas is not { Count: > 0 }) return all;
        var missing = schemas.Where(s => all.All(a => a.Schema != s)).ToList();
        if (missing.Count > 0) throw new ArgumentException($"no event store in schema(s) {string.Join(", ", missing)}");
        return all.Where(a => schemas.Contains(a.Schema)).ToList();
    }

    /// <summary>How many events the stores hold, for a progress bar.</summary>
    public static async Task<long> CountAsync(string connectionString, IEnumerable<string> schemas, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        long total = 0;
        foreach (var schema in schemas) total += await EventStoreReader.CountAsync(connection, schema, ct);
        return total;
    }

    /// <summary>Replays every store into one audit and returns its report.</summary>
    /// <param name="connectionString">A role that may read the stores (crisisops_auditor).</param>
    /// <param name="stores">What <see cref="StoresAsync"/> returned.</param>
    /// <param name="options">Scope and reference moment.</param>
    /// <param name="progress">Receives the number of rows replayed so far.</param>
    /// <param name="clock">Stamps the report.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<AuditReport> RunAsync(string connectionString, IReadOnlyList<(string Schema, bool HasLogChain)> stores,
        AuditOptions options, IProgress<long>? progress, TimeProvider clock, CancellationToken ct)
    {
        var engine = new AuditEngine(options);
        long replayed = 0;
        foreach (var (schema, hasLogChain) in stores)
        {
            engine.BeginStore(schema, hasLogChain);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var batches = Channel.CreateBounded<(ReplayRow[] Rows, Task<DecodedEvent[]> Decoded)>(
                new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true });
            var reading = ReadAsync(connectionString, schema, hasLogChain, batches.Writer, stop.Token);
            // The hash chains are recomputed on a task of their own, beside the checks: they share no state.
            var toVerify = Channel.CreateBounded<ReplayRow[]>(new BoundedChannelOptions(InFlight) { SingleReader = true, SingleWriter = true });
            var verifying = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in toVerify.Reader.ReadAllAsync(stop.Token))
                        foreach (var row in batch) engine.VerifyChains(row);
                }
                catch (Exception ex)
                {
                    // Unblocks the writer below (a bounded channel nobody reads would hold it forever) with the cause.
                    toVerify.Writer.TryComplete(ex);
                    throw;
                }
            }, stop.Token);
            try
            {
                await foreach (var (rows, decoding) in batches.Reader.ReadAllAsync(stop.Token))
                {
                    await toVerify.Writer.WriteAsync(rows, stop.Token);
                    var decoded = await decoding;
                    for (var i = 0; i < rows.Length; i++) engine.Check(rows[i], decoded[i]);
                    replayed += rows.Length;
                    progress?.Report(replayed);
                }
            }
            catch
            {
                // Neither the reader nor the chains may wait forever on a channel no one empties.
                await stop.CancelAsync();
                throw;
            }
            finally
            {
                toVerify.Writer.TryComplete();
            }

            await verifying;
            await reading;
        }

        return engine.Complete(clock.GetUtcNow());
    }

    private static async Task ReadAsync(string connectionString, string schema, bool hasLogChain,
        ChannelWriter<(ReplayRow[] Rows, Task<DecodedEvent[]> Decoded)> writer, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            var batch = new List<ReplayRow>(BatchSize);
            await foreach (var row in EventStoreReader.ReadAsync(connection, schema, hasLogChain, ct))
            {
                batch.Add(row);
                if (batch.Count < BatchSize) continue;
                await WriteAsync(writer, [.. batch], ct);
                batch.Clear();
            }

            if (batch.Count > 0) await WriteAsync(writer, [.. batch], ct);
            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
        }
    }

    /// <summary>Hands a batch over with its decoding already started: the batches behind it in the channel decode meanwhile.</summary>
    private static ValueTask WriteAsync(ChannelWriter<(ReplayRow[] Rows, Task<DecodedEvent[]> Decoded)> writer, ReplayRow[] rows, CancellationToken ct) =>
        writer.WriteAsync((rows, Task.Run(() => DecodedEvent.Of(rows), ct)), ct);
}
