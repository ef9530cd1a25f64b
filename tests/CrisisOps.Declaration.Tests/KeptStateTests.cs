using CrisisOps.Declaration.Crises;
using CrisisOps.Declaration.EarlyWarning;
using CrisisOps.ServiceDefaults.EventStore;
using Xunit;
using static CrisisOps.Declaration.Tests.Samples;

namespace CrisisOps.Declaration.Tests;

/// <summary>The state a stream keeps reads back as it was written, and decides as the state folded from its events.</summary>
public class KeptStateTests
{
    [Fact]
    public void A_border_watch_keyed_by_group_and_kind_reads_back_whole_and_decides_the_same()
    {
        BorderWatch? folded = null;
        foreach (var (group, kind, level) in new[]
                 {
                     (IndicatorGroup.Intent, "hostile narratives", IndicatorLevel.High),
                     (IndicatorGroup.Potential, "visa liberalisation", IndicatorLevel.Critical),
                     (IndicatorGroup.Potential, "flights Baghdad-Minsk", IndicatorLevel.Moderate),
                 })
            folded = BorderWatch.Decide(folded, Indicator(group, kind, level)).Aggregate(folded, BorderWatch.Transition);

        var json = KeptState.Write(folded);
        var read = KeptState.Read<BorderWatch>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        Assert.Equal(folded!.Latest.OrderBy(x => x.Key.Kind, StringComparer.Ordinal), read.Latest.OrderBy(x => x.Key.Kind, StringComparer.Ordinal));
        var next = Indicator(IndicatorGroup.TerritorialVulnerability, "forested land border", IndicatorLevel.Moderate);
        Assert.Equal(KeptState.Write(BorderWatch.Decide(folded, next)), KeptState.Write(BorderWatch.Decide(read, next)));
    }

    [Fact]
    public void A_crisis_under_an_emergency_reads_back_whole_and_its_view_shows_the_emergency()
    {
        var declared = Declared();
        var emergency = Spec().Given(declared).When(new DeclareEmergency("PL-CONST-230", D(2021, 9, 2), D(2021, 10, 1), At(Sep2021)));
        var folded = CrisisStream.Definition.Fold(null, [declared, .. emergency])!;

        var json = KeptState.Write(folded);
        var read = KeptState.Read<Crisis>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        Assert.Equal(KeptState.Write(CrisisView.From(folded, 2)), KeptState.Write(CrisisView.From(read, 2)));
        var view = CrisisView.From(read, 2);
        var declaredEmergency = Assert.IsType<EmergencyDeclared>(Assert.Single(emergency));
        Assert.Equal(declared.BorderSections, view.BorderSections);
        Assert.Equal((declared.Perpetrator, declared.Scenario, declared.Criteria), (view.Perpetrator, view.Scenario, view.Criteria));
        Assert.Equal((declaredEmergency.CatalogueVersion, declaredEmergency.LegalMaxEnd, EmergencyStatus.InForce),
            (view.Emergency!.CatalogueVersion, view.Emergency.LegalMaxEnd, view.Emergency.Status));
        Assert.Equal(declared.Decision.DecidedAt, view.DeclaredAt);
    }

    private static NodaTime.LocalDate D(int y, int m, int d) => new(y, m, d);

    private static RecordIndicator Indicator(IndicatorGroup group, string kind, IndicatorLevel level) =>
        new("PL", "PL-BY", group, kind, level, "evidence", "source", Sep2021, At(Sep2021));
}
