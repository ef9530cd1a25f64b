using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary>
/// One log the witness watches: the log's published verifier key (its name is the log's origin) and the service's
/// transparency endpoint. The witness takes both from the log's public announcement, never from the log at run time.
/// </summary>
public sealed record WitnessedLog(NoteVerifierKey Key, Uri Endpoint)
{
    /// <summary>The log's origin, the name of its key.</summary>
    public string Origin => Key.Name;

    /// <summary>
    /// Reads a logs file: one log per line, <c>&lt;log verifier key&gt; &lt;transparency endpoint URL&gt;</c>; blank lines and
    /// lines starting with <c>#</c> are skipped. A bad line is refused naming its number.
    /// </summary>
    public static IReadOnlyList<WitnessedLog> ReadFile(string path)
    {
        var logs = new List<WitnessedLog>();
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2)
                throw new FormatException($"{path}:{i + 1}: a log is '<log verifier key> <transparency endpoint URL>'");
            var key = NoteVerifierKey.Parse(fields[0]);
            if (key.Type != NoteKeyType.Ed25519) throw new FormatException($"{path}:{i + 1}: {key.Name} is a cosigner key, not a log key (type 0x01)");
            if (!Uri.TryCreate(fields[1], UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
                throw new FormatException($"{path}:{i + 1}: '{fields[1]}' is not an http or https URL");
            if (logs.Exists(l => l.Origin == key.Name)) throw new FormatException($"{path}:{i + 1}: {key.Name} is listed twice");
            logs.Add(new WitnessedLog(key, endpoint));
        }

        return logs.Count > 0 ? logs : throw new FormatException($"{path} names no log");
    }
}
