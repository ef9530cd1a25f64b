namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>Settings of the service's transparency log (section <c>Transparency</c>, docs/transparency-log.md).</summary>
public sealed class TransparencyOptions
{
    /// <summary>The first part of the log's origin, <c>{LogName}/{schema}</c>: a schema-less URL naming the operator.</summary>
    public string LogName { get; set; } = "crisisops.local";

    /// <summary>
    /// The service's Ed25519 key (signed-note private key text, <c>crisisops keys generate</c>), held outside PostgreSQL:
    /// a file readable by the service only, a mounted secret, or a managed key service's export in production. Without it
    /// the Merkle log is still kept but no checkpoint is signed.
    /// </summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// A directory of keys, <c>{schema}.key</c> each, when <see cref="KeyFile"/> is not set: one setting for every service
    /// of a deployment (deploy/run.sh), each service loading its own store's key.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Where every signed checkpoint is written, once, never rewritten: a place the database owner does not control.</summary>
    public string? CheckpointDirectory { get; set; }

    /// <summary>
    /// Where a witness's published directory can be read (a copy of its <c>state/</c>, or a mount of it), so that a
    /// decision receipt carries a checkpoint the witness cosigned; without it, receipts carry the service's own checkpoint.
    /// </summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>How often a new checkpoint is signed when the log has grown.</summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMinutes(1);
}
