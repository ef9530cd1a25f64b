using CrisisOps.Legal;
using CrisisOps.Measures.Measures;
using NodaTime;
using Xunit;
using static CrisisOps.Measures.Tests.Samples;

namespace CrisisOps.Measures.Tests;

public class MeasureDeciderTests
{
    [Fact]
    public void Poland_2021_thirty_days_extended_once_by_60_with_Sejm_consent_then_a_second_extension_refused()
    {
        var enacted = PolishStateOfEmergency();
        Assert.Equal(new DateOnly(2021, 11, 30), enacted.LegalMaxEnd);
        var extended = new MeasureSpec().Given(enacted).Single<MeasureExtended>(
            new ExtendMeasure(D(2021, 11, 30), "Sejm resolution of 30 Sep 2021", By(Poland, Sep2021.AddDays(28))));
        Assert.Equal(new DateOnly(2021, 11, 30), extended.NewEndDate);
        var second = new MeasureSpec().Given(enacted, extended)
            .Refused(new ExtendMeasure(D(2021, 12, 30), "Sejm", By(Poland, Sep2021.AddDays(80))));
        Assert.Equal("measure.extension.count", second.Rule);
    }

    [Fact]
    public void A_requested_end_beyond_the_legal_maximum_is_refused() =>
        Assert.Equal("measure.initial-duration", new MeasureSpec().In(With(Crisis())).Refused(
            Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 12, 1), By(Poland, Sep2021))).Rule);

    [Fact]
    public void An_IM_specific_measure_is_refused_without_a_crisis_that_qualifies()
    {
        Assert.Equal("measure.requires-instrumentalization", new MeasureSpec().In(With(Crisis(qualifies: false))).Refused(
            Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021))).Rule);
        Assert.Equal("measure.crisis-unknown", new MeasureSpec().Refused(
            Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021))).Rule);
        Assert.Equal("measure.crisis-ended", new MeasureSpec().In(With(Crisis(ended: true))).Refused(
            Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021))).Rule);
        Assert.Throws<InvalidFieldException>(() => new MeasureSpec().In(With(Crisis())).When(
            Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021), crisisId: null)));
    }

    [Fact]
    public void A_measure_taken_under_an_emergency_is_refused_without_that_emergency_in_force() =>
        Assert.Equal("measure.requires-emergency", new MeasureSpec().In(With(Crisis(emergency: "EU-CFMR-CID"))).Refused(
            Enact("PL-BORDER-ZONE-ENTRY-BAN", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021))).Rule);

    [Fact]
    public void Internal_controls_for_all_irregular_migrants_need_no_crisis_and_cap_at_3_months()
    {
        var now = new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);
        var enacted = new MeasureSpec().Single<MeasureEnacted>(Enact("SBC-ART25A-INTERNAL-CONTROL-UNFORESEEABLE", "PL",
            D(2026, 1, 5), D(2026, 2, 4), By(Poland, now), crisisId: null));
        var first = new MeasureSpec().Given(enacted).Single<MeasureExtended>(new ExtendMeasure(D(2026, 3, 4), null, By(Poland, now)));
        var second = new MeasureSpec().Given(enacted, first).Refused(new ExtendMeasure(D(2026, 4, 20), null, By(Poland, now)));
        Assert.Equal("measure.extension.length", second.Rule);
        // Reg. 1182/71 from 4 January: three months end on Saturday 4 April, past Easter Monday (a Polish holiday) to Tuesday 7 April.
        var capped = new MeasureSpec().Given(enacted, first).Single<MeasureExtended>(new ExtendMeasure(D(2026, 4, 7), null, By(Poland, now)));
        Assert.Equal(new DateOnly(2026, 4, 7), capped.NewEndDate);
    }

    [Fact]
    public void A_Greek_one_month_act_cannot_be_extended_and_expires_at_its_legal_end_even_when_recorded_late()
    {
        var enacted = new MeasureSpec().In(With(Crisis("GR"))).Single<MeasureEnacted>(
            Enact("GR-EMERGENCY-ACT", "GR", D(2020, 3, 1), D(2020, 3, 31), By(Greece, Mar2020)));
        // Athens is on summer time (UTC+3) from 29 March 2020: the act ends at 1 April 00:00 local time.
        Assert.Equal(new DateTimeOffset(2020, 3, 31, 21, 0, 0, TimeSpan.Zero), enacted.ExpiresAt);
        Assert.Equal("measure.extension.count", new MeasureSpec().Given(enacted)
            .Refused(new ExtendMeasure(D(2020, 4, 30), null, By(Greece, Mar2020.AddDays(20)))).Rule);
        var late = new DateTimeOffset(2020, 4, 3, 10, 0, 0, TimeSpan.Zero);
        var expired = new MeasureSpec().Given(enacted).Single<MeasureExpired>(new ExpireMeasure(By(Actor.LegalDeadline, late)));
        Assert.Equal(enacted.ExpiresAt, expired.ExpiredAt);
        Assert.Equal(late, expired.RecordedAt);
    }

    [Fact]
    public void In_force_as_of_a_date_follows_start_extension_and_legal_end()
    {
        var enacted = PolishStateOfEmergency();
        var extended = new MeasureSpec().Given(enacted).Single<MeasureExtended>(
            new ExtendMeasure(D(2021, 11, 30), "Sejm", By(Poland, Sep2021.AddDays(28))));
        Measure Fold(params object[] events) => events.Aggregate((Measure?)null, Measure.Transition)!;
        var warsaw = DateTimeZoneProviders.Tzdb["Europe/Warsaw"];
        Instant At(int m, int d) => warsaw.AtStartOfDay(D(2021, m, d)).ToInstant().Plus(Duration.FromHours(12));
        Assert.False(Fold(enacted).InForceAt(At(9, 1)));
        Assert.True(Fold(enacted).InForceAt(At(10, 1)));
        Assert.False(Fold(enacted).InForceAt(At(10, 2)));
        Assert.True(Fold(enacted, extended).InForceAt(At(11, 30)));
        Assert.False(Fold(enacted, extended).InForceAt(At(12, 1)));
    }

    [Fact]
    public void A_measure_that_ended_with_its_crisis_is_not_ended_twice_and_nothing_more_is_decided_on_it()
    {
        var enacted = PolishStateOfEmergency();
        var ended = new MeasureSpec().Given(enacted).Single<MeasureEnded>(
            new EndMeasure(EndReason.CrisisEnded, Sep2021.AddDays(5), By(Actor.CrisisCascade, Sep2021.AddDays(5))));
        Assert.Equal("crisis-1", ended.CrisisId);
        Assert.Empty(new MeasureSpec().Given(enacted, ended).When(new EndMeasure(EndReason.CrisisEnded, Sep2021.AddDays(5), By(Actor.CrisisCascade, Sep2021))));
        Assert.Equal("measure.not-in-force", new MeasureSpec().Given(enacted, ended).Refused(new RevokeMeasure(By(Poland, Sep2021))).Rule);
    }

    [Fact]
    public void Parliament_may_endorse_once_or_annul_a_measure_subject_to_its_confirmation()
    {
        var enacted = PolishStateOfEmergency();
        var endorsed = new MeasureSpec().Given(enacted).Single<MeasureEndorsed>(new EndorseMeasure("Sejm, 6 Sep 2021", By(Poland, Sep2021)));
        Assert.Equal("measure.confirmation", new MeasureSpec().Given(enacted, endorsed).Refused(new AnnulMeasure("Sejm", By(Poland, Sep2021))).Rule);
        Assert.IsType<MeasureAnnulled>(Assert.Single(new MeasureSpec().Given(enacted).When(new AnnulMeasure("Sejm vote", By(Poland, Sep2021)))));
    }

    [Fact]
    public void The_catalogue_classifies_every_type_on_the_three_axes_and_keeps_limits_as_data()
    {
        Assert.All(Samples.Catalogue.MeasureTypes, t => Assert.NotNull(t.Classification));
        Assert.Contains(Samples.Catalogue.MeasureTypes, t => t.Toolbox == "B7" && t.UntilRepealed);
        Assert.Equal(Period.FromDays(90), Samples.Catalogue.Measure("PL-STATE-OF-EMERGENCY").LegalBasis.MaxInitialDuration);
    }
}
