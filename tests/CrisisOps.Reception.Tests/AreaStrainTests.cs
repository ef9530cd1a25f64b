using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Picture;
using CrisisOps.Reception.Strain;
using Microsoft.Extensions.Configuration;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;

namespace CrisisOps.Reception.Tests;

/// <summary>Region and country strain: sums over facilities, recorded as level changes only.</summary>
public class AreaStrainTests
{
    private static readonly StrainPolicy Defaults = new(StrainThresholds.Default, new Dictionary<string, StrainThresholds>(), new Dictionary<string, StrainThresholds>());

    private static FacilityView Facility(string id, string region, int capacity, int occupied, bool open = true)
    {
        var spec = new FacilitySpec().After(Centre(general: capacity, id: id, region: region));
        if (occupied > 0) spec.After(Arrivals(occupied));
        if (!open) spec.After(new CloseFacility(spec.State!.DecisionVersion, By()));
        return FacilityView.From(spec.State!);
    }

    [Fact]
    public void A_region_is_strained_when_its_facilities_together_are_and_the_country_when_all_of_them_are()
    {
        FacilityView[] facilities =
        [
            Facility("a", "PL-PD", 100, 95),
            Facility("b", "PL-PD", 100, 80),
            Facility("c", "PL-LU", 200, 10),
        ];
        var events = AreaStrain.Assess(AreaStrain.Initial, "PL", facilities, Defaults);
        var region = Assert.IsType<RegionStrainChanged>(Assert.Single(events));
        Assert.Equal(("PL-PD", StrainLevel.Normal, StrainLevel.Strained, 200, 175), (region.Region, region.From, region.To, region.Capacity, region.Occupied));
        Assert.Equal(facilities[..2].Max(f => f.UpdatedAt), region.ChangedAt);
    }

    [Fact]
    public void Assessing_again_the_same_figures_records_nothing()
    {
        FacilityView[] facilities = [Facility("a", "PL-PD", 100, 100), Facility("b", "PL-LU", 10, 10)];
        var first = AreaStrain.Assess(AreaStrain.Initial, "PL", facilities, Defaults);
        Assert.Equal(3, first.Count);
        Assert.IsType<CountryStrainChanged>(first[^1]);
        Assert.Empty(AreaStrain.Assess(AreaStrain.Fold(first), "PL", facilities, Defaults));
    }

    [Fact]
    public void Closed_facilities_offer_no_places_to_their_region()
    {
        FacilityView[] facilities = [Facility("a", "PL-PD", 100, 90), Facility("b", "PL-PD", 900, 0, open: false)];
        var figures = AreaFigures.Of("PL-PD", facilities, StrainThresholds.Default);
        Assert.Equal((100, 90, 1, 0, 1), (figures.Capacity.Total, figures.Occupied.Total, figures.OpenFacilities, figures.FullFacilities, figures.ClosedFacilities));
        Assert.Equal(StrainLevel.Strained, figures.Strain);
    }

    [Fact]
    public void Active_contingency_places_count_in_the_regions_capacity()
    {
        var spec = new FacilitySpec().After(Centre(general: 100, region: "PL-PD"), Arrivals(100));
        spec.After(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "sports hall", General(100), By()));
        var before = AreaStrain.Assess(AreaStrain.Initial, "PL", [FacilityView.From(spec.State!)], Defaults);
        Assert.All(before, e => Assert.Equal(StrainLevel.Overflow, e is RegionStrainChanged r ? r.To : ((CountryStrainChanged)e).To));

        spec.After(new ActivateContingencyPlan(spec.State!.DecisionVersion, "winter", By()));
        var after = AreaStrain.Assess(AreaStrain.Fold(before), "PL", [FacilityView.From(spec.State!)], Defaults);
        var region = Assert.IsType<RegionStrainChanged>(after[0]);
        Assert.Equal((StrainLevel.Overflow, StrainLevel.Normal, 200), (region.From, region.To, region.Capacity));
        Assert.Equal(General(100), AreaFigures.Of("PL-PD", [FacilityView.From(spec.State!)], StrainThresholds.Default).Contingency);
    }

    [Fact]
    public void Thresholds_per_region_and_country_come_from_configuration_and_fall_back_to_the_default()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reception:Strain:Strained"] = "0.8",
            ["Reception:Strain:Regions:PL-PD:Strained"] = "0.6",
            ["Reception:Strain:Regions:PL-PD:Overflow"] = "0.9",
            ["Reception:Strain:Countries:PL:Overflow"] = "0.95",
        }).Build();
        var policy = StrainPolicy.Load(configuration);
        Assert.Equal(new StrainThresholds(0.8, 1.0), policy.Default);
        Assert.Equal(new StrainThresholds(0.6, 0.9), policy.ForRegion("PL-PD"));
        Assert.Equal(new StrainThresholds(0.8, 0.95), policy.ForCountry("PL"));
        Assert.Equal(policy.Default, policy.ForRegion("PL-LU"));

        var events = AreaStrain.Assess(AreaStrain.Initial, "PL", [Facility("a", "PL-PD", 100, 60)], policy);
        Assert.Equal(StrainLevel.Strained, Assert.IsType<RegionStrainChanged>(Assert.Single(events)).To);
    }

    [Fact]
    public void Configured_thresholds_that_could_never_fire_stop_the_service_at_start_up()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Reception:Strain:Regions:PL-PD:Strained"] = "1.1",
        }).Build();
        var refused = Assert.Throws<CrisisOps.Legal.InvalidFieldException>(() => StrainPolicy.Load(configuration));
        Assert.Equal("Reception:Strain:Regions:PL-PD", refused.Field);
    }
}
