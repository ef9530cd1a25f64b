using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Transparency;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// Reads what a witness published (a copy of its state directory, <c>crisisops-witness</c>): the checkpoints it
/// cosigned, each kept only when its cosignature verifies under a witness key the auditor was given, and the refusals it
/// recorded, each an error: the log once showed the witness a history that did not extend what it had cosigned.
/// </summary>
public static class WitnessReader
{
    /// <summary>The cosigned checkpoints and a finding per refusal.</summary>
    /// <param name="directory">The witness's published directory (holding <c>cosigned/</c> and <c>refused/</c>).</param>
    /// <param name="witnessKeys">The witnesses' verifier keys (type 0x04).</param>
    /// <param name="logKeys">The logs' keys: when given, a cosigned checkpoint must also carry its log's signature.</param>
    public static (IReadOnlyList<KeptCheckpoint> Cosigned, IReadOnlyList<Finding> Refusals) Read(string directory, IReadOnlyCollection<NoteVerifierKey> witnessKeys,
        IReadOnlyCollection<NoteVerifierKey>? logKeys)
    {
        if (!Directory.Exists(directory)) throw new ArgumentException($"--witness: {directory} is not a directory");
        var cosignedFolder = Path.Combine(directory, "cosigned");
        if (!Directory.Exists(cosignedFolder)) throw new ArgumentException($"--witness: {directory} holds no cosigned/ directory: it is not a witness's");
        var refusedFolder = Path.Combine(directory, "refused");
        return Check(
            Directory.EnumerateFiles(cosignedFolder, "*.checkpoint", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f))),
            Directory.Exists(refusedFolder)
                ? Directory.EnumerateFiles(refusedFolder, "*.refusal", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (f, File.ReadAllText(f)))
                : [],
            witnessKeys, logKeys);
    }

    /// <summary>
    /// The cosigned checkpoints and a finding per refusal, from what a witness published however it was fetched (its
    /// directory copied, or its HTTP view, <see cref="WitnessFetch"/>): each named by where it was read.
    /// </summary>
    public static (IReadOnlyList<KeptCheckpoint> Cosigned, IReadOnlyList<Finding> Refusals) Check(IEnumerable<(string Source, string Text)> cosignedNotes,
        IEnumerable<(string Source, string Text)> refusalFiles, IReadOnlyCollection<NoteVerifierKey> witnessKeys, IReadOnlyCollection<NoteVerifierKey>? logKeys)
    {
        if (witnessKeys.Count == 0 || witnessKeys.Any(k => k.Type != NoteKeyType.Cosignature))
            throw new ArgumentException("--witness-keys: name the witnesses' cosigner keys (type 0x04), one per line");
        var cosigned = new List<KeptCheckpoint>();
        foreach (var (source, text) in cosignedNotes)
        {
            var signed = LogAuditRunner.ParseCheckpoint(text, source, logKeys);
            var by = witnessKeys.Select(k => (Key: k, At: Cosignature.VerifiedBy(signed, k))).FirstOrDefault(w => w.At is not null);
            if (by.At is null) throw new InvalidDataException($"{source} carries no valid cosignature by the witness keys given");
            cosigned.Add(new KeptCheckpoint(signed, $"cosigned by {by.Key.Name} at {by.At:yyyy-MM-dd'T'HH:mm:ss'Z'}"));
        }

        return (cosigned, [.. refusalFiles.Select(r => Refusal(r.Source, r.Text))]);
    }

    private static Finding Refusal(string file, string text)
    {
        var header = text.Split('\n').TakeWhile(l => l.Length > 0).ToList();
        string Field(string name) => header.FirstOrDefault(l => l.StartsWith(name + ": ", StringComparison.Ordinal))?[(name.Length + 2)..]
            ?? throw new InvalidDataException($"{file} is not a witness refusal: no '{name}:' line");
        if (header.FirstOrDefault() != "crisisops-witness refusal v1") throw new InvalidDataException($"{file} is not a witness refusal");
        var origin = Field("origin");
        var store = origin[(origin.LastIndexOf('/') + 1)..];
        return new Finding(Severity.Error, "integrity.witness-refused", store, null, null, null, null, null, null, null,
            $"the witness refused the checkpoint of {origin} at size {Field("size")} ({Field("kind")}) at {Field("refused-at")}: {Field("reason")}; evidence: {file}");
    }
}
