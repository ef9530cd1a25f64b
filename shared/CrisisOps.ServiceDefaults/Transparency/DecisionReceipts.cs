using System.Globalization;
using System.Text.Json.Nodes;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>Why a receipt cannot be given, in terms of the request's fields.</summary>
public sealed class ReceiptRefusedException(bool notFound, string field, string reason) : Exception($"{field}: {reason}")
{
    /// <summary>The event is not there (or not yet in the log), rather than the request being malformed.</summary>
    public bool NotFound { get; } = notFound;

    /// <summary>The request field at fault.</summary>
    public string Field { get; } = field;

    /// <summary>Why.</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Builds the receipt of one decision (issue 11): its leaf from the row as PostgreSQL holds it, its inclusion proof
/// and the checkpoint that proof is for: the newest one a witness cosigned that covers the event, else the service's
/// latest (signed anew if the log grew). The service vouches for nothing here that the verifier does not recheck.
/// </summary>
public sealed class DecisionReceipts(CheckpointLog log, IDocumentStore store, IConfiguration configuration, IOptions<TransparencyOptions> options)
{
    private readonly string _connection = configuration.GetConnectionString("postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured");

    /// <summary>The receipt of the event at <paramref name="sequence"/>, or of <paramref name="stream"/> at <paramref name="version"/>.</summary>
    public async Task<(DecisionReceipt Receipt, bool Cosigned)> ForAsync(long? sequence, string? stream, long version, CancellationToken ct)
    {
        var verifier = log.Verifier ?? throw new InvalidOperationException("this service has no log key (Transparency:KeyFile): it signs no checkpoint");
        var leaf = await ReadLeafAsync(sequence, stream, version, ct);
        await using var session = store.QuerySession();
        var logged = await session.Query<MerkleLeaf>().FirstOrDefaultAsync(l => l.Sequence == leaf.Sequence, ct)
            ?? throw new ReceiptRefusedException(true, sequence is null ? "stream_version" : "sequence", $"the event at sequence {leaf.Sequence} is not in the log yet: ask again in a moment");
        var (checkpoint, cosigned) = Cosigned(logged.Index, verifier) is { } witnessed
            ? (witnessed, true)
            : (await log.LatestAsync(refresh: true, ct), false);
        var proof = await MerkleLogReader.InclusionAsync(session, logged.Index, checkpoint.Checkpoint.Size, ct);
        var headers = JsonNode.Parse(leaf.CanonicalHeaders.Span) as JsonObject ?? [];
        var signature = headers[DecisionStatement.SignatureHeader]?.GetValue<string>() ?? "";
        var key = headers[DecisionStatement.KeyHeader]?.GetValue<string>() ?? "";
        var keyId = signature.Length > 0 && Convert.TryFromBase64String(signature, new byte[68], out var n) && n == 68
            ? Convert.ToHexStringLower(Convert.FromBase64String(signature).AsSpan(0, 4))
            : "";
        var receipt = new DecisionReceipt(DecisionReceipt.CurrentFormat, leaf.Encode(), leaf.StreamKey, leaf.Version, leaf.Sequence, logged.Index,
            key, keyId, signature, proof, checkpoint.ToString(), verifier.ToString());
        return (receipt, cosigned);
    }

    private async Task<EventLeaf> ReadLeafAsync(long? sequence, string? stream, long version, CancellationToken ct)
    {
        var schema = EventLeafRows.Quote(store.Options.Events.DatabaseSchemaName);
        await using var connection = new NpgsqlConnection(_connection);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select {EventLeafRows.Columns} from {schema}.mt_events e where " + (sequence is null ? "e.stream_id = @stream and e.version = @version" : "e.seq_id = @sequence"),
            connection);
        if (sequence is { } s) command.Parameters.AddWithValue("sequence", s);
        else
        {
            command.Parameters.AddWithValue("stream", stream!);
            command.Parameters.AddWithValue("version", version);
        }

        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        var what = sequence is null ? $"{stream} has no version {version.ToString(CultureInfo.InvariantCulture)}" : $"no event at sequence {sequence.Value.ToString(CultureInfo.InvariantCulture)}";
        if (!await reader.ReadAsync(ct)) throw new ReceiptRefusedException(true, sequence is null ? "stream_version" : "sequence", what);
        return EventLeafRows.Read(reader) ?? throw new ReceiptRefusedException(true, "sequence", $"sequence {sequence} is a tombstone of a failed transaction, not a decision");
    }

    /// <summary>The newest checkpoint of this log a witness cosigned that covers leaf <paramref name="index"/>, or null.</summary>
    private SignedCheckpoint? Cosigned(long index, NoteVerifierKey verifier)
    {
        if (options.Value.WitnessDirectory is not { Length: > 0 } directory) return null;
        var folder = Path.Combine(directory, "cosigned", Uri.EscapeDataString(log.Origin));
        if (!Directory.Exists(folder)) return null;
        foreach (var file in Directory.EnumerateFiles(folder, "*.checkpoint").Order(StringComparer.Ordinal).Reverse())
        {
            SignedCheckpoint signed;
            try
            {
                signed = SignedCheckpoint.Parse(File.ReadAllText(file));
            }
            catch (FormatException)
            {
                continue;
            }

            if (signed.Checkpoint.Size <= index) return null;
            // More signatures than the log's own: a witness's. The verifier decides whether it trusts that witness.
            if (signed.Checkpoint.Origin == log.Origin && signed.Note.IsSignedBy(verifier) && signed.Note.Signatures.Count > 1) return signed;
        }

        return null;
    }
}
