using CrisisOps.Legal.Law;

namespace CrisisOps.Cli.Law;

/// <summary>Finds and reads the law folder, turning a missing folder or an invalid entry into one line for the user.</summary>
public static class LawFolder
{
    /// <summary>The folder given, or the nearest <c>law/</c> holding the legal bases at or above <paramref name="start"/>.</summary>
    public static string Resolve(DirectoryInfo? given, string start)
    {
        if (given is not null)
            return given.Exists ? given.FullName : throw new CliException($"--law: {given.FullName} does not exist");
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "law");
            if (File.Exists(Path.Combine(candidate, LegalCatalogueJson.BasesFile))) return candidate;
        }

        throw new CliException($"no law/{LegalCatalogueJson.BasesFile} in {start} or above it: give the folder with --law DIR");
    }

    /// <summary>The catalogue in <paramref name="folder"/>, or the loader's refusal naming the file, the entry and the field.</summary>
    public static LegalCatalogue Load(string folder)
    {
        try
        {
            return LegalCatalogueJson.Load(folder);
        }
        catch (InvalidDataException ex)
        {
            throw new CliException($"the law in {folder} is invalid: {ex.Message}");
        }
    }
}
