using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Declaration.Crises;

// Commands: imperative, each carries its Decision (actor, time, basis, justification).

public abstract record CrisisCommand(Decision Decision);

public sealed record DeclareCrisis(
    string CrisisId,
    string TargetCountry,
    ImmutableArray<string> BorderSections,
    Perpetrator Perpetrator,
    Scenario Scenario,
    QualificationCriteria Criteria,
    BlueprintStage Stage,
    Decision Decision) : CrisisCommand(Decision);

public sealed record DeclareEmergency(string LegalBasisCode, LocalDate StartDate, LocalDate EndDate, Decision Decision)
    : CrisisCommand(Decision);

public sealed record ExtendEmergency(LocalDate NewEndDate, string? ConsentReference, Decision Decision) : CrisisCommand(Decision);

public sealed record LiftEmergency(Decision Decision) : CrisisCommand(Decision);

public sealed record EscalateCrisis(Decision Decision) : CrisisCommand(Decision);

public sealed record DeescalateCrisis(Decision Decision) : CrisisCommand(Decision);

public sealed record EndCrisis(Decision Decision) : CrisisCommand(Decision);

/// <summary>Sent by the deadline worker: <c>Decision.DecidedAt</c> is the time it runs.</summary>
public sealed record ExpireEmergency(Decision Decision) : CrisisCommand(Decision);

/// <summary>Pure crisis decisions: state and command in, events out, or a refusal naming the rule.</summary>
public static class CrisisDecider
{
    public static IReadOnlyList<object> Decide(Crisis? state, CrisisCommand command, LegalCatalogue catalogue)
    {
        if (state is not null && command is not ExpireEmergency) EnsureAuthority(state, command, catalogue);
        return (state, command) switch
        {
            (null, DeclareCrisis c) => [Declare(c)],
            (not null, DeclareCrisis) => throw new RuleViolationException("crisis.unique", "the crisis is already declared"),
            (null, _) => throw new InvalidOperationException("the crisis must exist before this command"),
            ({ Status: CrisisStatus.Ended }, ExpireEmergency) => [],
            ({ Status: CrisisStatus.Ended }, _) => throw new RuleViolationException("crisis.ended", "the crisis has ended; nothing more can be decided on it"),
            (_, DeclareEmergency c) => [DeclareEmergencyOn(state, c, catalogue)],
            (_, ExtendEmergency c) => [Extend(state, c, catalogue)],
            (_, LiftEmergency c) => [new EmergencyLifted(state.Id, state.TargetCountry, c.Decision with { LegalBasis = InForce(state).LegalBasisCode })],
            (_, EscalateCrisis c) => [ChangeStage(state, BlueprintStage.CrisisManagement, c.Decision)],
            (_, DeescalateCrisis c) => [ChangeStage(state, BlueprintStage.MonitoringAndPreparedness, c.Decision)],
            (_, EndCrisis c) => [new CrisisEnded(state.Id, state.TargetCountry, state.Emergency?.Status == EmergencyStatus.InForce, c.Decision)],
            (_, ExpireEmergency c) => Expire(state, c),
            _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
        };
    }

    /// <summary>
    /// Who may take <paramref name="command"/>: an emergency's basis names its deciding level (a CFMR Council implementing
    /// decision is declared, extended and repealed by the Council), every other decision on a crisis is its country's.
    /// </summary>
    private static void EnsureAuthority(Crisis state, CrisisCommand command, LegalCatalogue catalogue)
    {
        var basis = command switch
        {
            DeclareEmergency c => catalogue.Emergency(c.LegalBasisCode),
            ExtendEmergency or LiftEmergency when state.Emergency is { Status: EmergencyStatus.InForce } e => catalogue.Emergency(e.LegalBasisCode),
            _ => null,
        };
        DecidingAuthority.Ensure(command.Decision.Actor, basis?.DecidedBy ?? DecidingLevel.MemberState, state.TargetCountry,
            basis?.Code ?? "a decision on a crisis");
    }

    /// <summary>Whether the four criteria, with evidence, make the situation instrumentalization; and why.</summary>
    public static (bool Qualifies, ImmutableArray<string> Reasons) Qualify(QualificationCriteria c, PerpetratorKind kind)
    {
        var reasons = ImmutableArray.CreateBuilder<string>();
        void Check(Criterion criterion, string name)
        {
            if (!criterion.Met) reasons.Add($"{name}: not met");
            else if (string.IsNullOrWhiteSpace(criterion.Evidence)) reasons.Add($"{name}: claimed without evidence, so not established");
            else reasons.Add($"{name}: met");
        }

        Check(c.HostileActor, "hostile actor");
        Check(c.EncouragesOrFacilitatesMovement, "encourages or facilitates movement to the external border");
        Check(c.AimToDestabilise, "aim of destabilising the Union or a Member State");
        Check(c.RisksEssentialStateFunctions, "liable to put essential State functions at risk");
        var qualifies = reasons.All(r => r.EndsWith(": met", StringComparison.Ordinal));
        if (qualifies && kind == PerpetratorKind.NonState)
            reasons.Add("perpetrator is a hostile non-state actor: qualifies under CFMR Art. 1(4)(b); SBC Art. 2(27) names third countries only");
        return (qualifies, reasons.ToImmutable());
    }

    private static CrisisDeclared Declare(DeclareCrisis c)
    {
        var (qualifies, reasons) = Qualify(c.Criteria, c.Perpetrator.Kind);
        return new CrisisDeclared(c.CrisisId, c.TargetCountry, c.BorderSections, c.Perpetrator, c.Scenario, c.Criteria,
            qualifies, reasons, c.Stage, c.Decision);
    }

    private static EmergencyDeclared DeclareEmergencyOn(Crisis state, DeclareEmergency c, LegalCatalogue catalogue)
    {
        if (state.Emergency is { Status: EmergencyStatus.InForce })
            throw new RuleViolationException("emergency.single", "an emergency is already in force on this crisis; extend it instead");
        var basis = catalogue.Emergency(c.LegalBasisCode);
        if (!basis.AppliesTo(state.TargetCountry))
            throw new RuleViolationException("emergency.jurisdiction", $"{basis.Code} is {basis.Jurisdiction} law and does not apply in {state.TargetCountry}");
        if (state.LegalBasesUsed.Contains(basis.Code))
            throw new RuleViolationException("emergency.no-redeclaration",
                $"an emergency under {basis.Code} already ran on this crisis; a new declaration would reset its legal limits (exceptionality must not become a sliding scale)");
        if (basis.RequiresQualifiedInstrumentalization && !state.QualifiesAsInstrumentalization)
            throw new RuleViolationException("emergency.requires-instrumentalization",
                $"{basis.Code} is lawful only for a crisis that qualifies as instrumentalization; this one does not");

        LegalLimits.NotInThePast(basis, c.StartDate, Instant.FromDateTimeOffset(c.Decision.DecidedAt));
        var term = LegalLimits.Initial(basis, state.TargetCountry, c.StartDate, c.EndDate, "emergency");
        return new EmergencyDeclared(state.Id, state.TargetCountry, basis.Code, catalogue.Version, term.Start.ToDateOnly(),
            term.End.ToDateOnly(), term.LegalMaxEnd.ToDateOnly(), term.TotalCapEnd?.ToDateOnly(), basis.Extension.MaxExtensions,
            term.EndsAt.ToDateTimeOffset(), c.Decision with { LegalBasis = basis.Code });
    }

    private static EmergencyExtended Extend(Crisis state, ExtendEmergency c, LegalCatalogue catalogue)
    {
        var emergency = InForce(state);
        var basis = catalogue.Emergency(emergency.LegalBasisCode);
        var current = new LegalTerm(LocalDate.FromDateOnly(emergency.StartDate), LocalDate.FromDateOnly(emergency.EndDate),
            LocalDate.FromDateOnly(emergency.EndDate), emergency.TotalCapEnd is { } cap ? LocalDate.FromDateOnly(cap) : null, Instant.FromDateTimeOffset(emergency.ExpiresAt));
        var term = LegalLimits.Extend(basis, state.TargetCountry, current, emergency.ExtensionsUsed, c.NewEndDate, c.ConsentReference,
            Instant.FromDateTimeOffset(c.Decision.DecidedAt), "emergency");
        return new EmergencyExtended(state.Id, state.TargetCountry, emergency.ExtensionsUsed + 1, emergency.EndDate, term.End.ToDateOnly(),
            term.LegalMaxEnd.ToDateOnly(), term.EndsAt.ToDateTimeOffset(), c.ConsentReference, catalogue.Version,
            c.Decision with { LegalBasis = basis.Code });
    }

    private static IReadOnlyList<object> Expire(Crisis state, ExpireEmergency c) =>
        state.Emergency is { Status: EmergencyStatus.InForce } e && c.Decision.DecidedAt >= e.ExpiresAt
            ? [new EmergencyExpired(state.Id, state.TargetCountry, e.LegalBasisCode, e.ExpiresAt, c.Decision.DecidedAt, c.Decision with { LegalBasis = e.LegalBasisCode })]
            : [];

    private static CrisisStageChanged ChangeStage(Crisis state, BlueprintStage to, Decision decision) =>
        state.Stage == to
            ? throw new RuleViolationException("crisis.stage", $"the crisis is already at stage {to}")
            : new CrisisStageChanged(state.Id, state.TargetCountry, state.Stage, to, decision);

    private static Emergency InForce(Crisis state) =>
        state.Emergency is { Status: EmergencyStatus.InForce } e
            ? e
            : throw new RuleViolationException("emergency.not-in-force", "no emergency is in force on this crisis");
}
