using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;
using System.Threading.Channels;
using Npgsql;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// Checks stores against the checkpoints kept of them (issue 11): reads the kept checkpoints, recomputes each store's
/// Merkle tree from its rows (<see cref="EventLeafRows"/>), and reports with <see cref="LogVerifier"/>.
/// </summary>
public static class LogAuditRunner
{
    /// <summary>Every <c>*.checkpoint</c> under <paramref name="directory"/>; a file that is not a signed checkpoint is refused.</summary>
    /// <param name="directory">The checkpoints kept (a copy of the services' checkpoint directories, or a witness's).</param>
    /// <param name="logKeys">The logs' published verifier keys; when given, a checkpoint that none of them signed is refused.</param>
    public static IReadOnlyList<KeptCheckpoint> ReadCheckpoints(string directory, IReadOnlyCollection<NoteVerifierKey>? logKeys)
    {
        if (!Directory.Exists(directory)) throw new ArgumentException($"--checkpoints: {directory} is not a directory");
        var kept = new List<KeptCheckpoint>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.checkpoint", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            kept.Add(new KeptCheckpoint(ReadCheckpoint(file, logKeys), Path.GetRelativePath(directory, file)));

        return kept;
    }

    /// <summary>One signed checkpoint file; refused when it is malformed, or when log keys are given and none of them signed it.</summary>
    public static SignedCheckpoint ReadCheckpoint(string file, IReadOnlyCollection<NoteVerifierKey>? logKeys) =>
        ParseCheckpoint(File.ReadAllText(file), file, logKeys);

    /// <summary>One signed checkpoint read from <paramref name="source"/> (a file, a witness's URL), checked as <see cref="ReadCheckpoint"/> does.</summary>
    public static SignedCheckpoint ParseCheckpoint(string text, string source, IReadOnlyCollection<NoteVerifierKey>? logKeys)
    {
        var file = source;
        SignedCheckpoint signed;
        try
        {
            signed = SignedCheckpoint.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{file} is not a signed checkpoint: {ex.Message}", ex);
        }

        if (logKeys is { Count: > 0 } && !logKeys.Any(k => k.Name == signed.Checkpoint.Origin && signed.Note.IsSignedBy(k)))
            throw new InvalidDataException($"{file} is not signed by the published key of {signed.Checkpoint.Origin}");
        return signed;
    }

    /// <summary>The findings for each store.</summary>
    /// <param name="connectionString">A role that may read the stores.</param>
    /// <param name="schemas">The stores.</param>
    /// <param name="checkpoints">The checkpoints kept.</param>
    /// <param name="keys">The services' published keys: when given, every event's decision signature is verified.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<IReadOnlyList<Finding>> RunAsync(string connectionString, IEnumerable<string> schemas, IReadOnlyList<KeptCheckpoint> checkpoints,
        IReadOnlyList<PublishedKey>? keys, CancellationToken ct)
    {
        var findings = new List<Finding>();
        foreach (var schema in schemas)
        {
            var kept = checkpoints.Where(c => c.Store == schema).ToList();
            // The stored log is read on a connection of its own while the events stream past: it is only compared at the end.
            var storedLog = StoredLogAsync(connectionString, schema, ct);
            // A lean pass first: the jsonb text shortcut (docs/transparency-log.md §3), only hashes kept. Anything it finds
            // is found again by a full pass, every value canonicalized in full and every leaf kept to name it, so a
            // shortcut that missed a canonical form can cost time but never raise a finding of its own.
            var lean = await VerifyAsync(connectionString, schema, kept, keys, full: false, storedLog, ct);
            findings.AddRange(lean.Any(f => f.Severity == Severity.Error)
                ? await VerifyAsync(connectionString, schema, kept, keys, full: true, storedLog, ct)
                : lean);
        }

        return findings;
    }

    private static async Task<IReadOnlyList<Finding>> VerifyAsync(string connectionString, string schema, IReadOnlyList<KeptCheckpoint> checkpoints,
        IReadOnlyList<PublishedKey>? keys, bool full, Task<IReadOnlyList<StoredLeaf>?> storedLog, CancellationToken ct)
    {
        var verifier = new LogVerifier(schema, checkpoints, keepLeaves: full);
        var signatures = keys is { Count: > 0 } ? new SignatureVerifier(schema, keys) : null;
        // One task reads and parses the rows, this one hashes them: on two cores both work.
        var batches = Channel.CreateBounded<List<EventLeaf>>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadLeavesAsync(connectionString, schema, full, batches.Writer, stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                foreach (var leaf in batch)
                {
                    verifier.Observe(leaf);
                    signatures?.Observe(leaf);
                }
            }
        }
        catch
        {
            // The reader must not wait forever on a channel no one empties.
            await stop.CancelAsync();
            throw;
        }

        await reading;
        var findings = new List<Finding>(verifier.Complete(await storedLog));
        if (signatures is not null) findings.AddRange(signatures.Findings);
        return findings;
    }

    private static Task ReadLeavesAsync(string connectionString, string schema, bool full, ChannelWriter<List<EventLeaf>> batches, CancellationToken ct) =>
        Task.Run(
            async () =>
            {
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(ct);
                    var batch = new List<EventLeaf>(BatchSize);
                    await foreach (var leaf in EventLeafRows.ReadAsync(connection, schema, 0, long.MaxValue, jsonbShortcut: !full, ct))
                    {
                        batch.Add(leaf);
                        if (batch.Count < BatchSize) continue;
                        await batches.WriteAsync(batch, ct);
                        batch = new List<EventLeaf>(BatchSize);
                    }

                    if (batch.Count > 0) await batches.WriteAsync(batch, ct);
                    batches.Complete();
                }
                catch (Exception ex)
                {
                    batches.Complete(ex);
                    throw;
                }
            },
            ct);

    private const int BatchSize = 512;

    private static async Task<IReadOnlyList<StoredLeaf>?> StoredLogAsync(string connectionString, string schema, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using (var exists = new NpgsqlCommand("select to_regclass(@table) is not null", connection))
        {
            exists.Parameters.AddWithValue("table", $"{EventLeafRows.Quote(schema)}.mt_doc_merkleleaf");
            if (!(bool)(await exists.ExecuteScalarAsync(ct))!) return null;
        }

        await using var command = new NpgsqlCommand(
            $"select (data->>'Sequence')::bigint, data->>'Hash' from {EventLeafRows.Quote(schema)}.mt_doc_merkleleaf order by id", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var leaves = new List<StoredLeaf>();
        while (await reader.ReadAsync(ct))
        {
            var hash = reader.IsDBNull(1) ? "" : reader.GetString(1);
            leaves.Add(new StoredLeaf(reader.IsDBNull(0) ? 0 : reader.GetInt64(0), hash.Length == 64 ? Convert.FromHexString(hash) : []));
        }

        return leaves;
    }
}
