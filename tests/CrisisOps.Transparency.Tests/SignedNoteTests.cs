using CsCheck;
using System.Text;
using Xunit;

namespace CrisisOps.Transparency.Tests;

/// <summary>C2SP signed notes, checkpoints and cosignatures, against the vector of Go's sumdb/note (the reference implementation).</summary>
public sealed class SignedNoteTests
{
    private const string GoVerifier = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string GoSigner = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string GoText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string GoNote = GoText + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";

    [Fact]
    public void The_Go_reference_key_signs_the_Go_reference_note_byte_for_byte()
    {
        using var key = NoteKey.Parse(GoSigner);
        Assert.Equal(GoVerifier, key.Verifier.ToString());
        Assert.Equal(GoNote, SignedNote.Sign(GoText, key).ToString());
        Assert.Equal(GoSigner, key.Export());
    }

    [Fact]
    public void The_Go_reference_note_verifies_and_an_altered_one_does_not()
    {
        var verifier = NoteVerifierKey.Parse(GoVerifier);
        Assert.True(SignedNote.Parse(GoNote).IsSignedBy(verifier));
        Assert.False(SignedNote.Parse(GoNote.Replace("problem is", "problem was", StringComparison.Ordinal)).IsSignedBy(verifier));
        using var other = NoteKey.Generate("PeterNeumann", NoteKeyType.Ed25519);
        Assert.False(SignedNote.Parse(GoNote).IsSignedBy(other.Verifier));
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3+AhpC2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")]
    [InlineData("PeterNeumann+c74f20a3")]
    public void A_mangled_verifier_key_is_refused(string key) => Assert.Throws<FormatException>(() => NoteVerifierKey.Parse(key));

    [Fact]
    public void A_checkpoint_round_trips_through_its_signed_note()
    {
        using var log = NoteKey.Generate("crisisops.example/declaration", NoteKeyType.Ed25519);
        var checkpoint = Checkpoint.At(log.Name, 20852163, Convert.FromBase64String("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="),
            new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
        var note = SignedCheckpoint.Sign(checkpoint, log).ToString();

        Assert.StartsWith("crisisops.example/declaration\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\ntime 2026-12-01T20:00:00Z\n\n\u2014 crisisops.example/declaration ", note, StringComparison.Ordinal);
        var read = SignedCheckpoint.Parse(note);
        Assert.True(read.Checkpoint.SameTree(checkpoint));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero), read.Checkpoint.Taken);
        Assert.True(read.Note.IsSignedBy(log.Verifier));
    }

    [Theory]
    [InlineData("origin\n012\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n12\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n")]
    [InlineData("origin\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n")]
    [InlineData("origin\n12\n")]
    public void A_malformed_checkpoint_is_refused(string body) => Assert.Throws<FormatException>(() => Checkpoint.Parse(body));

    [Fact]
    public void A_cosignature_verifies_with_its_timestamp_and_fails_on_another_checkpoint()
    {
        using var log = NoteKey.Generate("crisisops.example/measures", NoteKeyType.Ed25519);
        using var witness = NoteKey.Generate("ombudsman.example/w1", NoteKeyType.Cosignature);
        var signed = SignedCheckpoint.Sign(Checkpoint.At(log.Name, 5, MerkleHash.EmptyRoot(), DateTimeOffset.UnixEpoch), log);
        var at = new DateTimeOffset(2026, 12, 1, 20, 30, 0, TimeSpan.Zero);
        var cosigned = signed with { Note = signed.Note.With(Cosignature.Sign(signed, witness, at)) };

        var read = SignedCheckpoint.Parse(cosigned.ToString());
        Assert.Equal(at, Cosignature.VerifiedBy(read, witness.Verifier));
        Assert.True(read.Note.IsSignedBy(log.Verifier));
        Assert.Equal(8 + 64, read.Note.Signatures[1].Signature.Length);
        var other = SignedCheckpoint.Sign(Checkpoint.At(log.Name, 6, MerkleHash.EmptyRoot(), DateTimeOffset.UnixEpoch), log);
        var transplanted = other with { Note = other.Note.With(read.Note.Signatures[1]) };
        Assert.Null(Cosignature.VerifiedBy(transplanted, witness.Verifier));
        Assert.Matches("^ombudsman.example/w1\\+[0-9a-f]{8}\\+B", witness.Verifier.ToString());
    }

    [Fact]
    public void The_cosigned_message_is_the_one_C2SP_specifies()
    {
        using var witness = NoteKey.Generate("w.example/1", NoteKeyType.Cosignature);
        using var log = NoteKey.Generate("example.com/behind-the-sofa", NoteKeyType.Ed25519);
        var body = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        var signed = new SignedCheckpoint(Checkpoint.Parse(body), SignedNote.Sign(body, log));
        var line = Cosignature.Sign(signed, witness, DateTimeOffset.FromUnixTimeSeconds(1679315147));
        var message = Encoding.UTF8.GetBytes("cosignature/v1\ntime 1679315147\n" + body);
        Assert.True(witness.Verifier.Verify(message, line.Signature.AsSpan(8)));
    }
}

/// <summary>The canonical leaf of docs/transparency-log.md, byte for byte, as another implementation would check it.</summary>
public sealed class EventLeafTests
{
    [Fact]
    public void The_leaf_of_the_documented_example_is_the_documented_bytes_and_hash()
    {
        var leaf = new EventLeaf(7, Guid.Parse("0192f3a4-5b6c-7d8e-9fa0-b1c2d3e4f506"), "crisis-1", 2, "emergency_declared",
            new DateTimeOffset(2021, 9, 2, 8, 0, 0, TimeSpan.Zero).AddTicks(1234560), "ministry-pl",
            System.Text.Encoding.UTF8.GetBytes("{\"actor-role\":\"Ministry\"}"), System.Text.Encoding.UTF8.GetBytes("{\"EndDate\":\"2021-10-01\"}"));

        Assert.Equal(
            "01" + "0000000000000007" + "0192f3a45b6c7d8e9fa0b1c2d3e4f506" + "00000008" + "6372697369732d31" + "0000000000000002"
            + "00000012" + "656d657267656e63795f6465636c61726564" + "0005cafe91cc0240" + "01" + "0000000b" + "6d696e69737472792d706c"
            + "00000019" + "7b226163746f722d726f6c65223a224d696e6973747279227d" + "00000018" + "7b22456e6444617465223a22323032312d31302d3031227d",
            Convert.ToHexStringLower(leaf.Encode()));
        // The hash as docs/transparency-log.md states it (computed there with Python's hashlib).
        Assert.Equal("156cf8a37302160b0e7c8dbac4b3e4d4e2481d957b18f3521663b3898adc43cf", Convert.ToHexStringLower(leaf.Hash()));
        Assert.Equal(1_630_569_600_123_456, EventLeaf.Microseconds(leaf.Timestamp));
    }

    [Fact]
    public void The_leaf_hash_is_the_RFC_9162_hash_of_the_encoded_bytes_for_any_leaf() =>
        Gen.Select(Gen.Long, Gen.String, Gen.Select(Gen.String, Gen.Bool, (a, some) => some ? a : (string?)null), Gen.Byte.Array[0, 3000], Gen.Byte.Array[0, 300])
            .Sample((sequence, stream, actor, data, headers) =>
            {
                var leaf = new EventLeaf(sequence, Guid.NewGuid(), stream, sequence / 3, "t", DateTimeOffset.UnixEpoch, actor, headers, data);
                var encoded = leaf.Encode();
                var written = new byte[leaf.EncodedLength + 5];
                return leaf.EncodeTo(written) == encoded.Length && written.AsSpan(0, encoded.Length).SequenceEqual(encoded)
                    && leaf.Hash().AsSpan().SequenceEqual(MerkleHash.Leaf(encoded))
                    && EventLeaf.Decode(encoded).Encode().AsSpan().SequenceEqual(encoded);
            });

    [Fact]
    public void A_null_actor_and_an_empty_actor_are_different_leaves()
    {
        var leaf = new EventLeaf(1, Guid.Empty, "s", 1, "t", DateTimeOffset.UnixEpoch, null, EventLeaf.NoHeaders, "{}"u8.ToArray());
        Assert.NotEqual(Convert.ToHexStringLower(leaf.Hash()), Convert.ToHexStringLower((leaf with { UserName = "" }).Hash()));
    }
}
