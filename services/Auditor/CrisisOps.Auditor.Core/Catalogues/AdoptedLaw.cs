using CrisisOps.Legal.Law;

namespace CrisisOps.Auditor.Core.Catalogues;

/// <summary>
/// The versions of the law each store adopted, read from the store itself (<c>law_adopted</c> events): a decision is
/// re-decided with exactly the content its store recorded under the version it names, and with nothing else. There is
/// no catalogue file to pass to the audit by hand, and no fallback to another version.
/// </summary>
public sealed class AdoptedLaw
{
    private readonly Dictionary<string, LegalCatalogue> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<(string Store, string Version)> _adoptions = [];

    /// <summary>The versions adopted, with the stores that adopted each, for the report.</summary>
    public IReadOnlyList<string> Versions =>
        [.. _adoptions.GroupBy(a => a.Version).Select(g => $"law {g.Key} ({string.Join(", ", g.Select(a => a.Store).Order(StringComparer.Ordinal))})")];

    /// <summary>
    /// Records that <paramref name="store"/> adopted <paramref name="version"/> with <paramref name="content"/>; refuses
    /// content that does not hash to its version (an edited adoption).
    /// </summary>
    public void Adopt(string store, string version, string content)
    {
        if (!_versions.TryGetValue(version, out var known)) _versions[version] = LegalCatalogueJson.ParseCanonical(content, version);
        else if (known.Content != content)
            throw new InvalidDataException($"law {version}: the content recorded in {store} differs from the content recorded elsewhere");
        _adoptions.Add((store, version));
    }

    /// <summary>The law <paramref name="store"/> adopted under <paramref name="version"/>, or null when it never did.</summary>
    public LegalCatalogue? Find(string store, string? version) =>
        version is not null && _adoptions.Contains((store, version)) ? _versions[version] : null;
}
