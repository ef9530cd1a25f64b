using System.CommandLine;
using CrisisOps.Transparency;

namespace CrisisOps.Cli.Keys;

/// <summary><c>crisisops keys generate</c>: a service's transparency-log key (it signs the store's checkpoints and decisions).</summary>
public static class KeyCommands
{
    public static Command Create() =>
        new("keys", "Signed-note Ed25519 keys for the transparency logs (docs/transparency-log.md §4).")
        {
            Generate(),
        };

    private static Command Generate()
    {
        var name = new Option<string>("--name")
        {
            Description = "The key's name: the log's origin, '<Transparency:LogName>/<schema>' (e.g. crisisops.local/declaration)",
            Required = true,
        };
        var key = new Option<FileInfo>("--key") { Description = "Where to write the private key (mode 600); it must not exist", Required = true };
        var command = new Command("generate", "Creates a log key (Transparency:KeyFile, or <schema>.key in Transparency:KeyDirectory) and prints its " +
            "verifier key, to publish to auditors with its period: '<verifier key> from=<ISO 8601>'.")
        {
            name, key,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var file = result.GetRequiredValue(key).FullName;
            if (File.Exists(file)) throw new CliException($"{file} exists: rotate by making a new key beside it (README: Rotating keys)");
            using var generated = NoteKey.Generate(result.GetRequiredValue(name), NoteKeyType.Ed25519);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, generated.Export() + "\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine(generated.Verifier);
        }));
        return command;
    }
}
