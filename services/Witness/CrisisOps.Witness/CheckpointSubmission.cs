using System.Globalization;
using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary>
/// A C2SP tlog-witness <c>add-checkpoint</c> request (https://c2sp.org/tlog-witness): the size of the checkpoint the log
/// believes the witness cosigned last, the consistency proof from that size, and the new checkpoint.
/// </summary>
/// <param name="OldSize">The <c>old</c> line.</param>
/// <param name="Proof">The consistency proof lines, decoded.</param>
/// <param name="Checkpoint">The checkpoint offered, with its signatures.</param>
public sealed record CheckpointSubmission(long OldSize, IReadOnlyList<byte[]> Proof, SignedCheckpoint Checkpoint)
{
    /// <summary>The most proof lines a client may send (the spec's bound: a proof of a tree of 2^63 leaves).</summary>
    public const int MostProofLines = 63;

    /// <summary>Reads a request body; a malformed one is refused saying why (400 Bad Request).</summary>
    public static CheckpointSubmission Parse(string body)
    {
        var blank = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0) throw new FormatException("the body is an 'old <size>' line, proof lines, an empty line and a checkpoint: it has no empty line");
        var lines = body[..blank].Split('\n');
        if (!lines[0].StartsWith("old ", StringComparison.Ordinal) || !long.TryParse(lines[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var old)
            || old.ToString(CultureInfo.InvariantCulture) != lines[0][4..])
            throw new FormatException($"the first line must be 'old <size>' (a decimal, no leading zero), not '{lines[0]}'");
        if (lines.Length - 1 > MostProofLines) throw new FormatException($"{lines.Length - 1} proof lines: at most {MostProofLines}");
        var proof = new List<byte[]>();
        foreach (var line in lines.Skip(1))
        {
            try
            {
                proof.Add(Convert.FromBase64String(line));
            }
            catch (FormatException)
            {
                throw new FormatException($"proof line {proof.Count + 1} is not base64");
            }
        }

        if (old == 0 && proof.Count > 0) throw new FormatException("the proof must be empty when the old size is 0");
        var checkpoint = SignedCheckpoint.Parse(body[(blank + 2)..]);
        if (old > checkpoint.Checkpoint.Size) throw new FormatException($"the old size {old} is above the checkpoint's size {checkpoint.Checkpoint.Size}");
        return new CheckpointSubmission(old, proof, checkpoint);
    }

    /// <summary>
    /// The witness's answer, by the spec's rules, given the last checkpoint it cosigned of the log. Pure: the verdict of
    /// <see cref="WitnessVerdict.Decide"/> decides once the request is well addressed; a checkpoint not signed by the log
    /// is turned away before it (anyone may post: only the log's own signed statements are worth keeping as evidence).
    /// </summary>
    public SubmissionAnswer Judge(WitnessedLog log, SignedCheckpoint? cosigned)
    {
        var offered = Checkpoint.Checkpoint;
        if (offered.Origin != log.Origin || !Checkpoint.Note.IsSignedBy(log.Key))
            return new SubmissionAnswer.TurnedAway(403, $"the checkpoint of {offered.Origin} is not signed by {log.Key}", null);
        var current = cosigned?.Checkpoint.Size ?? 0;
        // Smaller than what was cosigned, and signed by the log: evidence of a rollback, whatever old size came with it.
        if (offered.Size < current) return new SubmissionAnswer.Decided(WitnessVerdict.Decide(log, cosigned, Checkpoint, null), null);
        if (OldSize != current)
            return new SubmissionAnswer.TurnedAway(409, $"the witness cosigned {offered.Origin} last at size {current}, not {OldSize}", current);
        return new SubmissionAnswer.Decided(WitnessVerdict.Decide(log, cosigned, Checkpoint, cosigned is null ? null : Proof), Proof);
    }
}

/// <summary>How the witness answers an <c>add-checkpoint</c>.</summary>
public abstract record SubmissionAnswer
{
    /// <summary>Refused before any verdict, nothing kept: the status, why, and the size cosigned when it is a 409.</summary>
    public sealed record TurnedAway(int Status, string Reason, long? CosignedSize) : SubmissionAnswer;

    /// <summary>A verdict to act on (cosign and keep, or keep the refusal), with the proof it was given.</summary>
    public sealed record Decided(WitnessVerdict Verdict, IReadOnlyList<byte[]>? Proof) : SubmissionAnswer;

    /// <summary>The HTTP status of a verdict (C2SP tlog-witness): 409 for a second tree of the size cosigned and for a rollback, 422 for a proof that does not verify.</summary>
    public static int StatusOf(WitnessVerdict verdict) => verdict switch
    {
        WitnessVerdict.Cosign or WitnessVerdict.Unchanged => 200,
        WitnessVerdict.Refuse { Kind: Refusal.NotSignedByTheLog } => 403,
        WitnessVerdict.Refuse { Kind: Refusal.NotAnExtension } => 422,
        _ => 409,
    };
}
