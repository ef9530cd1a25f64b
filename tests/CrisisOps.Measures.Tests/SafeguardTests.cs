using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using Xunit;
using static CrisisOps.Measures.Tests.Samples;

namespace CrisisOps.Measures.Tests;

public class SafeguardTests
{
    private static RegistrationPoint Point(string id, string country = "PL") => new(id, country, "PL-BY", true, Sep2021);

    [Fact]
    public void Rule_1_suspending_asylum_applications_is_refused_even_under_a_lawful_emergency_act() =>
        Assert.Equal("safeguard.1.access-to-asylum", new MeasureSpec().In(With(Crisis("GR")))
            .Refused(Enact("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", "GR", D(2020, 3, 1), D(2020, 3, 31), By(Greece, Mar2020))).Rule);

    [Fact]
    public void Rule_2_a_registration_delay_beyond_4_weeks_is_refused() =>
        Assert.Equal("safeguard.2.registration-delay", new MeasureSpec().In(With(Crisis(emergency: "EU-CFMR-CID")))
            .Refused(Enact("EU-CFMR-ART10-REGISTRATION-DELAY", "PL", D(2026, 7, 15), D(2026, 10, 14), By(Poland, Sep2021),
                None with { RegistrationDelayWeeks = 6 })).Rule);

    [Fact]
    public void Rule_2_a_registration_delay_without_an_authorisation_is_refused_beyond_the_10_day_provisional_window() =>
        Assert.Equal("safeguard.2.registration-delay", new MeasureSpec().In(With(Crisis()))
            .Refused(Enact("EU-CFMR-ART10-REGISTRATION-DELAY", "PL", D(2026, 7, 15), D(2026, 8, 15), By(Poland, Sep2021),
                None with { RegistrationDelayWeeks = 4 })).Rule);

    [Fact]
    public void Rule_2_a_provisional_registration_delay_of_10_days_is_lawful_before_the_authorisation()
    {
        var enacted = new MeasureSpec().In(With(Crisis())).Single<MeasureEnacted>(Enact("EU-CFMR-ART10-REGISTRATION-DELAY", "PL",
            D(2026, 7, 15), D(2026, 7, 24), By(Poland, Sep2021), None with { RegistrationDelayWeeks = 4 }));
        Assert.True(enacted.Provisional);
    }

    [Fact]
    public void Rule_2_a_registration_delay_of_4_weeks_under_a_council_implementing_decision_is_lawful() =>
        Assert.False(new MeasureSpec().In(With(Crisis(emergency: "EU-CFMR-CID"))).Single<MeasureEnacted>(Enact(
            "EU-CFMR-ART10-REGISTRATION-DELAY", "PL", D(2026, 7, 15), D(2026, 10, 14), By(Poland, Sep2021),
            None with { RegistrationDelayWeeks = 4 })).Provisional);

    [Fact]
    public void Rule_3_closing_crossing_points_is_refused_when_no_registration_point_would_stay_open()
    {
        var closeAll = Enact("SBC-ART5-4-CROSSING-POINT-RESTRICTION", "PL", D(2026, 7, 15), D(2026, 8, 14), By(Poland, Sep2021),
            None with { CrossingPoints = ["kuznica", "bobrowniki"] });
        Assert.Equal("safeguard.3.open-registration-point",
            new MeasureSpec().In(With(Crisis(), Point("kuznica"), Point("bobrowniki"))).Refused(closeAll).Rule);
        Assert.Equal("safeguard.3.open-registration-point",
            new MeasureSpec().In(With(Crisis(), Point("terespol", country: "LT"))).Refused(closeAll).Rule);
        Assert.IsType<MeasureEnacted>(Assert.Single(new MeasureSpec().In(With(Crisis(), Point("kuznica"), Point("terespol"))).When(closeAll)));
    }

    [Fact]
    public void Rule_3_is_checked_again_when_a_restriction_is_amended_to_close_the_last_open_point()
    {
        var situation = With(Crisis(), Point("kuznica"), Point("terespol"));
        var enacted = new MeasureSpec().In(situation).Single<MeasureEnacted>(Enact("SBC-ART5-4-CROSSING-POINT-RESTRICTION", "PL",
            D(2026, 7, 15), D(2026, 8, 14), By(Poland, Sep2021), None with { CrossingPoints = ["kuznica"] }));
        Assert.Equal("safeguard.3.open-registration-point", new MeasureSpec().Given(enacted).In(situation)
            .Refused(new AmendMeasure(["border"], None with { CrossingPoints = ["kuznica", "terespol"] }, By(Poland, Sep2021))).Rule);
    }

    [Fact]
    public void Rule_4_a_border_procedure_that_does_not_exclude_the_APR_53_groups_is_refused() =>
        Assert.Equal("safeguard.4.apr-53-exclusions", new MeasureSpec().In(With(Crisis(emergency: "EU-CFMR-CID")))
            .Refused(Enact("EU-CFMR-ART11-BORDER-PROCEDURE-EXTENSION", "PL", D(2026, 7, 15), D(2026, 10, 15), By(Poland, Sep2021))).Rule);

    [Fact]
    public void Rule_5_a_group_return_order_is_refused() =>
        Assert.Equal("safeguard.5.no-collective-expulsion", new MeasureSpec().In(With(Crisis()))
            .Refused(Enact("GROUP-RETURN-ORDER", "PL", D(2021, 9, 2), D(2021, 9, 2), By(Poland, Sep2021))).Rule);

    [Fact]
    public void Rule_5_a_return_border_procedure_without_individual_assessment_is_refused() =>
        Assert.Equal("safeguard.5.no-collective-expulsion", new MeasureSpec().In(With(Crisis(emergency: "EU-CFMR-CID")))
            .Refused(Enact("EU-RBP-ART6-RETURN-BORDER-PROCEDURE", "PL", D(2026, 7, 15), D(2026, 10, 15), By(Poland, Sep2021))).Rule);

    [Fact]
    public void Rule_6_a_measure_in_force_until_repealed_needs_a_review_date()
    {
        var noReview = Enact("EU-EXTERNALISATION-ARRANGEMENT", "PL", D(2026, 7, 15), null, By(Poland, Sep2021));
        Assert.Equal("safeguard.6.review-date", new MeasureSpec().In(With(Crisis())).Refused(noReview).Rule);
        var enacted = new MeasureSpec().In(With(Crisis())).Single<MeasureEnacted>(noReview with { ReviewDueAt = new DateOnly(2027, 1, 15) });
        Assert.Null(enacted.ExpiresAt);
    }

    [Fact]
    public void Rule_7_an_extension_without_the_consent_the_law_requires_is_refused() =>
        Assert.Equal("measure.extension.consent", new MeasureSpec().Given(PolishStateOfEmergency())
            .Refused(new ExtendMeasure(D(2021, 11, 30), null, By(Poland, Sep2021.AddDays(28)))).Rule);
}
