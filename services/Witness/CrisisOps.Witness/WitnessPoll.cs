using System.Diagnostics.Metrics;
using CrisisOps.Transparency;
using CrisisOps.Transparency.Grpc.V1;
using Grpc.Core;
using Grpc.Net.Client;

namespace CrisisOps.Witness;

/// <summary>What one poll of one log came to.</summary>
/// <param name="Origin">The log.</param>
/// <param name="Verdict">The witness's decision, or null when the log could not be asked.</param>
/// <param name="File">The cosigned checkpoint or the refusal evidence written.</param>
/// <param name="Problem">Why the log could not be asked.</param>
public sealed record PollOutcome(string Origin, WitnessVerdict? Verdict, string? File, string? Problem);

/// <summary>
/// One round of the witness over its logs: fetch each log's newest checkpoint over the log's transparency endpoint,
/// fetch the consistency proof from the last size cosigned, decide (<see cref="WitnessVerdict.Decide"/>), then cosign and
/// keep, or refuse and keep the evidence. Logs are polled independently: one unreachable log stops no other. Each log's
/// round holds the <see cref="Cosigner"/> throughout, so a checkpoint pushed meanwhile cannot move the size the proof is for.
/// </summary>
public sealed class WitnessPoll(Cosigner cosigner)
{
    /// <summary>How long one call to a log may take: the writer is held meanwhile.</summary>
    public static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(20);

    private static readonly Counter<long> Unreachable = Cosigner.Meter.CreateCounter<long>("crisisops.witness.unreachable", description: "polls that could not reach or read the log");

    /// <summary>Polls every log once.</summary>
    public async Task<IReadOnlyList<PollOutcome>> PollAsync(IReadOnlyList<WitnessedLog> logs, CancellationToken ct)
    {
        var outcomes = new List<PollOutcome>();
        foreach (var log in logs) outcomes.Add(await cosigner.OneAtATimeAsync(() => PollAsync(log, ct), ct));
        return outcomes;
    }

    private async Task<PollOutcome> PollAsync(WitnessedLog log, CancellationToken ct)
    {
        using var channel = GrpcChannel.ForAddress(log.Endpoint);
        var client = new Transparency.Grpc.V1.Transparency.TransparencyClient(channel);
        SignedCheckpoint offered;
        SignedCheckpoint? cosigned;
        IReadOnlyList<byte[]>? proof = null;
        try
        {
            cosigned = cosigner.State.LastCosigned(log, cosigner.Verifier);
            var response = await client.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true }, deadline: DateTime.UtcNow + CallLimit, cancellationToken: ct);
            offered = SignedCheckpoint.Parse(response.Note);
            if (cosigned is not null && offered.Checkpoint.Size > cosigned.Checkpoint.Size && cosigned.Checkpoint.Size > 0)
                proof = await ProofAsync(client, cosigned.Checkpoint.Size, offered.Checkpoint.Size, ct);
            else if (cosigned is not null && offered.Checkpoint.Size > cosigned.Checkpoint.Size)
                proof = [];
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or FormatException or InvalidDataException or IOException)
        {
            Unreachable.Add(1, new KeyValuePair<string, object?>("origin", log.Origin));
            return new PollOutcome(log.Origin, null, null, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
        }

        var verdict = WitnessVerdict.Decide(log, cosigned, offered, proof);
        // A tree unchanged is not written again: the poll reports it and keeps nothing new.
        if (verdict is WitnessVerdict.Unchanged) return new PollOutcome(log.Origin, verdict, null, null);
        return new PollOutcome(log.Origin, verdict, cosigner.Record(verdict, cosigned, proof, offered).File, null);
    }

    /// <summary>The log's consistency proof, or null when it refuses to give one (it cannot prove what is not so).</summary>
    private static async Task<IReadOnlyList<byte[]>?> ProofAsync(Transparency.Grpc.V1.Transparency.TransparencyClient client, long first, long second, CancellationToken ct)
    {
        try
        {
            var response = await client.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = first, SecondSize = second },
                deadline: DateTime.UtcNow + CallLimit, cancellationToken: ct);
            return response.Hashes.Select(h => h.ToByteArray()).ToList();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
        {
            return null;
        }
    }
}
