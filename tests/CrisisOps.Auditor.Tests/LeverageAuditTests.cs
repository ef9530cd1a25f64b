using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Leverages.Leverages;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>Leverages replayed from the leverages store.</summary>
public sealed class LeverageAuditTests
{
    private static readonly Actor ForeignAffairs = new("pl-mfa", "PL foreign affairs", Role.Ministry, "Ministry of Foreign Affairs", "PL");

    /// <summary>A visa-waiver suspension: 12 months, renewable once by up to 24 (36 in all).</summary>
    private static Ledger VisaWaiverSuspension(bool conditional = false)
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 11, 1));
        ledger.Leverage("visa", new ProposeLeverage("visa", "EU-VISA-WAIVER-SUSPENSION", "PL", new Target(TargetKind.PerpetratorState, "Belarus", "BY"),
            "crisis-pl", conditional, ["surge of flights to Minsk"], [], By(ForeignAffairs, At(2021, 11, 2))));
        ledger.Leverage("visa", new ImposeLeverage(Day(2021, 11, 15), null, null, "implementing act", By(Commission, At(2021, 11, 10))));
        return ledger;
    }

    [Fact]
    public void Given_a_leverage_renewed_once_within_its_limits_When_audited_Then_it_passes()
    {
        var ledger = VisaWaiverSuspension();
        ledger.Leverage("visa", new RenewLeverage(Day(2024, 11, 14), "delegated act", By(Commission, At(2022, 11, 1))));

        var report = ledger.Audit(At(2023, 1, 1));

        Assert.Empty(report.Findings);
        Assert.Equal(new DateOnly(2024, 11, 14), Assert.Single(Assert.Single(report.Crises).Items).LawfulEnd);
    }

    [Fact]
    public void Given_a_second_renewal_recorded_around_the_service_When_audited_Then_the_count_rule_is_named()
    {
        var ledger = VisaWaiverSuspension();
        var renewed = (LeverageRenewed)ledger.Leverage("visa", new RenewLeverage(Day(2024, 11, 14), "delegated act", By(Commission, At(2022, 11, 1))))[0];
        ledger.Plant(LeveragesStore, "visa", renewed with
        {
            RenewalNumber = 2,
            NewEndDate = new DateOnly(2025, 11, 14),
            ExpiresAt = new DateTimeOffset(2025, 11, 14, 23, 0, 0, TimeSpan.Zero),
            Decision = renewed.Decision with { DecidedAt = At(2024, 11, 1) },
        });

        var report = ledger.Audit(At(2025, 1, 1));

        Assert.Equal(["leverage.extension.count", "leverage.in-force-beyond-legal-maximum"], report.Rules().Order());
    }

    [Fact]
    public void Given_a_lapse_recorded_three_days_late_When_audited_Then_it_is_late()
    {
        var ledger = VisaWaiverSuspension();
        var legalEnd = new DateTimeOffset(2022, 11, 14, 23, 0, 0, TimeSpan.Zero);
        ledger.Leverage("visa", new LapseLeverage(By(Actor.LegalDeadline, legalEnd.AddDays(3), "legal end")));

        var report = ledger.Audit(At(2023, 1, 1));

        Assert.Equal(["leverage.expiry-late"], report.Rules());
        Assert.Equal(3 * 86_400, Assert.Single(report.RecordedEnds).LagSeconds);
    }

    [Fact]
    public void Given_a_leverage_conditional_on_a_crisis_that_ended_When_it_stays_in_force_Then_it_outlived_its_crisis()
    {
        var ledger = VisaWaiverSuspension(conditional: true);
        ledger.Crisis("crisis-pl", new EndCrisis(By(Poland, At(2022, 3, 1))));

        Assert.Equal(["leverage.outlived-crisis"], ledger.Audit(At(2022, 4, 1)).Rules());
    }

    [Fact]
    public void Given_the_cascade_lifts_a_conditional_leverage_seconds_after_its_crisis_ended_When_audited_Then_it_ended_with_its_crisis()
    {
        var ledger = VisaWaiverSuspension(conditional: true);
        var ended = At(2022, 3, 1);
        ledger.Crisis("crisis-pl", new EndCrisis(By(Poland, ended)));
        // The leverages service hears of the end over the bus: its decision is recorded two seconds later, stamped with the end.
        ledger.Leverage("visa", new CrisisDeescalated("crisis-pl", true, "crisis ended",
            new Decision(Actor.CrisisCascade, ended.AddSeconds(2), null, "crisis crisis-pl ended", "deescalation/1"), ended));

        var report = ledger.Audit(At(2022, 4, 1));

        Assert.Empty(report.Findings);
    }

    [Fact]
    public void Given_an_EU_act_recorded_under_a_ministrys_name_around_the_service_When_audited_Then_the_deciding_authority_is_named()
    {
        var ledger = VisaWaiverSuspension();
        var renewed = (LeverageRenewed)ledger.Leverage("visa", new RenewLeverage(Day(2024, 11, 14), "delegated act", By(Commission, At(2022, 11, 1))))[0];
        var planted = new Ledger();
        planted.DeclareCrisis("crisis-pl", At(2021, 11, 1));
        planted.Leverage("visa", new ProposeLeverage("visa", "EU-VISA-WAIVER-SUSPENSION", "PL", new Target(TargetKind.PerpetratorState, "Belarus", "BY"),
            "crisis-pl", false, ["surge of flights to Minsk"], [], By(ForeignAffairs, At(2021, 11, 2))));
        planted.Leverage("visa", new ImposeLeverage(Day(2021, 11, 15), null, null, "implementing act", By(Commission, At(2021, 11, 10))));
        planted.Plant(LeveragesStore, "visa", renewed with { Decision = renewed.Decision with { Actor = ForeignAffairs } });

        var finding = Assert.Single(planted.Audit(At(2023, 1, 1)).Findings);

        Assert.Equal("decision.deciding-authority", finding.Rule);
        Assert.Contains("EU-REG-2018-1806-ART8 is an act of an EU institution", finding.Message, StringComparison.Ordinal);
    }
}
