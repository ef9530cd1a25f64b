using CrisisOps.Transparency;

namespace CrisisOps.Auditor.Core.Integrity;

/// <summary>One check of a receipt: what was checked, whether it held, and what was found.</summary>
public sealed record ReceiptCheck(string What, bool Passed, string Detail);

/// <summary>
/// Verifies a decision receipt offline (issue 11), with no database: the leaf decodes and is the event the receipt
/// names, its decision signature verifies under a key published for its time, the checkpoint is signed by the log's
/// published key (and cosigned by a witness when witness keys are given), and the inclusion proof ties the leaf to the
/// checkpoint's root. Pure; every check is reported, failed or not, so a court sees exactly what held.
/// </summary>
public static class ReceiptVerifier
{
    /// <summary>The checks, in order.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="logKeys">The services' published keys; when null, the key the receipt names is used, and the report says so.</param>
    /// <param name="witnessKeys">The witnesses' keys; when given, the checkpoint must carry a valid cosignature by one.</param>
    public static IReadOnlyList<ReceiptCheck> Verify(DecisionReceipt receipt, IReadOnlyList<PublishedKey>? logKeys, IReadOnlyList<NoteVerifierKey>? witnessKeys)
    {
        var checks = new List<ReceiptCheck>();
        var published = logKeys is { Count: > 0 };
        var keys = published ? logKeys! : [new PublishedKey(NoteVerifierKey.Parse(receipt.LogKey), null, null)];
        var whose = published ? "a published key" : $"the key the receipt names ({receipt.LogKey}; give --log-keys to check against the published keys)";

        EventLeaf? leaf = null;
        try
        {
            leaf = EventLeaf.Decode(receipt.Leaf);
            var named = (leaf.StreamKey, leaf.Version, leaf.Sequence) == (receipt.Stream, receipt.Version, receipt.Sequence);
            checks.Add(new ReceiptCheck("leaf", named, named
                ? $"{leaf.EventType} v{leaf.Version} of {leaf.StreamKey} at sequence {leaf.Sequence}, recorded {leaf.Timestamp:yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'} by {leaf.UserName ?? "(no actor)"}"
                : $"the leaf is {leaf.StreamKey} v{leaf.Version} at sequence {leaf.Sequence}, not the {receipt.Stream} v{receipt.Version} at sequence {receipt.Sequence} the receipt names"));
        }
        catch (FormatException ex)
        {
            checks.Add(new ReceiptCheck("leaf", false, $"the leaf bytes are not a leaf: {ex.Message}"));
        }

        if (leaf is not null)
        {
            var signatures = new SignatureVerifier("receipt", keys);
            signatures.Observe(leaf);
            var inLeaf = (System.Text.Json.Nodes.JsonNode.Parse(leaf.CanonicalHeaders.Span) as System.Text.Json.Nodes.JsonObject)?[DecisionStatement.SignatureHeader]
                ?.GetValue<string>() == receipt.DecisionSignature;
            checks.Add(signatures.Findings.Count == 0 && inLeaf
                ? new ReceiptCheck("decision signature", true, $"signed by {receipt.DecisionKey} ({receipt.DecisionKeyId}), verified with {whose}")
                : new ReceiptCheck("decision signature", false, !inLeaf
                    ? "the receipt's decision signature is not the one the leaf's headers carry"
                    : signatures.Findings[0].Message));
        }

        SignedCheckpoint? checkpoint = null;
        try
        {
            checkpoint = SignedCheckpoint.Parse(receipt.Checkpoint);
        }
        catch (FormatException ex)
        {
            checks.Add(new ReceiptCheck("checkpoint signature", false, $"the checkpoint is not a signed checkpoint: {ex.Message}"));
        }

        if (checkpoint is not null)
        {
            var origin = checkpoint.Checkpoint.Origin;
            var signed = keys.Any(k => k.Key.Name == origin && checkpoint.Note.IsSignedBy(k.Key));
            checks.Add(new ReceiptCheck("checkpoint signature", signed, signed
                ? $"{origin} at size {checkpoint.Checkpoint.Size}, signed by the log, verified with {whose}"
                : $"the checkpoint of {origin} at size {checkpoint.Checkpoint.Size} carries no valid signature by {(published ? "a published key of " + origin : "the key the receipt names")}"));

            var included = receipt.LeafIndex >= 0 && receipt.LeafIndex < checkpoint.Checkpoint.Size
                && MerkleVerifier.VerifyInclusion(receipt.LeafIndex, checkpoint.Checkpoint.Size, MerkleHash.Leaf(receipt.Leaf), receipt.InclusionProof, checkpoint.Checkpoint.Root);
            checks.Add(new ReceiptCheck("inclusion proof", included, included
                ? $"leaf {receipt.LeafIndex} is in the tree of size {checkpoint.Checkpoint.Size} whose root the checkpoint signs"
                : $"the proof does not tie leaf {receipt.LeafIndex} to the root of the tree of size {checkpoint.Checkpoint.Size}: the leaf or the proof was changed, or the log was rewritten"));

            if (witnessKeys is { Count: > 0 })
            {
                var by = witnessKeys.Select(w => (w, At: Cosignature.VerifiedBy(checkpoint, w))).FirstOrDefault(x => x.At is not null);
                checks.Add(by.At is { } at
                    ? new ReceiptCheck("cosignature", true, $"cosigned by the witness {by.w.Name} at {at:yyyy-MM-dd'T'HH:mm:ss'Z'}")
                    : new ReceiptCheck("cosignature", false, "the checkpoint carries no valid cosignature by the witness keys given"));
            }
        }

        return checks;
    }
}
