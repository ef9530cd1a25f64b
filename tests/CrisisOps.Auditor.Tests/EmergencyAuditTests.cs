using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>Emergencies replayed from the crisis declaration store: every time limit re-decided with the catalogue.</summary>
public sealed class EmergencyAuditTests
{
    private static readonly DateTimeOffset LegalEnd = new(2021, 11, 30, 23, 0, 0, TimeSpan.Zero); // 1 Dec 2021 00:00 in Warsaw

    /// <summary>Poland 2021: 30 days, extended once by 60 days with the Sejm's consent, expired at its legal end.</summary>
    private static Ledger Poland2021(bool expire = true)
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        ledger.Crisis("crisis-pl", new ExtendEmergency(Day(2021, 11, 30), "Sejm resolution of 30 Sep 2021", By(Poland, At(2021, 9, 30, 16))));
        if (expire) ledger.Crisis("crisis-pl", new ExpireEmergency(By(Actor.LegalDeadline, LegalEnd.AddSeconds(5), "legal end reached")));
        return ledger;
    }

    private static EmergencyDeclared LawfulDeclaration()
    {
        var source = new Ledger();
        source.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        return (EmergencyDeclared)source.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1),
            By(Poland, At(2021, 9, 2, 9))))[0];
    }

    [Fact]
    public void Given_an_emergency_extended_once_with_consent_and_expired_at_its_legal_end_When_audited_Then_it_passes_and_the_lag_is_reported()
    {
        var report = Poland2021().Audit(At(2022, 1, 1));

        Assert.Empty(report.Findings);
        Assert.True(report.Passed);
        var emergency = Assert.Single(Assert.Single(report.Crises).Items);
        Assert.Equal((new DateOnly(2021, 11, 30), new DateOnly(2021, 11, 30), "expired"), (emergency.DecidedEnd, emergency.LawfulEnd, emergency.EndedBy));
        var expiry = Assert.Single(report.RecordedEnds);
        Assert.Equal(LegalEnd, expiry.LegalEnd);
        Assert.Equal(5, expiry.LagSeconds);
    }

    [Fact]
    public void Given_a_second_extension_recorded_around_the_service_When_audited_Then_the_count_rule_and_the_overrun_are_named()
    {
        var ledger = Poland2021(expire: false);
        var lawful = ledger.Last<EmergencyExtended>("crisis-pl");
        ledger.Plant(DeclarationStore, "crisis-pl", lawful with
        {
            ExtensionNumber = 2,
            PreviousEndDate = new DateOnly(2021, 11, 30),
            NewEndDate = new DateOnly(2022, 1, 29),
            ExpiresAt = new DateTimeOffset(2022, 1, 29, 23, 0, 0, TimeSpan.Zero),
            Decision = lawful.Decision with { DecidedAt = At(2021, 11, 20) },
        });

        var report = ledger.Audit(At(2021, 12, 15));

        Assert.Equal(["emergency.extension.count", "emergency.in-force-beyond-legal-maximum"], report.Rules().Order());
        var count = report.Finding("emergency.extension.count");
        Assert.Equal(("declaration", "crisis-pl", 4L), (count.Store, count.StreamKey, count.Version));
        Assert.Contains("allows 1 extension(s)", count.Message, StringComparison.Ordinal);
        Assert.Contains("60 day(s) beyond its legal end", report.Finding("emergency.in-force-beyond-legal-maximum").Message, StringComparison.Ordinal);
        Assert.False(report.Passed);
    }

    [Fact]
    public void Given_an_extension_without_the_consent_the_law_requires_When_audited_Then_the_consent_rule_is_named()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        var lawful = (EmergencyExtended)ledger.Crisis("crisis-pl",
            new ExtendEmergency(Day(2021, 11, 30), "Sejm", By(Poland, At(2021, 9, 30, 16))))[0];
        var withoutConsent = new Ledger();
        withoutConsent.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        withoutConsent.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        withoutConsent.Plant(DeclarationStore, "crisis-pl", lawful with { ConsentReference = null });

        var report = withoutConsent.Audit(At(2021, 10, 15));

        Assert.Equal(["emergency.extension.consent", "emergency.in-force-beyond-legal-maximum"], report.Rules().Order());
    }

    [Fact]
    public void Given_an_extension_longer_than_the_law_allows_When_audited_Then_the_length_rule_is_named()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        ledger.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        var extended = (EmergencyExtended)ledger.Crisis("crisis-pl",
            new ExtendEmergency(Day(2021, 11, 30), "Sejm", By(Poland, At(2021, 9, 30, 16))))[0];
        var tooLong = new Ledger();
        tooLong.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        tooLong.Crisis("crisis-pl", new DeclareEmergency("PL-CONST-230", Day(2021, 9, 2), Day(2021, 10, 1), By(Poland, At(2021, 9, 2, 9))));
        tooLong.Plant(DeclarationStore, "crisis-pl", extended with
        {
            NewEndDate = new DateOnly(2021, 12, 20),
            ExpiresAt = new DateTimeOffset(2021, 12, 20, 23, 0, 0, TimeSpan.Zero),
        });

        var report = tooLong.Audit(At(2021, 10, 15));

        Assert.Contains("emergency.extension.length", report.Rules());
    }

    [Fact]
    public void Given_a_declaration_beyond_the_initial_maximum_When_audited_Then_the_initial_duration_rule_is_named()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        var declared = LawfulDeclaration();
        ledger.Plant(DeclarationStore, "crisis-pl", declared with
        {
            EndDate = new DateOnly(2021, 12, 31),
            ExpiresAt = new DateTimeOffset(2021, 12, 31, 23, 0, 0, TimeSpan.Zero),
        });

        var report = ledger.Audit(At(2021, 10, 15));

        Assert.Equal(["emergency.in-force-beyond-legal-maximum", "emergency.initial-duration"], report.Rules().Order());
        Assert.Contains("beyond the legal maximum 2021-11-30", report.Finding("emergency.initial-duration").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Given_an_expiry_recorded_two_days_after_the_legal_end_When_audited_Then_it_is_late_and_its_lag_reported()
    {
        var ledger = Poland2021(expire: false);
        ledger.Crisis("crisis-pl", new ExpireEmergency(By(Actor.LegalDeadline, LegalEnd.AddDays(2), "legal end reached")));

        var report = ledger.Audit(At(2022, 1, 1));

        var late = report.Finding("emergency.expiry-late");
        Assert.Contains("2 day(s) late", late.Message, StringComparison.Ordinal);
        Assert.Equal(2 * 86_400, Assert.Single(report.RecordedEnds).LagSeconds);
        Assert.Single(report.Findings);
    }

    [Fact]
    public void Given_an_emergency_whose_legal_end_passed_without_an_expiry_When_audited_Then_the_missing_expiry_is_named()
    {
        var report = Poland2021(expire: false).Audit(At(2021, 12, 3));

        var missing = report.Finding("emergency.expiry-not-recorded");
        Assert.Equal(LegalEnd, missing.At);
        Assert.Single(report.Findings);
    }

    [Fact]
    public void Given_an_expiry_stamped_at_another_moment_than_the_legal_end_When_audited_Then_it_is_named()
    {
        var ledger = Poland2021(expire: false);
        ledger.Plant(DeclarationStore, "crisis-pl", new EmergencyExpired("crisis-pl", "PL", "PL-CONST-230", LegalEnd.AddDays(1), LegalEnd.AddDays(1).AddSeconds(3),
            By(Actor.LegalDeadline, LegalEnd.AddDays(1).AddSeconds(3), "legal end reached") with { LegalBasis = "PL-CONST-230" }));

        var report = ledger.Audit(At(2022, 1, 1));

        Assert.Equal(["emergency.expiry-not-at-legal-end"], report.Rules());
    }

    [Fact]
    public void Given_a_decision_under_a_law_version_its_store_never_adopted_When_audited_Then_it_is_reported_and_nothing_is_assumed()
    {
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2021, 9, 2, 8));
        var declared = LawfulDeclaration();
        ledger.Plant(DeclarationStore, "crisis-pl", declared with { CatalogueVersion = "2020-01-01.1" });

        var report = ledger.Audit(At(2021, 9, 15));

        var unknown = report.Finding("emergency.catalogue-version-unknown");
        Assert.Contains("'2020-01-01.1'", unknown.Message, StringComparison.Ordinal);
        // No other version stands in for it: the limits are unknown, and said so.
        Assert.Equal(["emergency.basis-unknown", "emergency.catalogue-version-unknown"], report.Rules().Order());
    }

    [Fact]
    public void Given_a_CFMR_authorisation_on_a_crisis_that_does_not_qualify_When_audited_Then_the_instrumentalization_rule_is_named()
    {
        var qualifying = new Ledger();
        qualifying.DeclareCrisis("crisis-pl", At(2026, 7, 2, 8));
        var declared = (EmergencyDeclared)qualifying.Crisis("crisis-pl", new DeclareEmergency("EU-CFMR-CID", Day(2026, 7, 2), Day(2026, 10, 1),
            By(Council, At(2026, 7, 2, 9))))[0];
        var ledger = new Ledger();
        ledger.DeclareCrisis("crisis-pl", At(2026, 7, 2, 8), qualifies: false);
        ledger.Plant(DeclarationStore, "crisis-pl", declared);

        var report = ledger.Audit(At(2026, 8, 1));

        Assert.Equal(["emergency.requires-instrumentalization"], report.Rules());
    }

    [Fact]
    public void Given_a_crisis_ended_while_its_emergency_stayed_in_force_When_audited_Then_the_emergency_outlived_its_crisis()
    {
        var ledger = Poland2021(expire: false);
        ledger.Plant(DeclarationStore, "crisis-pl", new CrisisEnded("crisis-pl", "PL", EmergencyEnded: false, By(Poland, At(2021, 10, 20))));

        var report = ledger.Audit(At(2021, 11, 1));

        Assert.Equal(["emergency.outlived-crisis"], report.Rules());
    }

    [Fact]
    public void Given_a_crisis_ended_with_its_emergency_When_audited_Then_the_emergency_ends_with_it()
    {
        var ledger = Poland2021(expire: false);
        ledger.Crisis("crisis-pl", new EndCrisis(By(Poland, At(2021, 10, 20))));

        var report = ledger.Audit(At(2022, 1, 1));

        Assert.Empty(report.Findings);
        Assert.Equal("ended with its crisis", Assert.Single(Assert.Single(report.Crises).Items).EndedBy);
    }
}
