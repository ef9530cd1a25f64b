using CrisisOps.Humanitarian.Catalogue;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;

namespace CrisisOps.Humanitarian.Tests;

public class OrganisationRegistryTests
{
    [Fact]
    public void The_registry_lists_UN_agencies_EU_agencies_NGOs_and_states_of_the_Civil_Protection_Mechanism_with_their_HXL_names()
    {
        Assert.Equal(OrganisationType.UnAgency, Registry.Find("IOM")!.Type);
        Assert.Equal(OrganisationType.EuAgency, Registry.Find("EUAA")!.Type);
        Assert.Equal(OrganisationType.Ngo, Registry.Find("PAH")!.Type);
        var germany = Registry.Find("ucpm-de")!;
        Assert.Equal((OrganisationType.State, "DE"), (germany.Type, germany.Country));
        Assert.Equal("Polish Red Cross", Registry.Find("PCK")!.HxlOrg);
        Assert.Null(Registry.Find("Wagner Logistics"));
        Assert.All(Enum.GetValues<Sector>(), s => Assert.NotEmpty(Registry.Of(s).HxlCode));
    }

    [Fact]
    public void A_registry_with_a_duplicate_code_or_a_missing_sector_fails_at_start_up()
    {
        const string Sectors = """
            "sectors": [
              { "sector": "Shelter", "name": "Shelter", "hxlCode": "SHL" }, { "sector": "Food", "name": "Food", "hxlCode": "FSC" },
              { "sector": "WaterSanitationHygiene", "name": "WASH", "hxlCode": "WSH" }, { "sector": "Health", "name": "Health", "hxlCode": "HEA" },
              { "sector": "Protection", "name": "Protection", "hxlCode": "PRO" }, { "sector": "Winterisation", "name": "Winterisation", "hxlCode": "WIN" }
            ]
            """;
        var duplicate = Assert.Throws<InvalidDataException>(() => OrganisationRegistry.Parse($$"""
            { "version": "1", {{Sectors}}, "organisations": [
              { "code": "IOM", "name": "IOM", "type": "UnAgency", "hxlOrg": "IOM" }, { "code": "iom", "name": "IOM", "type": "UnAgency", "hxlOrg": "IOM" } ] }
            """));
        Assert.Contains("'IOM' appears twice", duplicate.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<InvalidDataException>(() => OrganisationRegistry.Parse("""
            { "version": "1", "sectors": [ { "sector": "Shelter", "name": "Shelter", "hxlCode": "SHL" } ], "organisations": [] }
            """));
        Assert.Contains("Winterisation", missing.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => OrganisationRegistry.Parse($$"""
            { "version": "1", {{Sectors}}, "organisations": [ { "code": "X", "name": "X", "type": "Ngo" } ] }
            """));
    }
}
