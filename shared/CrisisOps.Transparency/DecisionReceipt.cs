using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrisisOps.Transparency;

/// <summary>
/// A receipt for one decision (docs/transparency-log.md §7): the event's leaf bytes, where it stands, its decision
/// signature, its inclusion proof and a checkpoint (cosigned when a witness has cosigned one that covers it). Everything
/// a court needs to check, offline, that the decision was recorded by the service as it reads and is in the log the
/// checkpoint commits to. Written as JSON, bytes in base64.
/// </summary>
/// <param name="Format">Always <see cref="CurrentFormat"/>.</param>
/// <param name="Leaf">The canonical leaf bytes (§2).</param>
/// <param name="Stream">The event's stream.</param>
/// <param name="Version">Its version in the stream.</param>
/// <param name="Sequence">Its commit-order position in the store.</param>
/// <param name="LeafIndex">Its index in the log, from 0.</param>
/// <param name="DecisionKey">The signing key's name (the <c>decision-key</c> header).</param>
/// <param name="DecisionKeyId">The signing key's id, 8 hex digits.</param>
/// <param name="DecisionSignature">The <c>decision-signature</c> header: base64 of key id and signature.</param>
/// <param name="InclusionProof">The RFC 9162 audit path of the leaf in the checkpoint's tree.</param>
/// <param name="Checkpoint">The checkpoint's signed note, with every signature and cosignature it carries.</param>
/// <param name="LogKey">The verifier key the service names for its log, for reference only: a verifier checks with the published keys.</param>
public sealed record DecisionReceipt(
    string Format, byte[] Leaf, string Stream, long Version, long Sequence, long LeafIndex, string DecisionKey, string DecisionKeyId,
    string DecisionSignature, IReadOnlyList<byte[]> InclusionProof, string Checkpoint, string LogKey)
{
    /// <summary>The receipt format this code writes and reads.</summary>
    public const string CurrentFormat = "crisisops-receipt/v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The receipt as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a receipt; one that is not JSON of this format is refused saying why.</summary>
    public static DecisionReceipt Parse(string json)
    {
        DecisionReceipt? receipt;
        try
        {
            receipt = JsonSerializer.Deserialize<DecisionReceipt>(json, Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the receipt is not valid JSON of {CurrentFormat}: {ex.Message}", ex);
        }

        if (receipt is null || receipt.Format != CurrentFormat) throw new FormatException($"the receipt's format is not {CurrentFormat}");
        if (receipt.Leaf is null || receipt.InclusionProof is null || receipt.Checkpoint is null || receipt.DecisionSignature is null || receipt.DecisionKey is null)
            throw new FormatException("the receipt lacks its leaf, inclusion proof, checkpoint or decision signature");
        return receipt;
    }
}
