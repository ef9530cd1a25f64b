using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Transparency;
using CrisisOps.Transparency.Grpc.V1;
using Grpc.Core;
using Xunit;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// A receipt for one decision (issue 11): asked of the service over gRPC, saved as JSON, verified offline by
/// <c>crisisops-audit verify-receipt</c> with no database; every tampered part is named.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReceiptTests(StackFixture stack)
{
    [Fact]
    public async Task A_receipt_for_a_witnessed_decision_verifies_offline_and_each_tampered_part_is_named()
    {
        using var w = await Witnessed.RecordAsync(stack, "rcpt");
        GetDecisionReceiptResponse response;
        await using (var service = await w.StartAsync())
        {
            var log = new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(service.Channel);
            response = await log.GetDecisionReceiptAsync(new GetDecisionReceiptRequest { StreamVersion = new StreamVersion { Stream = w.First, Version = 2 } });

            var missing = await Assert.ThrowsAsync<RpcException>(async () =>
                await log.GetDecisionReceiptAsync(new GetDecisionReceiptRequest { StreamVersion = new StreamVersion { Stream = w.First, Version = 9 } }));
            Assert.Equal((StatusCode.NotFound, $"stream_version: {w.First} has no version 9"), (missing.StatusCode, missing.Status.Detail));
            var zero = await Assert.ThrowsAsync<RpcException>(async () => await log.GetDecisionReceiptAsync(new GetDecisionReceiptRequest { Sequence = 0 }));
            Assert.Equal((StatusCode.InvalidArgument, "sequence: must be greater than 0"), (zero.StatusCode, zero.Status.Detail));
        }

        // The emergency of the first crisis, sequence 3, proven in the tree of 5 the witness cosigned.
        Assert.Equal((w.First, 2L, 3L, 2L, true), (response.Stream, response.Version, response.Sequence, response.LeafIndex, response.Cosigned));
        var receipt = DecisionReceipt.Parse(response.ReceiptJson);
        Assert.Equal(response.Leaf.ToByteArray(), receipt.Leaf);
        Assert.Equal(5L, SignedCheckpoint.Parse(receipt.Checkpoint).Checkpoint.Size);
        Assert.Equal(w.Setup.Key.Verifier.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), response.DecisionKeyId);

        var logKeys = Path.Combine(w.Setup.Root, "log-keys");
        var witnessKeys = Path.Combine(w.Setup.Root, "witness-keys");
        await File.WriteAllTextAsync(logKeys, w.Setup.Key.Verifier + "\n");
        await File.WriteAllTextAsync(witnessKeys, w.Key.Verifier + "\n");
        var file = Path.Combine(w.Setup.Root, "receipt.json");
        await File.WriteAllTextAsync(file, response.ReceiptJson);
        Assert.Equal(AuditCommand.Passed, await VerifyAsync(file, logKeys, witnessKeys));
        var published = new[] { new PublishedKey(w.Setup.Key.Verifier, null, null) };
        Assert.All(ReceiptVerifier.Verify(receipt, published, [w.Key.Verifier]), c => Assert.True(c.Passed, $"{c.What}: {c.Detail}"));

        // One byte of the decision's data: its signature and its place in the tree both fail.
        var leaf = receipt.Leaf.ToArray();
        var at = Find(leaf, "2021-10-01"u8) + 9;
        leaf[at] = (byte)'2';
        Assert.Equal(["decision signature", "inclusion proof"], Failed(receipt with { Leaf = leaf }, published, w));
        // One hash of the proof.
        var proof = receipt.InclusionProof.Select(h => h.ToArray()).ToList();
        proof[0][0] ^= 1;
        Assert.Equal(["inclusion proof"], Failed(receipt with { InclusionProof = proof }, published, w));
        // The checkpoint's text changed under its signatures (its time line): the log's signature and the cosignature fail.
        var note = receipt.Checkpoint.Replace("time 2021-", "time 2020-", StringComparison.Ordinal);
        Assert.Equal(["checkpoint signature", "cosignature"], Failed(receipt with { Checkpoint = note }, published, w));
        // And the command says so with its exit code.
        await File.WriteAllTextAsync(file, (receipt with { InclusionProof = proof }).ToJson());
        Assert.Equal(AuditCommand.ChecksFailed, await VerifyAsync(file, logKeys, witnessKeys));
    }

    private static Task<int> VerifyAsync(string file, string logKeys, string witnessKeys) =>
        AuditCommand.Create().Parse(["verify-receipt", file, "--log-keys", logKeys, "--witness-keys", witnessKeys]).InvokeAsync();

    private static string[] Failed(DecisionReceipt receipt, PublishedKey[] published, Witnessed w) =>
        [.. ReceiptVerifier.Verify(receipt, published, [w.Key.Verifier]).Where(c => !c.Passed).Select(c => c.What)];

    private static int Find(byte[] haystack, ReadOnlySpan<byte> needle)
    {
        var i = haystack.AsSpan().IndexOf(needle);
        return i >= 0 ? i : throw new Xunit.Sdk.XunitException("the leaf does not hold the emergency's end date");
    }
}
