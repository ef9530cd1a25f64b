using CrisisOps.Auditor.Core.Checks;
using CrisisOps.Auditor.Core.Replay;
using Xunit;

namespace CrisisOps.Auditor.Tests;

/// <summary>Every decision names an authenticated actor, a legal basis where one is required, and a justification.</summary>
public sealed class DecisionAuditTests
{
    private static readonly StoredActor PolishMinistry = new("pl-interior", "PL duty officer", "Ministry", "PL");

    private static StoredDecision Decision(StoredActor? actor = null, string? basis = "PL-CONST-230", string? justification = "why") =>
        new(actor ?? PolishMinistry, new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.Zero), basis, justification, "r-1");

    private static IEnumerable<string> Rules(string type, StoredDecision decision, string? country = "PL", string? expected = "PL-CONST-230", bool system = false) =>
        DecisionRules.Check(type, decision, country, expected, system).Select(b => b.Rule);

    [Fact]
    public void A_ministry_deciding_for_its_own_country_with_basis_and_justification_passes() =>
        Assert.Empty(Rules("emergency_declared", Decision()));

    [Fact]
    public void A_decision_without_an_actor_fails() =>
        Assert.Equal(["decision.actor"], Rules("emergency_declared", Decision(PolishMinistry with { Subject = "" })));

    [Fact]
    public void A_ministry_deciding_for_another_country_fails() =>
        Assert.Equal(["decision.actor"], Rules("emergency_declared", Decision(PolishMinistry with { Country = "LT" })));

    [Fact]
    public void An_auditor_never_decides() =>
        Assert.Equal(["decision.actor"], Rules("measure_revoked", Decision(new StoredActor("fra", "FRA", "Auditor", "")), expected: null));

    [Fact]
    public void The_system_may_expire_but_not_declare() =>
        Assert.Equal(["decision.actor"],
            Rules("emergency_declared", Decision(new StoredActor("system:legal-deadline", "CrisisOps", "System", ""))));

    [Fact]
    public void The_system_expiring_at_a_legal_end_passes() =>
        Assert.Empty(Rules("emergency_expired", Decision(new StoredActor("system:legal-deadline", "CrisisOps", "System", "")), expected: null));

    [Fact]
    public void The_system_may_lift_a_leverage_when_its_crisis_de_escalated() =>
        Assert.Empty(Rules("leverage_lifted", Decision(new StoredActor("system:crisis-cascade", "CrisisOps", "System", ""), basis: null), expected: null,
            system: true));

    [Fact]
    public void A_decision_without_a_justification_fails() =>
        Assert.Equal(["decision.justification"], Rules("emergency_lifted", Decision(justification: " ")));

    [Fact]
    public void A_decision_that_puts_something_in_force_without_a_legal_basis_fails() =>
        Assert.Equal(["decision.legal-basis"], Rules("measure_enacted", Decision(basis: null), expected: null));

    [Fact]
    public void A_decision_citing_another_basis_than_its_catalogue_fails() =>
        Assert.Equal(["decision.legal-basis"], Rules("emergency_extended", Decision(basis: "LT-STATE-OF-EMERGENCY")));

    [Fact]
    public void A_decision_recorded_by_any_other_service_is_read_generically_and_checked_for_its_actor_and_justification()
    {
        var ledger = new Ledger();
        var partner = new Legal.Actor("iom-logistics", "IOM logistics", Legal.Role.Partner, "IOM", "");
        ledger.Plant(Ledger.MeasuresStore, "facility-1", new PlacesReported("facility-1", 120, Ledger.By(partner, Ledger.At(2021, 9, 2), justification: "")));
        ledger.Plant(Ledger.MeasuresStore, "facility-1", new PlacesReported("facility-1", 80, Ledger.By(partner, Ledger.At(2021, 9, 3))));

        var report = ledger.Audit(Ledger.At(2021, 9, 4));

        var finding = Assert.Single(report.Findings);
        Assert.Equal(("decision.justification", "facility-1", 1L), (finding.Rule, finding.StreamKey, finding.Version));
        // The two reports, and each of the ledger's three stores adopting the law.
        Assert.Equal(2 + 3, report.DecisionsChecked);
    }

    /// <summary>An event of a service the audit knows nothing of, beyond the decision it carries.</summary>
    public sealed record PlacesReported(string FacilityId, int Places, Legal.Decision Decision);

    [Fact]
    public void Decisions_of_other_services_are_checked_for_actor_and_justification_only() =>
        Assert.Empty(Rules("places_reported", Decision(new StoredActor("iom", "IOM", "Partner", ""), basis: null), expected: null));
}
