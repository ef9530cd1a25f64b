using CrisisOps.Transparency;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// A service's log key and checkpoint directory for one test, in a directory of its own: the key as
/// <c>crisisops keys generate</c> writes it, outside PostgreSQL.
/// </summary>
public sealed class TransparencySetup : IDisposable
{
    public const string LogName = "crisisops.test";

    public TransparencySetup(string schema)
    {
        Root = Directory.CreateTempSubdirectory("crisisops-transparency-").FullName;
        Schema = schema;
        Key = NoteKey.Generate($"{LogName}/{schema}", NoteKeyType.Ed25519);
        KeyFile = Path.Combine(Root, "log.key");
        File.WriteAllText(KeyFile, Key.Export());
        Checkpoints = Path.Combine(Root, "checkpoints");
    }

    public string Root { get; }

    public string Schema { get; }

    public NoteKey Key { get; }

    public string KeyFile { get; }

    /// <summary>The service's checkpoint directory (it writes <c>{schema}/*.checkpoint</c> under it).</summary>
    public string Checkpoints { get; }

    /// <summary>The service settings that turn the log's signing on.</summary>
    public void Apply(Dictionary<string, string?> settings)
    {
        settings["Transparency:LogName"] = LogName;
        settings["Transparency:KeyFile"] = KeyFile;
        settings["Transparency:CheckpointDirectory"] = Checkpoints;
    }

    public void Dispose()
    {
        Key.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
