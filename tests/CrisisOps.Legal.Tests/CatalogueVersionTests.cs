using System.Text.Json.Nodes;
using CrisisOps.Legal.Law;
using Xunit;

namespace CrisisOps.Legal.Tests;

/// <summary>A catalogue version is the hash of its content: two different catalogues can never carry one version.</summary>
public sealed class CatalogueVersionTests
{
    [Fact]
    public void The_version_is_the_SHA_256_of_the_canonical_content()
    {
        Assert.Equal(LegalCatalogueJson.VersionOf(Law.Catalogue.Content), Law.Catalogue.Version);
        Assert.Matches("^sha256:[0-9a-f]{64}$", Law.Catalogue.Version);
    }

    [Fact]
    public void The_same_content_laid_out_differently_has_the_same_version()
    {
        // Indentation and property order are layout, not law.
        var folder = Law.CopyWith(LegalCatalogueJson.BasesFile, d =>
        {
            var basis = Law.Entry(d, "bases", "PL-CONST-230");
            var notes = basis["notes"]!.DeepClone();
            basis.Remove("notes");
            basis.Insert(0, "notes", notes);
        });

        Assert.Equal(Law.Catalogue.Version, LegalCatalogueJson.Load(folder).Version);
    }

    [Fact]
    public void One_changed_limit_is_another_version()
    {
        var folder = Law.CopyWith(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "PL-CONST-230")["maxInitialDuration"] = "P91D");

        var amended = LegalCatalogueJson.Load(folder);

        Assert.NotEqual(Law.Catalogue.Version, amended.Version);
        Assert.Equal(NodaTime.Period.FromDays(91), amended.Bases.Single(b => b.Code == "PL-CONST-230").MaxInitialDuration);
    }

    [Fact]
    public void One_changed_holiday_is_another_version()
    {
        var folder = Law.CopyWith(LegalCatalogueJson.HolidaysFile, d =>
            Law.Entry(d, "calendars", "EU-INSTITUTIONS", "name")["dates"]!.AsArray().RemoveAt(0));

        Assert.NotEqual(Law.Catalogue.Version, LegalCatalogueJson.Load(folder).Version);
    }

    [Fact]
    public void The_canonical_content_read_back_under_its_version_is_the_same_catalogue()
    {
        var catalogue = Law.Catalogue;

        var parsed = LegalCatalogueJson.ParseCanonical(catalogue.Content, catalogue.Version);

        Assert.Equal(catalogue.Version, parsed.Version);
        Assert.Equal(catalogue.Content, parsed.Content);
        Assert.Equal(catalogue.Bases.Count, parsed.Bases.Count);
        foreach (var (expected, actual) in catalogue.Bases.Zip(parsed.Bases))
        {
            Assert.Equal(expected with { Examples = [] }, actual with { Examples = [] });
            Assert.Equal(expected.Examples, actual.Examples);
        }

        Assert.Equal(catalogue.MeasureTypes.Select(t => t with { LegalBasis = Law.Basis(t.LegalBasis.Code) }),
            parsed.MeasureTypes.Select(t => t with { LegalBasis = Law.Basis(t.LegalBasis.Code) }));
        Assert.Equal(catalogue.MeasureTypes.Select(t => t.LegalBasis.Code), parsed.MeasureTypes.Select(t => t.LegalBasis.Code));
        Assert.Equal(catalogue.LeverageTypes.Select(t => (t.Code, t.Title, t.Category, t.Side, t.LegalBasis.Code, t.ReviewEvery, string.Join(",", t.Targets), t.EvidenceRequired, t.UntilRepealed)),
            parsed.LeverageTypes.Select(t => (t.Code, t.Title, t.Category, t.Side, t.LegalBasis.Code, t.ReviewEvery, string.Join(",", t.Targets), t.EvidenceRequired, t.UntilRepealed)));
    }

    [Fact]
    public void Content_altered_after_it_was_recorded_is_refused_under_its_version()
    {
        var catalogue = Law.Catalogue;
        var altered = JsonNode.Parse(catalogue.Content)!;
        Law.Entry(altered, "bases", "PL-CONST-230")["maxInitialDuration"] = "P120D";

        var refused = Assert.Throws<InvalidDataException>(() => LegalCatalogueJson.ParseCanonical(altered.ToJsonString(), catalogue.Version));

        Assert.Contains(catalogue.Version, refused.Message, StringComparison.Ordinal);
    }
}
