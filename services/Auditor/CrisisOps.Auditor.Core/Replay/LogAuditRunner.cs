using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;
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
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        foreach (var schema in schemas)
        {
            var verifier = new LogVerifier(schema, checkpoints.Where(c => c.Store == schema));
            var signatures = keys is { Count: > 0 } ? new SignatureVerifier(schema, keys) : null;
            await foreach (var leaf in EventLeafRows.ReadAsync(connection, schema, 0, long.MaxValue, ct))
            {
                verifier.Observe(leaf);
                signatures?.Observe(leaf);
            }

            findings.AddRange(verifier.Complete(await StoredLogAsync(connection, schema, ct)));
            if (signatures is not null) findings.AddRange(signatures.Findings);
        }

        return findings;
    }

    private static async Task<IReadOnlyList<StoredLeaf>?> StoredLogAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
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
