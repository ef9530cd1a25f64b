using CrisisOps.Legal;

namespace CrisisOps.Declaration.Catalogue;

/// <summary>Loads the legal catalogue at start-up (<c>LegalCatalogue:Path</c>, else the file shipped with the service).</summary>
public static class CatalogueLoader
{
    public static LegalCatalogue Load(IConfiguration configuration)
    {
        var path = configuration["LegalCatalogue:Path"]
            ?? Path.Combine(AppContext.BaseDirectory, "Catalogue", "emergency-legal-bases.json");
        return LegalCatalogueJson.Parse(File.ReadAllText(path));
    }
}
