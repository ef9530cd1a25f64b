using CrisisOps.Transparency;

namespace CrisisOps.Auditor.Core.Integrity;

/// <summary>A checkpoint the auditor kept (or a witness cosigned), and where it came from, to name it in a finding.</summary>
/// <param name="Signed">The checkpoint and its note.</param>
/// <param name="Source">The file or the witness it was read from.</param>
public sealed record KeptCheckpoint(SignedCheckpoint Signed, string Source)
{
    /// <summary>The store the checkpoint is of: the last segment of its origin (<c>{log name}/{schema}</c>).</summary>
    public string Store => Signed.Checkpoint.Origin[(Signed.Checkpoint.Origin.LastIndexOf('/') + 1)..];

    /// <summary>How the finding names it.</summary>
    public string Name => $"checkpoint {Signed.Checkpoint.Origin} at size {Signed.Checkpoint.Size} ({Source})";
}
