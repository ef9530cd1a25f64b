using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary>Why a witness refuses a checkpoint.</summary>
public enum Refusal
{
    /// <summary>The note is not signed by the log's published key, or names another origin.</summary>
    NotSignedByTheLog,

    /// <summary>The same size as the checkpoint cosigned, another root: the log shows different histories to different parties.</summary>
    SplitView,

    /// <summary>Smaller than the checkpoint cosigned: events were deleted, or the store restored from an older backup.</summary>
    Rollback,

    /// <summary>Larger, but no valid consistency proof ties it to the checkpoint cosigned: history before it was rewritten.</summary>
    NotAnExtension,
}

/// <summary>What the witness decides about an offered checkpoint.</summary>
public abstract record WitnessVerdict
{
    /// <summary>Cosign it: it is the first seen of this log, or a proven extension of the last cosigned.</summary>
    public sealed record Cosign(SignedCheckpoint Offered) : WitnessVerdict;

    /// <summary>The same tree as the last cosigned: nothing new to cosign.</summary>
    public sealed record Unchanged(SignedCheckpoint Cosigned) : WitnessVerdict;

    /// <summary>Refuse it, saying why; the evidence is the offered and the last cosigned checkpoint and the proof.</summary>
    public sealed record Refuse(Refusal Kind, string Reason, SignedCheckpoint Offered) : WitnessVerdict;

    /// <summary>
    /// The witness's rule (C2SP tlog-witness): a checkpoint is cosigned only when it is signed by the log's key and is
    /// the same tree as, or a consistent extension of, the last one cosigned. Pure: the proof is fetched beforehand
    /// when <paramref name="offered"/> is larger than <paramref name="cosigned"/>.
    /// </summary>
    /// <param name="log">The log, as configured.</param>
    /// <param name="cosigned">The last checkpoint the witness cosigned of the log, or null when it saw none yet (trust on first use).</param>
    /// <param name="offered">The checkpoint the log serves now.</param>
    /// <param name="proof">The consistency proof from <paramref name="cosigned"/>'s size to <paramref name="offered"/>'s, or null when the log gave none.</param>
    public static WitnessVerdict Decide(WitnessedLog log, SignedCheckpoint? cosigned, SignedCheckpoint offered, IReadOnlyList<byte[]>? proof)
    {
        var now = offered.Checkpoint;
        if (now.Origin != log.Origin || !offered.Note.IsSignedBy(log.Key))
            return new Refuse(Refusal.NotSignedByTheLog, $"the checkpoint of {now.Origin} at size {now.Size} is not signed by {log.Key}", offered);
        if (cosigned is null) return new Cosign(offered);
        var then = cosigned.Checkpoint;
        if (now.Size < then.Size)
            return new Refuse(Refusal.Rollback, $"the log is at size {now.Size}, below the {then.Size} already cosigned: events were deleted or an older backup restored", offered);
        if (now.Size == then.Size)
            return now.SameTree(then)
                ? new Unchanged(cosigned)
                : new Refuse(Refusal.SplitView, $"a second tree of size {now.Size}, root {Convert.ToBase64String(now.Root)}, where {Convert.ToBase64String(then.Root)} was cosigned: the log shows two histories", offered);
        if (proof is null || !MerkleVerifier.VerifyConsistency(then.Size, now.Size, then.Root, now.Root, proof))
            return new Refuse(Refusal.NotAnExtension,
                $"the tree of size {now.Size} is not proven to extend the tree of size {then.Size} cosigned" + (proof is null ? " (the log gave no proof)" : " (the consistency proof does not verify)") +
                $": history before leaf {then.Size} was rewritten, deleted or reordered", offered);
        return new Cosign(offered);
    }
}
