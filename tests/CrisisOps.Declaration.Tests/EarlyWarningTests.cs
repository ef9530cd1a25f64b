using CrisisOps.Declaration.EarlyWarning;
using Xunit;
using static CrisisOps.Declaration.Tests.Samples;

namespace CrisisOps.Declaration.Tests;

public class EarlyWarningTests
{
    private static RecordIndicator Indicator(IndicatorGroup group, string kind, IndicatorLevel level) =>
        new("PL", "PL-BY", group, kind, level, "evidence", "source", Sep2021, At(Sep2021));

    private static IReadOnlyList<object> Record(params RecordIndicator[] commands)
    {
        BorderWatch? state = null;
        var all = new List<object>();
        foreach (var c in commands)
        {
            var events = BorderWatch.Decide(state, c);
            state = events.Aggregate(state, BorderWatch.Transition);
            all.AddRange(events);
        }

        return all;
    }

    [Fact]
    public void Intent_and_potential_high_with_a_vulnerability_raise_a_critical_alert()
    {
        var events = Record(
            Indicator(IndicatorGroup.Intent, "hostile narratives", IndicatorLevel.High),
            Indicator(IndicatorGroup.Potential, "visa liberalisation", IndicatorLevel.Critical),
            Indicator(IndicatorGroup.TerritorialVulnerability, "forested land border", IndicatorLevel.Moderate));
        var changes = events.OfType<AlertLevelChanged>().Select(e => e.To).ToList();
        Assert.Equal([AlertLevel.Elevated, AlertLevel.High, AlertLevel.Critical], changes);
    }

    [Fact]
    public void Intent_alone_never_goes_beyond_elevated() =>
        Assert.Equal(AlertLevel.Elevated, BorderWatch.Assess(g => g == IndicatorGroup.Intent ? IndicatorLevel.Critical : null));

    [Fact]
    public void A_later_reading_of_the_same_indicator_replaces_the_earlier_one()
    {
        var events = Record(
            Indicator(IndicatorGroup.Intent, "Military movements", IndicatorLevel.High),
            Indicator(IndicatorGroup.Potential, "flights", IndicatorLevel.High),
            Indicator(IndicatorGroup.Intent, "military movements ", IndicatorLevel.Low));
        Assert.Equal(AlertLevel.Elevated, events.OfType<AlertLevelChanged>().Last().To);
    }

    [Fact]
    public void An_indicator_that_changes_nothing_records_no_alert_change() =>
        Assert.Single(Record(Indicator(IndicatorGroup.PoliticalVulnerability, "polarisation", IndicatorLevel.Low)));
}
