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
/// keep, or refuse and keep the evidence. Logs are polled independently: one unreachable log stops no other.
/// </summary>
public sealed class WitnessPoll(NoteKey witness, WitnessState state, TimeProvider clock)
{
    /// <summary>The meter of the witness: <c>crisisops.witness.cosigned</c>, <c>.refused</c>, <c>.unreachable</c>, by origin.</summary>
    public const string MeterName = "CrisisOps.Witness";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Cosigned = Meter.CreateCounter<long>("crisisops.witness.cosigned", description: "checkpoints cosigned");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("crisisops.witness.refused", description: "checkpoints refused: split view, rollback, rewrite, bad signature");
    private static readonly Counter<long> Unreachable = Meter.CreateCounter<long>("crisisops.witness.unreachable", description: "polls that could not reach or read the log");

    /// <summary>Polls every log once.</summary>
    public async Task<IReadOnlyList<PollOutcome>> PollAsync(IReadOnlyList<WitnessedLog> logs, CancellationToken ct)
    {
        var outcomes = new List<PollOutcome>();
        foreach (var log in logs) outcomes.Add(await PollAsync(log, ct));
        return outcomes;
    }

    private async Task<PollOutcome> PollAsync(WitnessedLog log, CancellationToken ct)
    {
        var origin = new KeyValuePair<string, object?>("origin", log.Origin);
        using var channel = GrpcChannel.ForAddress(log.Endpoint);
        var client = new Transparency.Grpc.V1.Transparency.TransparencyClient(channel);
        SignedCheckpoint offered;
        SignedCheckpoint? cosigned;
        IReadOnlyList<byte[]>? proof = null;
        try
        {
            cosigned = state.LastCosigned(log, witness.Verifier);
            var response = await client.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true }, cancellationToken: ct);
            offered = SignedCheckpoint.Parse(response.Note);
            if (cosigned is not null && offered.Checkpoint.Size > cosigned.Checkpoint.Size && cosigned.Checkpoint.Size > 0)
                proof = await ProofAsync(client, cosigned.Checkpoint.Size, offered.Checkpoint.Size, ct);
            else if (cosigned is not null && offered.Checkpoint.Size > cosigned.Checkpoint.Size)
                proof = [];
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or FormatException or InvalidDataException or IOException)
        {
            Unreachable.Add(1, origin);
            return new PollOutcome(log.Origin, null, null, ex is RpcException rpc ? $"{rpc.StatusCode}: {rpc.Status.Detail}" : ex.Message);
        }

        var verdict = WitnessVerdict.Decide(log, cosigned, offered, proof);
        switch (verdict)
        {
            case WitnessVerdict.Cosign c:
                var now = clock.GetUtcNow();
                var signed = c.Offered with { Note = c.Offered.Note.With(Cosignature.Sign(c.Offered, witness, now)) };
                Cosigned.Add(1, origin);
                return new PollOutcome(log.Origin, verdict, state.KeepCosigned(signed), null);
            case WitnessVerdict.Refuse r:
                Refused.Add(1, origin, new KeyValuePair<string, object?>("kind", WitnessState.Kebab(r.Kind)));
                return new PollOutcome(log.Origin, verdict, state.KeepRefusal(r, cosigned, proof, clock.GetUtcNow()), null);
            default:
                return new PollOutcome(log.Origin, verdict, null, null);
        }
    }

    /// <summary>The log's consistency proof, or null when it refuses to give one (it cannot prove what is not so).</summary>
    private static async Task<IReadOnlyList<byte[]>?> ProofAsync(Transparency.Grpc.V1.Transparency.TransparencyClient client, long first, long second, CancellationToken ct)
    {
        try
        {
            var response = await client.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = first, SecondSize = second }, cancellationToken: ct);
            return response.Hashes.Select(h => h.ToByteArray()).ToList();
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound)
        {
            return null;
        }
    }
}
