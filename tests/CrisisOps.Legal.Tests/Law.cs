using System.Text.Json.Nodes;
using CrisisOps.Legal.Law;

namespace CrisisOps.Legal.Tests;

/// <summary>The law folder copied beside the tests (from <c>law/</c>), loaded once, and copies of it to break.</summary>
public static class Law
{
    /// <summary>The folder the build copied <c>law/*.json</c> into.</summary>
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "law");

    /// <summary>The catalogue as the services load it.</summary>
    public static LegalCatalogue Catalogue { get; } = LegalCatalogueJson.Load(Folder);

    /// <summary>The basis with this code.</summary>
    public static LegalBasis Basis(string code) => Catalogue.Bases.Single(b => b.Code == code);

    /// <summary>Bases the law limits in time (an initial maximum), as opposed to those in force until repealed.</summary>
    public static IEnumerable<LegalBasis> TimeLimited => Catalogue.Bases.Where(b => b.MaxInitialDuration != NodaTime.Period.Zero);

    /// <summary>
    /// A copy of the law folder in a fresh temporary folder, with <paramref name="edit"/> applied to one of its files
    /// (parsed as JSON): the way a lawyer's edit reaches the loader.
    /// </summary>
    public static string CopyWith(string file, Action<JsonNode> edit)
    {
        var folder = Directory.CreateTempSubdirectory("crisisops-law-").FullName;
        foreach (var source in Directory.GetFiles(Folder, "*.json")) File.Copy(source, Path.Combine(folder, Path.GetFileName(source)));
        var path = Path.Combine(folder, file);
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        edit(document);
        File.WriteAllText(path, document.ToJsonString());
        return folder;
    }

    /// <summary>The entry with this code in a file's list (<c>bases</c>, <c>types</c> or <c>calendars</c>).</summary>
    public static JsonObject Entry(JsonNode document, string list, string code, string key = "code") =>
        document[list]!.AsArray().Select(n => n!.AsObject()).Single(o => (string?)o[key] == code);
}
