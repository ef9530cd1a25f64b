using System.Threading.Channels;
using CrisisOps.Auditor.Core.Reporting;
using Npgsql;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// Replays stores from PostgreSQL into the audit. Reading and checking run side by side: one task reads rows and hands
/// them over in batches, the caller's task checks them, so the audit runs at the speed of the slower of the two.
/// </summary>
public static class AuditRunner
{
    private const int BatchSize = 512;

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
            var batches = Channel.CreateBounded<ReplayRow[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
            var reading = ReadAsync(connectionString, schema, hasLogChain, batches.Writer, ct);
            // The hash chains are recomputed on a thread of their own, beside the checks: they share no state, and
            // each half alone is slower than PostgreSQL delivers the rows.
            var toVerify = Channel.CreateBounded<ReplayRow[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
            var verifying = Task.Run(async () =>
            {
                try
                {
                    await foreach (var batch in toVerify.Reader.ReadAllAsync(ct))
                        foreach (var row in batch) engine.VerifyChains(row);
                }
                catch (Exception ex)
                {
                    // Unblocks the writer below (a bounded channel nobody reads would hold it forever) with the cause.
                    toVerify.Writer.TryComplete(ex);
                    throw;
                }
            }, ct);
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                {
                    await toVerify.Writer.WriteAsync(batch, ct);
                    foreach (var row in batch) engine.Check(row);
                    replayed += batch.Length;
                    progress?.Report(replayed);
                }
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

    private static async Task ReadAsync(string connectionString, string schema, bool hasLogChain, ChannelWriter<ReplayRow[]> writer, CancellationToken ct)
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
                await writer.WriteAsync([.. batch], ct);
                batch.Clear();
            }

            if (batch.Count > 0) await writer.WriteAsync([.. batch], ct);
            writer.Complete();
        }
        catch (Exception ex)
        {
            writer.Complete(ex);
        }
    }
}
