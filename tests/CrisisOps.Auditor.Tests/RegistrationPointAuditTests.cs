using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using CrisisOps.Reception.Facilities;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>Safeguard 3 held for as long as a crossing-point closure is in force, judged on reception's registration points.</summary>
public sealed class RegistrationPointAuditTests
{
    private const string Closure = "SBC-ART5-4-CROSSING-POINT-RESTRICTION";

    /// <summary>
    /// Two registration points open in PL; a closure of crossing point "kuznica" is enacted while they are; then both
    /// close, the second on 20 November.
    /// </summary>
    private static Ledger ClosureWhileTwoPointsOpen()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 11, 1));
        Point(ledger, "rp-bialystok", open: true, At(2021, 11, 1, 6));
        Point(ledger, "rp-terespol", open: true, At(2021, 11, 1, 7));
        var open = new[] { "rp-bialystok", "rp-terespol" }.Select(id => new RegistrationPoint(id, "PL", "PL-BY", true, At(2021, 11, 1, 7))).ToList();
        ledger.Measure("closure", Enactment("closure", Closure, "crisis-pl", Day(2021, 11, 9), Day(2021, 12, 8), At(2021, 11, 9, 9),
            new MeasureParameters(null, ["kuznica"], true, true)), ledger.SituationOf("crisis-pl") with { OpenRegistrationPoints = open });
        Point(ledger, "rp-bialystok", open: false, At(2021, 11, 15));
        Point(ledger, "rp-terespol", open: false, At(2021, 11, 20));
        return ledger;
    }

    [Fact]
    public void Given_the_closure_ended_when_the_last_registration_point_closed_When_audited_Then_it_passes()
    {
        var ledger = ClosureWhileTwoPointsOpen();
        ledger.Measure("closure", new EndMeasure(EndReason.SafeguardNoLongerHeld, At(2021, 11, 20),
            new Decision(Actor.CrisisCascade, At(2021, 11, 20), null, "registration point rp-terespol closed", "safeguard/1")));

        Assert.Empty(ledger.Audit(At(2021, 12, 1)).Findings);
    }

    [Fact]
    public void Given_the_closure_stayed_in_force_after_the_last_registration_point_closed_When_audited_Then_safeguard_3_is_named_at_that_moment()
    {
        var report = ClosureWhileTwoPointsOpen().Audit(At(2021, 12, 1));

        var finding = report.Finding("safeguard.3.open-registration-point");
        Assert.Equal(At(2021, 11, 20), finding.At);
        Assert.Equal("PL", finding.Country);
    }

    [Fact]
    public void Given_a_closure_ended_a_day_after_the_last_point_closed_When_audited_Then_the_day_without_a_point_is_named()
    {
        var ledger = ClosureWhileTwoPointsOpen();
        ledger.Measure("closure", new EndMeasure(EndReason.SafeguardNoLongerHeld, At(2021, 11, 21),
            new Decision(Actor.CrisisCascade, At(2021, 11, 21), null, "late", "safeguard/1")));

        Assert.Equal(At(2021, 11, 20), ledger.Audit(At(2021, 12, 1)).Finding("safeguard.3.open-registration-point").At);
    }

    [Fact]
    public void Given_no_reception_store_When_a_closure_is_audited_Then_the_continuous_check_is_said_to_be_missing()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 11, 1));
        var open = new List<RegistrationPoint> { new("rp-bialystok", "PL", "PL-BY", true, At(2021, 11, 1)) };
        ledger.Measure("closure", Enactment("closure", Closure, "crisis-pl", Day(2021, 11, 9), Day(2021, 12, 8), At(2021, 11, 9, 9),
            new MeasureParameters(null, ["kuznica"], true, true)), ledger.SituationOf("crisis-pl") with { OpenRegistrationPoints = open });

        var finding = ledger.Audit(At(2021, 12, 1)).Finding("safeguard.3.unchecked");
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    private static void Point(Ledger ledger, string id, bool open, DateTimeOffset at) =>
        ledger.Plant(ReceptionStore, id, new RegistrationPointStatusChanged(id, "PL", "PL-BY", IsDesignatedCrossingPoint: true, open, at));
}
