using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>Measures replayed from the measures store, checked against their crisis and emergency in the declaration store.</summary>
public sealed class MeasureAuditTests
{
    private static readonly Actor Cascade = new("system:crisis-cascade", "CrisisOps cascade", Role.System, "", "");

    private static (Ledger Ledger, string Measure) StateOfEmergency(bool qualifies = true)
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8), qualifies);
        // The measures service decides with what it heard of the crisis; here it believes the crisis qualifies.
        var heard = new LegalSituation(new CrisisFacts("crisis-pl", "PL", true, false, null, null, false, null, null, 1), []);
        ledger.Measure("measure-1", Enactment("measure-1", "PL-STATE-OF-EMERGENCY", "crisis-pl", Day(2021, 9, 2), Day(2021, 10, 1), At(2021, 9, 2, 10)), heard);
        return (ledger, "measure-1");
    }

    [Fact]
    public void Given_a_measure_enacted_extended_and_expired_lawfully_on_a_qualifying_crisis_When_audited_Then_it_passes()
    {
        var (ledger, id) = StateOfEmergency();
        ledger.Measure(id, new ExtendMeasure(Day(2021, 11, 30), "Sejm resolution", By(Poland, At(2021, 9, 30, 16))));
        ledger.Measure(id, new ExpireMeasure(By(Actor.LegalDeadline, new DateTimeOffset(2021, 11, 30, 23, 0, 30, TimeSpan.Zero), "legal end")));

        var report = ledger.Audit(At(2022, 1, 1));

        Assert.Empty(report.Findings);
        var measure = Assert.Single(Assert.Single(report.Crises).Items);
        Assert.Equal((Core.Reporting.ItemKind.Measure, "PL-STATE-OF-EMERGENCY", "expired"), (measure.Kind, measure.Code, measure.EndedBy));
        Assert.Equal(30, Assert.Single(report.RecordedEnds).LagSeconds);
    }

    [Fact]
    public void Given_a_measure_specific_to_instrumentalization_on_a_crisis_that_does_not_qualify_When_audited_Then_its_backing_fails()
    {
        var (ledger, _) = StateOfEmergency(qualifies: false);

        var report = ledger.Audit(At(2021, 9, 15));

        var finding = report.Finding("measure.requires-instrumentalization");
        Assert.Equal(("measures", "measure-1", "crisis-pl"), (finding.Store, finding.StreamKey, finding.CrisisId));
    }

    [Fact]
    public void Given_a_measure_answering_a_crisis_in_no_audited_store_When_audited_Then_its_backing_cannot_be_proven()
    {
        var ledger = new Ledger();
        var heard = new LegalSituation(new CrisisFacts("crisis-elsewhere", "PL", true, false, null, null, false, null, null, 1), []);
        ledger.Measure("measure-1", Enactment("measure-1", "PL-STATE-OF-EMERGENCY", "crisis-elsewhere", Day(2021, 9, 2), Day(2021, 10, 1),
            At(2021, 9, 2, 10)), heard);

        Assert.Equal(["measure.crisis-unknown"], ledger.Audit(At(2021, 9, 15)).Rules());
    }

    [Fact]
    public void Given_a_measure_that_starts_before_its_crisis_was_declared_When_audited_Then_it_was_not_backed_then()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Measure("measure-1", Enactment("measure-1", "PL-STATE-OF-EMERGENCY", "crisis-pl", Day(2021, 8, 30), Day(2021, 9, 28), At(2021, 8, 30, 10)),
            ledger.SituationOf("crisis-pl"));

        Assert.Equal(["measure.before-crisis"], ledger.Audit(At(2021, 9, 15)).Rules());
    }

    [Fact]
    public void Given_a_crisis_ended_and_the_measure_left_in_force_When_audited_Then_the_measure_outlived_its_crisis()
    {
        var (ledger, _) = StateOfEmergency();
        ledger.Crisis("crisis-pl", new EndCrisis(By(Poland, At(2021, 9, 20))));

        var report = ledger.Audit(At(2021, 9, 25));

        var outlived = report.Finding("measure.outlived-crisis");
        Assert.Equal(At(2021, 9, 20), outlived.At);
        Assert.Single(report.Findings);
    }

    [Fact]
    public void Given_a_crisis_ended_and_its_measure_ended_by_cascade_When_audited_Then_it_passes_and_the_cascade_lag_is_reported()
    {
        var (ledger, id) = StateOfEmergency();
        ledger.Crisis("crisis-pl", new EndCrisis(By(Poland, At(2021, 9, 20))));
        ledger.Measure(id, new EndMeasure(EndReason.CrisisEnded, At(2021, 9, 20), By(Cascade, At(2021, 9, 20).AddSeconds(2), "crisis ended")));

        var report = ledger.Audit(At(2021, 9, 25));

        Assert.Empty(report.Findings);
        var end = Assert.Single(report.RecordedEnds);
        Assert.Equal(("ended with its crisis", 2.0), (end.How, end.LagSeconds));
    }

    [Fact]
    public void Given_a_measure_decided_past_its_emergencys_end_When_audited_before_that_end_Then_it_has_outlived_nothing_yet()
    {
        // Found by ServicesAcceptAuditPassesTests (seed 22Wy-2Mhx001): the cascade ends the measure with its emergency.
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 9, 20), By(Poland, At(2021, 9, 2, 9))));
        ledger.Measure("ban", Enactment("ban", "PL-BORDER-ZONE-ENTRY-BAN", "crisis-pl", Day(2021, 9, 2), Day(2021, 10, 1), At(2021, 9, 2, 10)),
            ledger.SituationOf("crisis-pl"));

        var report = ledger.Audit(At(2021, 9, 10));

        Assert.DoesNotContain("measure.outlived-emergency", report.Rules());
    }

    [Fact]
    public void Given_a_measure_taken_under_an_emergency_that_was_lifted_When_it_stays_in_force_Then_it_outlived_its_emergency()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        ledger.Measure("ban", Enactment("ban", "PL-BORDER-ZONE-ENTRY-BAN", "crisis-pl", Day(2021, 9, 2), Day(2021, 10, 1), At(2021, 9, 2, 10)),
            ledger.SituationOf("crisis-pl"));
        ledger.Crisis("crisis-pl", new LiftEmergency(By(Poland, At(2021, 9, 15))));

        var report = ledger.Audit(At(2021, 9, 20));

        Assert.Equal(["measure.outlived-emergency"], report.Rules());
    }

    [Fact]
    public void Given_a_measure_that_needs_an_emergency_enacted_when_none_was_in_force_When_audited_Then_it_is_named()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        var believed = new LegalSituation(new CrisisFacts("crisis-pl", "PL", true, false, null, "PL-CONST-230", true, null, new DateOnly(2020, 1, 1), 2), []);
        ledger.Measure("ban", Enactment("ban", "PL-BORDER-ZONE-ENTRY-BAN", "crisis-pl", Day(2021, 9, 2), Day(2021, 10, 1), At(2021, 9, 2, 10)), believed);

        Assert.Equal(["measure.requires-emergency"], ledger.Audit(At(2021, 9, 20)).Rules());
    }

    [Fact]
    public void Given_a_measure_recorded_that_crosses_a_safeguard_When_audited_Then_the_safeguard_is_named()
    {
        var (ledger, _) = StateOfEmergency();
        var enacted = ledger.Last<MeasureEnacted>("measure-1");
        ledger.Plant(MeasuresStore, "measure-2", enacted with { MeasureId = "measure-2", TypeCode = "GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", Country = "GR" });

        var report = ledger.Audit(At(2021, 9, 15));

        Assert.Contains(report.Findings, f => f is { Rule: "safeguard.1.access-to-asylum", StreamKey: "measure-2" });
    }

    [Fact]
    public void Given_safeguard_breaches_refused_by_the_service_When_audited_Then_they_are_listed_with_who_tried_and_which_rule()
    {
        var (ledger, _) = StateOfEmergency();
        ledger.Plant(MeasuresStore, "refusals-PL", new SafeguardBreachRefused("PL", "EU-CFMR-ART10-REGISTRATION-DELAY", "safeguard.2.registration-delay",
            "registration may be delayed by at most 4 weeks", "EnactMeasureRequest {…}", By(Poland, At(2021, 9, 3)) with { Justification = "refused: safeguard.2.registration-delay" }));

        var report = ledger.Audit(At(2021, 9, 15));

        Assert.Empty(report.Findings);
        var refused = Assert.Single(report.Refusals);
        Assert.Equal(("pl-interior", "Ministry", "safeguard.2.registration-delay"), (refused.ActorSubject, refused.ActorRole, refused.Rule));
    }

    public static TheoryData<string, int?, bool, bool, string?> Safeguards => new()
    {
        { "GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", null, true, true, "safeguard.1.access-to-asylum" },
        { "EU-CFMR-ART10-REGISTRATION-DELAY", 6, true, true, "safeguard.2.registration-delay" },
        { "EU-CFMR-ART10-REGISTRATION-DELAY", 4, true, true, null },
        { "EU-CFMR-ART11-BORDER-PROCEDURE-EXTENSION", null, false, true, "safeguard.4.apr-53-exclusions" },
        { "GROUP-RETURN-ORDER", null, true, true, "safeguard.5.no-collective-expulsion" },
        { "EU-RBP-ART6-RETURN-BORDER-PROCEDURE", null, true, false, "safeguard.5.no-collective-expulsion" },
        { "EU-EXTERNALISATION-ARRANGEMENT", null, true, true, "safeguard.6.review-date" },
        { "PL-STATE-OF-EMERGENCY", null, false, false, null },
    };

    [Theory]
    [MemberData(nameof(Safeguards))]
    public void Each_safeguard_is_rechecked_on_what_was_recorded(string type, int? delayWeeks, bool excludesApr53, bool individual, string? rule)
    {
        var rules = Law.Measure(type);
        var parameters = new MeasureParameters(delayWeeks, [], excludesApr53, individual);

        var breaches = Legal.Law.Safeguards.ByEffect(rules, parameters).Concat(Legal.Law.Safeguards.ReviewDate(rules, null));

        Assert.Equal(rule is null ? [] : [rule], breaches.Select(b => b.Rule));
    }
}
