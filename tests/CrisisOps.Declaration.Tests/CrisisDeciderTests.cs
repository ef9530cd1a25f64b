using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using NodaTime;
using Xunit;
using static CrisisOps.Declaration.Tests.Samples;

namespace CrisisOps.Declaration.Tests;

public class CrisisDeciderTests
{
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    private static EmergencyDeclared PolishEmergency() =>
        Assert.IsType<EmergencyDeclared>(Assert.Single(Spec().Given(Declared())
            .When(new DeclareEmergency("PL-CONST-230", D(2021, 9, 2), D(2021, 10, 1), At(Sep2021)))));

    [Fact]
    public void Given_all_four_criteria_with_evidence_When_declared_Then_it_qualifies_as_instrumentalization()
    {
        var declared = Assert.IsType<CrisisDeclared>(Assert.Single(Spec().When(new DeclareCrisis(CrisisId, "PL", ["PL-BY"],
            new Perpetrator("Belarus", PerpetratorKind.State), Scenario.Belligerent, AllMet(),
            BlueprintStage.MonitoringAndPreparedness, At(Sep2021)))));
        Assert.True(declared.QualifiesAsInstrumentalization);
        Assert.All(declared.QualificationReasons, r => Assert.EndsWith(": met", r));
    }

    [Fact]
    public void Given_a_criterion_claimed_without_evidence_When_declared_Then_it_does_not_qualify()
    {
        var criteria = AllMet() with { AimToDestabilise = new Criterion(true, " ") };
        var (qualifies, reasons) = CrisisDecider.Qualify(criteria, PerpetratorKind.State);
        Assert.False(qualifies);
        Assert.Contains(reasons, r => r.Contains("without evidence", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_non_state_perpetrator_When_qualified_Then_the_reason_names_the_CFMR_only()
    {
        var (qualifies, reasons) = CrisisDecider.Qualify(AllMet(), PerpetratorKind.NonState);
        Assert.True(qualifies);
        Assert.Contains(reasons, r => r.Contains("CFMR Art. 1(4)(b)", StringComparison.Ordinal));
    }

    [Fact]
    public void Given_a_crisis_When_a_Polish_emergency_of_30_days_is_declared_Then_it_expires_at_the_end_of_1_October_Warsaw_time()
    {
        var e = PolishEmergency();
        Assert.Equal(new DateOnly(2021, 10, 1), e.EndDate);
        Assert.Equal(new DateOnly(2021, 11, 30), e.LegalMaxEnd);
        Assert.Equal(new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero), e.ExpiresAt);
        Assert.Equal("PL-CONST-230", e.Decision.LegalBasis);
        Assert.Equal(Poland, e.Decision.Actor);
    }

    [Fact]
    public void Given_a_crisis_When_the_requested_end_is_beyond_90_days_Then_refused_naming_the_rule()
    {
        var ex = Spec().Given(Declared()).WhenRefused<RuleViolationException>(
            new DeclareEmergency("PL-CONST-230", D(2021, 9, 2), D(2021, 12, 1), At(Sep2021)));
        Assert.Equal("emergency.initial-duration", ex.Rule);
    }

    [Fact]
    public void Given_an_emergency_When_extended_by_60_days_with_Sejm_consent_Then_extended_to_30_November()
    {
        var extended = Assert.IsType<EmergencyExtended>(Assert.Single(Spec().Given(Declared(), PolishEmergency())
            .When(new ExtendEmergency(D(2021, 11, 30), "Sejm resolution of 30 Sep 2021", At(Sep2021.AddDays(28))))));
        Assert.Equal(1, extended.ExtensionNumber);
        Assert.Equal(new DateOnly(2021, 11, 30), extended.NewEndDate);
    }

    [Fact]
    public void Given_an_emergency_When_extended_without_the_consent_the_law_requires_Then_refused()
    {
        var ex = Spec().Given(Declared(), PolishEmergency()).WhenRefused<RuleViolationException>(
            new ExtendEmergency(D(2021, 11, 30), null, At(Sep2021.AddDays(28))));
        Assert.Equal("emergency.extension.consent", ex.Rule);
    }

    [Fact]
    public void Given_an_emergency_When_extended_by_more_than_60_days_Then_refused()
    {
        var ex = Spec().Given(Declared(), PolishEmergency()).WhenRefused<RuleViolationException>(
            new ExtendEmergency(D(2021, 12, 1), "Sejm", At(Sep2021.AddDays(28))));
        Assert.Equal("emergency.extension.length", ex.Rule);
    }

    [Fact]
    public void Given_one_extension_used_When_extended_again_Then_refused_even_though_time_remains_under_the_cap()
    {
        var first = Spec().Given(Declared(), PolishEmergency())
            .When(new ExtendEmergency(D(2021, 11, 30), "Sejm", At(Sep2021.AddDays(28))));
        var ex = Spec().Given([Declared(), PolishEmergency(), .. first]).WhenRefused<RuleViolationException>(
            new ExtendEmergency(D(2021, 12, 20), "Sejm", At(Sep2021.AddDays(60))));
        Assert.Equal("emergency.extension.count", ex.Rule);
    }

    [Fact]
    public void Given_an_emergency_past_its_legal_end_When_extended_Then_refused_as_expired()
    {
        var ex = Spec().Given(Declared(), PolishEmergency()).WhenRefused<RuleViolationException>(
            new ExtendEmergency(D(2021, 11, 30), "Sejm", At(new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero))));
        Assert.Equal("emergency.expired", ex.Rule);
    }

    [Fact]
    public void Given_an_emergency_When_the_deadline_worker_runs_late_Then_expiry_is_stamped_with_the_legal_end()
    {
        var late = new DateTimeOffset(2021, 10, 5, 9, 0, 0, TimeSpan.Zero);
        var expired = Assert.IsType<EmergencyExpired>(Assert.Single(Spec().Given(Declared(), PolishEmergency())
            .When(new ExpireEmergency(At(late)))));
        Assert.Equal(new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero), expired.ExpiredAt);
        Assert.Equal(late, expired.RecordedAt);
    }

    [Fact]
    public void Given_an_emergency_When_the_deadline_worker_runs_before_the_legal_end_Then_nothing_happens() =>
        Assert.Empty(Spec().Given(Declared(), PolishEmergency()).When(new ExpireEmergency(At(Sep2021.AddDays(10)))));

    [Fact]
    public void Given_an_expired_emergency_When_a_new_one_is_declared_on_the_same_basis_Then_refused_as_a_sliding_scale()
    {
        var expired = new EmergencyExpired(CrisisId, "PL", "PL-CONST-230", Sep2021.AddDays(30), Sep2021.AddDays(30), At(Sep2021.AddDays(30)));
        var ex = Spec().Given(Declared(), PolishEmergency(), expired).WhenRefused<RuleViolationException>(
            new DeclareEmergency("PL-CONST-230", D(2021, 10, 2), D(2021, 12, 30), At(Sep2021.AddDays(31))));
        Assert.Equal("emergency.no-redeclaration", ex.Rule);
    }

    [Fact]
    public void Given_a_crisis_that_does_not_qualify_When_a_CFMR_authorisation_is_declared_Then_refused()
    {
        var ex = Spec().Given(Declared(qualifies: false)).WhenRefused<RuleViolationException>(
            new DeclareEmergency("EU-CFMR-CID", D(2026, 7, 15), D(2026, 10, 15), ByCouncil(Sep2021)));
        Assert.Equal("emergency.requires-instrumentalization", ex.Rule);
    }

    [Fact]
    public void Given_a_Polish_crisis_When_a_Greek_act_is_declared_Then_refused_for_jurisdiction()
    {
        var ex = Spec().Given(Declared()).WhenRefused<RuleViolationException>(
            new DeclareEmergency("GR-EMERGENCY-ACT", D(2021, 9, 2), D(2021, 9, 30), At(Sep2021)));
        Assert.Equal("emergency.jurisdiction", ex.Rule);
    }

    [Fact]
    public void Given_a_CFMR_authorisation_When_extended_four_times_Then_the_fourth_is_refused_at_12_months()
    {
        var spec = Spec().Given(Declared());
        var now = new DateTimeOffset(2026, 7, 15, 8, 0, 0, TimeSpan.Zero);
        var events = new List<object> { Declared() };
        events.AddRange(Spec().Given([.. events]).When(new DeclareEmergency("EU-CFMR-CID", D(2026, 7, 15), D(2026, 10, 14), ByCouncil(now))));
        var end = D(2026, 10, 14);
        for (var i = 0; i < 3; i++)
        {
            var next = LegalCalendar.ExtendedLastDay(end, Period.FromMonths(3), Samples.Catalogue.Emergency("EU-CFMR-CID"), HolidayCalendar.National("PL"));
            events.AddRange(Spec().Given([.. events]).When(new ExtendEmergency(next, $"Commission confirmation {i + 1}", ByCouncil(now))));
            end = next;
        }

        var state = events.Aggregate((Crisis?)null, Crisis.Transition)!;
        Assert.Equal(3, state.Emergency!.ExtensionsUsed);
        Assert.True(state.Emergency.EndDate <= state.Emergency.TotalCapEnd);
        var ex = Spec().Given([.. events]).WhenRefused<RuleViolationException>(
            new ExtendEmergency(end.PlusDays(10), "one more", ByCouncil(now)));
        Assert.Equal("emergency.extension.count", ex.Rule);
        Assert.NotNull(spec);
    }

    [Fact]
    public void Given_a_qualifying_crisis_When_its_ministry_records_a_Council_implementing_decision_Then_refused_as_the_Councils_act()
    {
        var ex = Spec().Given(Declared()).WhenRefused<NotPermittedException>(
            new DeclareEmergency("EU-CFMR-CID", D(2026, 7, 15), D(2026, 10, 14), At(new DateTimeOffset(2026, 7, 15, 8, 0, 0, TimeSpan.Zero))));
        Assert.Contains("EU-CFMR-CID is an act of an EU institution", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_a_national_emergency_When_the_Council_lifts_it_Then_refused_as_the_member_states_own_act()
    {
        var ex = Spec().Given(Declared(), PolishEmergency()).WhenRefused<NotPermittedException>(new LiftEmergency(ByCouncil(Sep2021.AddDays(3))));
        Assert.Contains("PL-CONST-230 is a member state's own act", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_ended_crisis_When_anything_is_decided_Then_refused()
    {
        var ended = new CrisisEnded(CrisisId, "PL", false, At(Sep2021));
        Assert.Equal("crisis.ended", Spec().Given(Declared(), ended).WhenRefused<RuleViolationException>(new EscalateCrisis(At(Sep2021))).Rule);
    }

    [Fact]
    public void Given_an_emergency_in_force_When_the_crisis_ends_Then_the_emergency_ends_with_it()
    {
        var ended = Assert.IsType<CrisisEnded>(Assert.Single(Spec().Given(Declared(), PolishEmergency()).When(new EndCrisis(At(Sep2021.AddDays(3))))));
        Assert.True(ended.EmergencyEnded);
        var state = new object[] { Declared(), PolishEmergency(), ended }.Aggregate((Crisis?)null, Crisis.Transition)!;
        Assert.Null(state.NextDeadline);
    }

    [Fact]
    public void Given_monitoring_When_escalated_twice_Then_the_second_is_refused()
    {
        var escalated = Spec().Given(Declared()).When(new EscalateCrisis(At(Sep2021)));
        Assert.Equal(BlueprintStage.CrisisManagement, Assert.IsType<CrisisStageChanged>(Assert.Single(escalated)).To);
        Assert.Equal("crisis.stage", Spec().Given([Declared(), .. escalated]).WhenRefused<RuleViolationException>(new EscalateCrisis(At(Sep2021))).Rule);
    }
}
