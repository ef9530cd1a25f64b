using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>The audit of one crisis, one country or a window; and tampering reported whatever the scope.</summary>
public sealed class ScopeAndIntegrityAuditTests
{
    private static readonly Actor Greece = new("gr-citizen-protection", "GR duty officer", Role.Ministry, "Ministry of Citizen Protection", "GR");

    /// <summary>A lawful Polish crisis in 2021 and a Greek one in 2020 whose emergency was never recorded as expired.</summary>
    private static Ledger TwoCrises()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        ledger.Crisis("crisis-pl", new LiftEmergency(By(Poland, At(2021, 9, 20))));
        ledger.DeclareCrisis("crisis-gr", At(2020, 3, 1, 8), country: "GR");
        ledger.Crisis("crisis-gr", new DeclareEmergency("GR-EMERGENCY-ACT", Day(2020, 3, 1), Day(2020, 3, 31), By(Greece, At(2020, 3, 1, 9))));
        return ledger;
    }

    [Fact]
    public void Audited_whole_the_missing_Greek_expiry_fails_the_audit() =>
        Assert.Equal(["emergency.expiry-not-recorded"], TwoCrises().Audit(At(2022, 1, 1)).Rules());

    [Fact]
    public void Audited_for_the_Polish_crisis_only_it_passes_and_shows_that_crisis_only()
    {
        var report = TwoCrises().Audit(At(2022, 1, 1), crisis: "crisis-pl");

        Assert.True(report.Passed);
        Assert.Equal("crisis-pl", Assert.Single(report.Crises).Id);
    }

    [Fact]
    public void Audited_for_Greece_the_missing_expiry_is_found()
    {
        var report = TwoCrises().Audit(At(2022, 1, 1), country: "GR");

        Assert.Equal(("crisis-gr", "GR"), (Assert.Single(report.Crises).Id, report.Finding("emergency.expiry-not-recorded").Country));
    }

    [Fact]
    public void Audited_over_the_autumn_of_2021_the_Greek_emergency_of_2020_is_not_reported()
    {
        var report = TwoCrises().Audit(At(2022, 1, 1), from: At(2021, 9, 1, 0), to: At(2021, 12, 31, 0));

        Assert.True(report.Passed);
        Assert.Equal("crisis-pl", Assert.Single(report.Crises.SelectMany(c => c.Items)).CrisisId);
    }

    [Fact]
    public void A_stored_event_edited_afterwards_fails_the_audit_whatever_its_scope()
    {
        var ledger = TwoCrises();
        var events = ledger.Store(DeclarationStore).Events;
        var index = events.FindIndex(e => e.StreamKey == "crisis-gr" && e.Version == 2);
        events[index] = events[index] with { Data = events[index].Data.Replace("2020-03-31", "2020-03-30", StringComparison.Ordinal) };

        var report = ledger.Audit(At(2022, 1, 1), crisis: "crisis-pl");

        var altered = report.Finding("integrity.altered");
        Assert.Equal(("declaration", "crisis-gr", 2L), (altered.Store, altered.StreamKey, altered.Version));
        Assert.False(report.Passed);
    }

    [Fact]
    public void A_deleted_expiry_is_found_by_the_log_chain_and_its_absence_by_the_time_limits()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-gr", At(2020, 3, 1, 8), country: "GR");
        ledger.Crisis("crisis-gr", new DeclareEmergency("GR-EMERGENCY-ACT", Day(2020, 3, 1), Day(2020, 3, 31), By(Greece, At(2020, 3, 1, 9))));
        ledger.Crisis("crisis-gr", new ExpireEmergency(By(Actor.LegalDeadline, new DateTimeOffset(2020, 3, 31, 21, 0, 1, TimeSpan.Zero), "legal end")));
        // The store's fourth row: the law adopted, the crisis, its emergency, then the expiry.
        ledger.Store(DeclarationStore).Events.RemoveAt(3);

        var report = ledger.Audit(At(2020, 5, 1));

        Assert.Equal(["emergency.expiry-not-recorded", "integrity.deleted"], report.Rules().Order());
        Assert.Equal(3, report.Finding("integrity.deleted").Version);
    }
}
