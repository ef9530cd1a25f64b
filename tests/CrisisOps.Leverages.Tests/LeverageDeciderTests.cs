using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Leverages.Leverages;
using NodaTime;
using Xunit;

namespace CrisisOps.Leverages.Tests;

public class LeverageDeciderTests
{
    private static readonly LegalCatalogue Catalogue = LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law"));

    private static readonly Actor Lithuania = new("lt-mfa", "LT MFA", Role.Ministry, "Ministry of Foreign Affairs", "LT");
    private static readonly DateTimeOffset Nov2021 = new(2021, 11, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly Target Belavia = new(TargetKind.Carrier, "Belavia", "BY");

    private static readonly Actor Commission = new("com-home", "DG HOME", Role.EuInstitution, "European Commission", "");

    private static Decision At(DateTimeOffset when) => new(Lithuania, when, null, "proportionate answer to the flights surge", Guid.NewGuid().ToString());

    /// <summary>The act of an EU leverage (imposing, reviewing, renewing, lifting it) is the Commission's, not Lithuania's.</summary>
    private static Decision ByCommission(DateTimeOffset when) => At(when) with { Actor = Commission };

    private static IReadOnlyList<object> Decide(IEnumerable<object> given, LeverageCommand command) =>
        LeverageDecider.Decide(given.Aggregate((Leverage?)null, Leverage.Transition), command, Catalogue);

    private static RuleViolationException Refused(IEnumerable<object> given, LeverageCommand command) =>
        Assert.Throws<RuleViolationException>(() => Decide(given, command));

    private static ProposeLeverage Carrier(bool conditional = false, ImmutableArray<string>? evidence = null) => new("lev-1",
        "EU-CARRIER-MEASURES", "LT", Belavia, "crisis-1", conditional,
        evidence ?? ["declaration:watch:LT:LT-BY potential 'flights Baghdad-Minsk' critical"], ["PL", "LV", "EU"], At(Nov2021));

    private static List<object> ProposedAndImposed(bool conditional = false)
    {
        var events = Decide([], Carrier(conditional)).ToList();
        events.AddRange(Decide(events, new ImposeLeverage(new LocalDate(2021, 11, 15), null, null, "Commission implementing act (demo)", ByCommission(Nov2021))));
        return events;
    }

    [Fact]
    public void A_carrier_measure_without_evidence_is_refused_for_proportionality() =>
        Assert.Equal("leverage.evidence-required", Refused([], Carrier(evidence: [])).Rule);

    [Fact]
    public void A_leverage_against_a_target_its_legal_basis_does_not_cover_is_refused() =>
        Assert.Equal("leverage.target", Refused([], Carrier() with { Target = new Target(TargetKind.NamedOfficial, "an official", "BY") }).Rule);

    [Fact]
    public void Allies_join_or_decline_and_the_leverage_keeps_each_position()
    {
        var events = Decide([], Carrier()).ToList();
        events.AddRange(Decide(events, new RecordAllyPosition("PL", AllyPosition.Joined, "note verbale", At(Nov2021))));
        events.AddRange(Decide(events, new RecordAllyPosition("LV", AllyPosition.Declined, "note verbale", At(Nov2021))));
        var state = events.Aggregate((Leverage?)null, Leverage.Transition)!;
        Assert.Equal(AllyPosition.Joined, state.Allies["PL"]);
        Assert.Equal(AllyPosition.Declined, state.Allies["LV"]);
        Assert.Equal(AllyPosition.Pending, state.Allies["EU"]);
    }

    [Fact]
    public void Imposed_for_its_default_duration_with_a_review_cycle()
    {
        var imposed = Assert.IsType<LeverageImposed>(ProposedAndImposed()[^1]);
        Assert.Equal(new DateOnly(2022, 11, 14), imposed.EndDate);
        Assert.Equal(new DateOnly(2022, 2, 15), imposed.ReviewDueAt);
    }

    [Fact]
    public void A_review_that_falls_due_raises_one_alert_and_a_review_clears_it()
    {
        var events = ProposedAndImposed();
        var due = new DateTimeOffset(2022, 2, 15, 0, 0, 0, TimeSpan.Zero);
        var alert = Assert.IsType<LeverageReviewFellDue>(Assert.Single(Decide(events, new RaiseReviewDue(At(due)))));
        events.Add(alert);
        Assert.Empty(Decide(events, new RaiseReviewDue(At(due.AddHours(1)))));
        var reviewed = Assert.IsType<LeverageReviewed>(Assert.Single(Decide(events, new ReviewLeverage(null, ByCommission(due.AddDays(2))))));
        Assert.Equal(new DateOnly(2022, 5, 17), reviewed.NextReviewDueAt);
    }

    [Fact]
    public void An_unrenewed_leverage_lapses_at_its_legal_end_stamped_with_it()
    {
        var events = ProposedAndImposed();
        var late = new DateTimeOffset(2022, 11, 20, 0, 0, 0, TimeSpan.Zero);
        var lapsed = Assert.IsType<LeverageLapsed>(Assert.Single(Decide(events, new LapseLeverage(At(late)))));
        Assert.Equal(((LeverageImposed)events[^1]).ExpiresAt, lapsed.LapsedAt);
    }

    [Fact]
    public void Renewal_is_limited_to_the_rules_of_its_legal_basis()
    {
        var events = ProposedAndImposed();
        var renewed = Decide(events, new RenewLeverage(new LocalDate(2023, 11, 14), null, ByCommission(Nov2021.AddMonths(11))));
        Assert.IsType<LeverageRenewed>(Assert.Single(renewed));
        Assert.Equal("leverage.extension.count", Refused([.. events, .. renewed], new RenewLeverage(new LocalDate(2024, 1, 15), null, ByCommission(Nov2021.AddMonths(20)))).Rule);
    }

    [Fact]
    public void On_de_escalation_a_conditional_leverage_is_lifted_and_another_is_flagged_for_review()
    {
        var deescalated = new CrisisDeescalated("crisis-1", false, "de-escalated", At(Nov2021.AddMonths(3)));
        Assert.Equal(LiftReason.CrisisDeescalated, Assert.IsType<LeverageLifted>(Assert.Single(Decide(ProposedAndImposed(conditional: true), deescalated))).Reason);
        Assert.IsType<LeverageFlaggedForReview>(Assert.Single(Decide(ProposedAndImposed(), deescalated)));
        Assert.Empty(Decide(ProposedAndImposed(), deescalated with { CrisisId = "another" }));
    }

    [Fact]
    public void A_lifted_leverage_cannot_be_resumed_or_renewed()
    {
        var events = ProposedAndImposed();
        events.AddRange(Decide(events, new LiftLeverage(LiftReason.Decision, ByCommission(Nov2021.AddMonths(1)))));
        Assert.Equal("leverage.ended", Refused(events, new ResumeLeverage(ByCommission(Nov2021.AddMonths(2)))).Rule);
    }

    [Fact]
    public void A_partnership_agreement_without_end_in_law_needs_a_review_date_from_its_cycle()
    {
        var proposed = Decide([], new ProposeLeverage("lev-2", "EU-PARTNERSHIP-AGREEMENT", "LT", new Target(TargetKind.TransitState, "Iraq", "IQ"),
            null, false, [], [], At(Nov2021)));
        var imposed = Assert.IsType<LeverageImposed>(Assert.Single(Decide(proposed, new ImposeLeverage(new LocalDate(2021, 12, 1), null, null, "agreement", ByCommission(Nov2021)))));
        Assert.Null(imposed.EndDate);
        Assert.Equal(new DateOnly(2022, 12, 1), imposed.ReviewDueAt);
    }

    [Fact]
    public void The_state_a_leverage_keeps_reads_back_whole_and_its_view_shows_what_was_decided()
    {
        var events = ProposedAndImposed();
        events.AddRange(Decide(events, new EscalateLeverage([new Target(TargetKind.Carrier, "Cham Wings", "SY")], ByCommission(Nov2021.AddDays(3)))));
        var folded = events.Aggregate((Leverage?)null, Leverage.Transition)!;

        var json = CrisisOps.ServiceDefaults.EventStore.KeptState.Write(folded);
        var read = CrisisOps.ServiceDefaults.EventStore.KeptState.Read<Leverage>(json)!;

        Assert.Equal(json, CrisisOps.ServiceDefaults.EventStore.KeptState.Write(read));
        var view = LeverageView.From(read, events.Count);
        var imposed = events.OfType<LeverageImposed>().Single();
        Assert.Equal(["Belavia", "Cham Wings"], view.Targets.Select(t => t.Name));
        Assert.Equal((LeverageStatus.Imposed, imposed.StartDate, imposed.EndDate, imposed.ExpiresAt, imposed.ReviewDueAt, imposed.LegalActReference),
            (view.Status, view.StartDate!.Value, view.EndDate, view.ExpiresAt, view.ReviewDueAt, view.LegalActReference));
        var lift = new LiftLeverage(LiftReason.Decision, ByCommission(Nov2021.AddDays(9)));
        Assert.Equal(CrisisOps.ServiceDefaults.EventStore.KeptState.Write(LeverageDecider.Decide(folded, lift, Catalogue)),
            CrisisOps.ServiceDefaults.EventStore.KeptState.Write(LeverageDecider.Decide(read, lift, Catalogue)));
    }

    [Fact]
    public void The_act_of_an_EU_leverage_is_the_EU_institutions_not_the_ministry_that_proposed_it()
    {
        var proposed = Decide([], Carrier()).ToList();
        var byMinistry = Assert.Throws<NotPermittedException>(() =>
            Decide(proposed, new ImposeLeverage(new LocalDate(2021, 11, 15), null, null, "Commission implementing act", At(Nov2021))));
        Assert.Contains("EU-COM-2021-753 is an act of an EU institution", byMinistry.Message, StringComparison.Ordinal);
        var imposed = Decide(proposed, new ImposeLeverage(new LocalDate(2021, 11, 15), null, null, "Commission implementing act", ByCommission(Nov2021)));
        Assert.Equal(Role.EuInstitution, Assert.IsType<LeverageImposed>(Assert.Single(imposed)).Decision.Actor.Role);
        Assert.Throws<NotPermittedException>(() => Decide([.. proposed, .. imposed], new LiftLeverage(LiftReason.Decision, At(Nov2021.AddMonths(1)))));
        Assert.Throws<NotPermittedException>(() => Decide(proposed, new RecordAllyPosition("PL", AllyPosition.Joined, "note verbale", ByCommission(Nov2021))));
    }

    [Fact]
    public void A_national_demarche_is_the_ministrys_own_act_and_no_EU_institution_records_it()
    {
        var proposed = Decide([], new ProposeLeverage("lev-2", "NATIONAL-DIPLOMATIC-DEMARCHE", "LT", new Target(TargetKind.PerpetratorState, "Belarus", "BY"),
            null, false, ["declaration:watch:LT:LT-BY potential 'flights Baghdad-Minsk' critical"], [], At(Nov2021))).ToList();
        Assert.Throws<NotPermittedException>(() =>
            Decide(proposed, new ImposeLeverage(new LocalDate(2021, 11, 15), null, null, "note verbale", ByCommission(Nov2021))));
        Assert.IsType<LeverageImposed>(Assert.Single(Decide(proposed, new ImposeLeverage(new LocalDate(2021, 11, 15), null, null, "note verbale", At(Nov2021)))));
    }

    [Fact]
    public void A_review_taken_at_half_past_midnight_in_Brussels_counts_its_next_cycle_from_the_Brussels_day()
    {
        var events = ProposedAndImposed();
        var lateEvening = new DateTimeOffset(2022, 2, 14, 23, 30, 0, TimeSpan.Zero);
        var reviewed = Assert.IsType<LeverageReviewed>(Assert.Single(Decide(events, new ReviewLeverage(null, ByCommission(lateEvening)))));
        var every = Catalogue.Leverage("EU-CARRIER-MEASURES").ReviewEvery!;
        Assert.Equal(new LocalDate(2022, 2, 15).Plus(every).ToDateOnly(), reviewed.NextReviewDueAt);
    }
}
