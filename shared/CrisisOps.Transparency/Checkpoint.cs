using System.Globalization;

namespace CrisisOps.Transparency;

/// <summary>
/// A C2SP tlog-checkpoint: the log's origin (a schema-less URL naming the log), its size in leaves and the RFC 9162
/// root of those leaves, then optional extension lines. CrisisOps writes one extension line, <c>time</c> and the
/// moment the checkpoint was taken (RFC 3339, UTC), which witnesses make no statement about.
/// </summary>
public sealed record Checkpoint(string Origin, long Size, byte[] Root, IReadOnlyList<string> Extensions)
{
    /// <summary>A checkpoint with the CrisisOps <c>time</c> extension line.</summary>
    public static Checkpoint At(string origin, long size, byte[] root, DateTimeOffset taken) =>
        new(origin, size, root, [$"time {taken.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}"]);

    /// <summary>The moment of the <c>time</c> extension line, if any.</summary>
    public DateTimeOffset? Taken =>
        Extensions.FirstOrDefault(e => e.StartsWith("time ", StringComparison.Ordinal)) is { } line
        && DateTimeOffset.TryParse(line[5..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>The note text: origin, size, base64 root, extension lines, each ending in a newline.</summary>
    public string Body() =>
        $"{Origin}\n{Size.ToString(CultureInfo.InvariantCulture)}\n{Convert.ToBase64String(Root)}\n" + string.Concat(Extensions.Select(e => e + "\n"));

    /// <summary>Reads a checkpoint from a note's text; a malformed one is refused saying why.</summary>
    public static Checkpoint Parse(string body)
    {
        if (!body.EndsWith('\n')) throw new FormatException("a checkpoint ends in a newline");
        var lines = body[..^1].Split('\n');
        if (lines.Length < 3) throw new FormatException("a checkpoint has an origin, a size and a root hash line");
        if (lines[0].Length == 0) throw new FormatException("the checkpoint's origin line is empty");
        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var size) || (lines[1].Length > 1 && lines[1][0] == '0'))
            throw new FormatException($"the checkpoint's size '{lines[1]}' is not a decimal without leading zeroes");
        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("the checkpoint's root hash is not base64");
        }

        if (root.Length != MerkleHash.Size) throw new FormatException($"the checkpoint's root hash has {root.Length} bytes, not 32");
        if (lines.Skip(3).Any(l => l.Length == 0)) throw new FormatException("a checkpoint has no empty extension line");
        return new Checkpoint(lines[0], size, root, lines[3..]);
    }

    /// <summary>Whether two checkpoints state the same tree (origin, size, root); extension lines aside.</summary>
    public bool SameTree(Checkpoint other) => Origin == other.Origin && Size == other.Size && Root.AsSpan().SequenceEqual(other.Root);
}

/// <summary>A checkpoint and the signed note it was published in.</summary>
public sealed record SignedCheckpoint(Checkpoint Checkpoint, SignedNote Note)
{
    /// <summary>Reads a signed checkpoint note.</summary>
    public static SignedCheckpoint Parse(string note)
    {
        var signed = SignedNote.Parse(note);
        return new SignedCheckpoint(Checkpoint.Parse(signed.Text), signed);
    }

    /// <summary>Signs a checkpoint with the log's key.</summary>
    public static SignedCheckpoint Sign(Checkpoint checkpoint, NoteKey logKey) => new(checkpoint, SignedNote.Sign(checkpoint.Body(), logKey));

    /// <summary>The note text as published.</summary>
    public override string ToString() => Note.ToString();
}
