using System.Globalization;
using System.Text;
using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary>
/// The witness's own directory, never the operator's: <c>cosigned/{origin}/{size}.checkpoint</c>, every checkpoint it
/// cosigned, written once (the newest is its state, what the next checkpoint must extend), and
/// <c>refused/{origin}/{size}-{root}.refusal</c>, the evidence of each checkpoint it refused. The whole directory is what it
/// publishes: an auditor copies it and runs <c>crisisops-audit --witness DIR</c>.
/// </summary>
public sealed class WitnessState(string directory)
{
    /// <summary>The first line of every refusal file.</summary>
    public const string RefusalHeader = "crisisops-witness refusal v1";

    /// <summary>The directory of the cosigned checkpoints.</summary>
    public const string CosignedFolder = "cosigned";

    /// <summary>The directory of the refusals.</summary>
    public const string RefusedFolder = "refused";

    /// <summary>The file the one writer holds (<see cref="Cosigner"/>); nothing is published in it.</summary>
    public const string LockFile = "writer.lock";

    /// <summary>The state directory.</summary>
    public string Directory { get; } = directory;

    /// <summary>An origin as one directory name (it holds '/').</summary>
    public static string Folder(string origin) => Uri.EscapeDataString(origin);

    /// <summary>The newest checkpoint of <paramref name="log"/> this witness cosigned, or null when it cosigned none.</summary>
    public SignedCheckpoint? LastCosigned(WitnessedLog log, NoteVerifierKey witness)
    {
        var folder = Path.Combine(Directory, CosignedFolder, Folder(log.Origin));
        if (!System.IO.Directory.Exists(folder)) return null;
        var newest = System.IO.Directory.EnumerateFiles(folder, "*.checkpoint").Order(StringComparer.Ordinal).LastOrDefault();
        if (newest is null) return null;
        var signed = SignedCheckpoint.Parse(File.ReadAllText(newest));
        // Its own file, but a witness acts on nothing it did not sign itself.
        return Cosignature.VerifiedBy(signed, witness) is not null && signed.Checkpoint.Origin == log.Origin
            ? signed
            : throw new InvalidDataException($"{newest} does not carry this witness's cosignature: the state directory was changed by someone else");
    }

    /// <summary>Every origin the state holds a cosigned checkpoint or a refusal of, in order.</summary>
    public IReadOnlyList<string> Origins() =>
        [.. new[] { CosignedFolder, RefusedFolder }
            .Select(f => Path.Combine(Directory, f))
            .Where(System.IO.Directory.Exists)
            .SelectMany(System.IO.Directory.EnumerateDirectories)
            .Select(d => Uri.UnescapeDataString(Path.GetFileName(d)))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];

    /// <summary>The newest checkpoint cosigned of <paramref name="origin"/> as it is kept (the note and every signature line), or null.</summary>
    public string? NewestCosigned(string origin)
    {
        var folder = Path.Combine(Directory, CosignedFolder, Folder(origin));
        if (!System.IO.Directory.Exists(folder)) return null;
        var newest = System.IO.Directory.EnumerateFiles(folder, "*.checkpoint").Order(StringComparer.Ordinal).LastOrDefault();
        return newest is null ? null : File.ReadAllText(newest);
    }

    /// <summary>Every refusal of <paramref name="origin"/>: its file's name and its evidence, as kept, in order.</summary>
    public IReadOnlyList<(string Name, string Evidence)> Refusals(string origin)
    {
        var folder = Path.Combine(Directory, RefusedFolder, Folder(origin));
        return System.IO.Directory.Exists(folder)
            ? [.. System.IO.Directory.EnumerateFiles(folder, "*.refusal").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)))]
            : [];
    }

    /// <summary>Keeps a cosigned checkpoint, once; returns its file.</summary>
    public string KeepCosigned(SignedCheckpoint cosigned)
    {
        var folder = Path.Combine(Directory, CosignedFolder, Folder(cosigned.Checkpoint.Origin));
        var path = Path.Combine(folder, cosigned.Checkpoint.Size.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint");
        WriteOnce(path, cosigned.ToString());
        return path;
    }

    /// <summary>
    /// Keeps the evidence of a refusal: why, when, the checkpoint offered, the last one cosigned and the proof the log
    /// gave, each as received, so a third party can check the two signed notes contradict each other. The same
    /// checkpoint refused again keeps its first file.
    /// </summary>
    public string KeepRefusal(WitnessVerdict.Refuse refusal, SignedCheckpoint? cosigned, IReadOnlyList<byte[]>? proof, DateTimeOffset at)
    {
        var offered = refusal.Offered.Checkpoint;
        var folder = Path.Combine(Directory, RefusedFolder, Folder(offered.Origin));
        var path = Path.Combine(folder, $"{offered.Size.ToString("D20", CultureInfo.InvariantCulture)}-{Convert.ToHexStringLower(offered.Root)[..16]}.refusal");
        if (File.Exists(path)) return path;
        var text = new StringBuilder()
            .Append(RefusalHeader).Append('\n')
            .Append("origin: ").Append(offered.Origin).Append('\n')
            .Append("kind: ").Append(Kebab(refusal.Kind)).Append('\n')
            .Append("size: ").Append(offered.Size.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("refused-at: ").Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n')
            .Append("reason: ").Append(refusal.Reason).Append('\n')
            .Append("\n-- offered\n").Append(refusal.Offered)
            .Append("\n-- last cosigned\n").Append(cosigned?.ToString() ?? "(none)\n")
            .Append("\n-- consistency proof\n").Append(proof is null ? "(none)\n" : string.Concat(proof.Select(h => Convert.ToBase64String(h) + "\n")));
        WriteOnce(path, text.ToString());
        return path;
    }

    /// <summary>The kind as written in a refusal file, e.g. <c>split-view</c>.</summary>
    public static string Kebab(Refusal kind) => kind switch
    {
        Refusal.NotSignedByTheLog => "not-signed-by-the-log",
        Refusal.SplitView => "split-view",
        Refusal.Rollback => "rollback",
        _ => "not-an-extension",
    };

    private static void WriteOnce(string path, string text)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, text);
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // One writer at a time (Cosigner); a file already there is the same statement made before.
            File.Delete(temporary);
        }
    }
}
