using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using NodaTime;

namespace CrisisOps.Measures.Measures;

public abstract record MeasureCommand(Decision Decision);

public sealed record EnactMeasure(
    string MeasureId,
    string TypeCode,
    string Country,
    ImmutableArray<string> Territory,
    LocalDate StartDate,
    LocalDate? EndDate,
    DateOnly? ReviewDueAt,
    string LegalActReference,
    MeasureParameters Parameters,
    string? CrisisId,
    Decision Decision) : MeasureCommand(Decision);

public sealed record ExtendMeasure(LocalDate NewEndDate, string? ConsentReference, Decision Decision) : MeasureCommand(Decision);

public sealed record AmendMeasure(ImmutableArray<string> Territory, MeasureParameters Parameters, Decision Decision) : MeasureCommand(Decision);

public sealed record RevokeMeasure(Decision Decision) : MeasureCommand(Decision);

public sealed record EndorseMeasure(string ConfirmationReference, Decision Decision) : MeasureCommand(Decision);

public sealed record AnnulMeasure(string ConfirmationReference, Decision Decision) : MeasureCommand(Decision);

/// <summary>Sent by the deadline worker at the legal end.</summary>
public sealed record ExpireMeasure(Decision Decision) : MeasureCommand(Decision);

/// <summary>Sent when the crisis, or the emergency the measure was taken under, ended (<c>EndedAt</c> is that moment).</summary>
public sealed record EndMeasure(EndReason Reason, DateTimeOffset EndedAt, Decision Decision) : MeasureCommand(Decision);

/// <summary>Pure measure decisions: state, command, catalogue and the legal situation in; events or a refusal out.</summary>
public static class MeasureDecider
{
    public static IReadOnlyList<object> Decide(Measure? state, MeasureCommand command, LegalCatalogue catalogue, LegalSituation situation) =>
        (state, command) switch
        {
            (null, EnactMeasure c) => [Enact(c, catalogue, situation)],
            (not null, EnactMeasure) => throw new RuleViolationException("measure.unique", "the measure is already enacted"),
            (null, _) => throw new InvalidOperationException("the measure must exist before this command"),
            ({ Status: not MeasureStatus.InForce }, ExpireMeasure or EndMeasure) => [],
            ({ Status: not MeasureStatus.InForce }, _) =>
                throw new RuleViolationException("measure.not-in-force", $"the measure is {state.Status}; nothing more can be decided on it"),
            (_, ExtendMeasure c) => [Extend(state, c, catalogue)],
            (_, AmendMeasure c) => [Amend(state, c, catalogue, situation)],
            (_, RevokeMeasure c) => [new MeasureRevoked(state.Id, state.Country, WithBasis(c.Decision, state, catalogue))],
            (_, EndorseMeasure c) => [new MeasureEndorsed(state.Id, state.Country, Confirm(state, c.ConfirmationReference), WithBasis(c.Decision, state, catalogue))],
            (_, AnnulMeasure c) => [new MeasureAnnulled(state.Id, state.Country, Confirm(state, c.ConfirmationReference), WithBasis(c.Decision, state, catalogue))],
            (_, ExpireMeasure c) => Expire(state, c, catalogue),
            (_, EndMeasure c) => [new MeasureEnded(state.Id, state.Country, c.Reason, state.CrisisId ?? "", c.EndedAt, WithBasis(c.Decision, state, catalogue))],
            _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
        };

    private static MeasureEnacted Enact(EnactMeasure c, LegalCatalogue catalogue, LegalSituation situation)
    {
        var type = catalogue.Measure(c.TypeCode);
        // What the measure does is judged first, in every jurisdiction: a safeguard holds whoever asks.
        RequireParameters(type, c.Parameters);
        Refuse(Safeguards.ByEffect(type, c.Parameters));
        var basis = type.LegalBasis;
        if (!basis.AppliesTo(c.Country))
            throw new RuleViolationException("measure.jurisdiction", $"{type.Code} is {basis.Jurisdiction} law and does not apply in {c.Country}");
        LegalLimits.NotInThePast(basis, c.StartDate, Instant.FromDateTimeOffset(c.Decision.DecidedAt));

        var authorised = Authorised(type, situation, c.StartDate);
        var provisional = type.ProvisionalWithoutAuthorisation is { } window && c.EndDate is { } requested
            && requested <= LegalCalendar.LastDay(c.StartDate, window, basis, basis.HolidaysIn(c.Country)) && !authorised;
        Refuse(Safeguards.OnFacts(type, c.Parameters, Facts(situation, c.Country, authorised, provisional), c.Country));
        Refuse(Safeguards.ReviewDate(type, c.ReviewDueAt));
        RequireCrisis(type, c, situation, provisional, authorised);

        LegalTerm? term = null;
        if (!type.UntilRepealed)
        {
            var end = c.EndDate ?? throw new InvalidFieldException("end_date", $"is required: {type.Code} has a legal maximum duration");
            term = LegalLimits.Initial(basis, c.Country, c.StartDate, end, "measure");
        }

        return new MeasureEnacted(c.MeasureId, c.Country, type.Code, catalogue.Version, type.Category, type.Classification, c.CrisisId,
            type.DependsOnEmergency, c.Territory, c.Parameters, basis.Citation, c.LegalActReference, basis.DecidingAuthority,
            c.StartDate.ToDateOnly(), term?.End.ToDateOnly(), term?.LegalMaxEnd.ToDateOnly(), term?.TotalCapEnd?.ToDateOnly(),
            type.UntilRepealed ? 0 : basis.Extension.MaxExtensions,
            basis.Zone.AtStartOfDay(c.StartDate).ToInstant().ToDateTimeOffset(), term?.EndsAt.ToDateTimeOffset(), c.ReviewDueAt,
            type.ParliamentaryConfirmation, provisional, c.Decision with { LegalBasis = basis.Citation });
    }

    /// <summary>
    /// Whether the emergency the type depends on is in force on the crisis from the measure's first day: declared, not
    /// ended, and already started then (an emergency declared to start next week does not back a measure today).
    /// </summary>
    private static bool Authorised(MeasureType type, LegalSituation situation, LocalDate start) =>
        type.DependsOnEmergency is { } emergency && situation.Crisis is { EmergencyInForce: true, Ended: false } crisis
        && crisis.EmergencyLegalBasis == emergency && crisis.EmergencyStartDate is { } from && LocalDate.FromDateOnly(from) <= start;

    private static SafeguardFacts Facts(LegalSituation situation, string country, bool authorised, bool provisional) =>
        new(authorised, provisional, [.. situation.OpenRegistrationPoints.Where(r => r.Country == country).Select(r => r.Id)]);

    /// <summary>What a measure must say about itself for its safeguards to be judged.</summary>
    private static void RequireParameters(MeasureType type, MeasureParameters p)
    {
        if (type.Category == MeasureCategory.RegistrationDelay && p.RegistrationDelayWeeks is not >= 1)
            throw new InvalidFieldException("parameters.registration_delay_weeks", "is required for a registration delay (1 to 4)");
        if (type.Category == MeasureCategory.CrossingPointRestriction && p.CrossingPoints.IsDefaultOrEmpty)
            throw new InvalidFieldException("parameters.crossing_points", "name the crossing points closed or limited");
    }

    private static void Refuse(IReadOnlyList<Breach> breaches)
    {
        if (breaches is [var first, ..]) throw first.ToRefusal();
    }

    /// <summary>Lawfulness that depends on the crisis: qualification, the emergency it is taken under, and that it has not ended.</summary>
    private static void RequireCrisis(MeasureType type, EnactMeasure c, LegalSituation situation, bool provisional, bool authorised)
    {
        if (!type.NeedsCrisis && c.CrisisId is null) return;
        if (c.CrisisId is null)
            throw new InvalidFieldException("crisis_id", $"is required: {type.Code} answers a declared crisis");
        var crisis = situation.Crisis
            ?? throw new RuleViolationException("measure.crisis-unknown", $"crisis {c.CrisisId} has not been declared (or its declaration has not reached this service yet: pass crisis_version)");
        if (crisis.Country != c.Country)
            throw new RuleViolationException("measure.crisis-country", $"crisis {crisis.Id} is declared for {crisis.Country}, not {c.Country}");
        if (crisis.Ended)
            throw new RuleViolationException("measure.crisis-ended", $"crisis {crisis.Id} has ended");
        if (type.NeedsQualifiedCrisis && !crisis.Qualifies)
            throw new RuleViolationException("measure.requires-instrumentalization",
                $"{type.Code} is specific for instrumentalized migration: lawful only while a crisis that qualifies is declared; {crisis.Id} does not qualify");
        if (type.DependsOnEmergency is { } emergency && !provisional && !authorised)
            throw new RuleViolationException("measure.requires-emergency",
                $"{type.Code} may be taken only under an emergency {emergency} in force on crisis {crisis.Id} from the measure's first day {Dates.Format(c.StartDate)}");
    }

    private static MeasureExtended Extend(Measure state, ExtendMeasure c, LegalCatalogue catalogue)
    {
        var type = catalogue.Measure(state.TypeCode);
        var term = state.Term ?? throw new RuleViolationException("measure.until-repealed", $"{type.Code} has no end in law and is not extended; review it instead");
        if (state.Provisional)
            throw new RuleViolationException("measure.provisional", "a provisional measure cannot be extended: enact it again once authorised");
        var extended = LegalLimits.Extend(type.LegalBasis, state.Country, term, state.ExtensionsUsed, c.NewEndDate, c.ConsentReference,
            Instant.FromDateTimeOffset(c.Decision.DecidedAt), "measure");
        return new MeasureExtended(state.Id, state.Country, state.ExtensionsUsed + 1, term.End.ToDateOnly(), extended.End.ToDateOnly(),
            extended.LegalMaxEnd.ToDateOnly(), extended.EndsAt.ToDateTimeOffset(), c.ConsentReference, catalogue.Version,
            WithBasis(c.Decision, state, catalogue));
    }

    private static MeasureAmended Amend(Measure state, AmendMeasure c, LegalCatalogue catalogue, LegalSituation situation)
    {
        var type = catalogue.Measure(state.TypeCode);
        RequireParameters(type, c.Parameters);
        Refuse(Safeguards.ByEffect(type, c.Parameters));
        var authorised = Authorised(type, situation, state.Term?.Start ?? LocalDate.MinIsoValue);
        Refuse(Safeguards.OnFacts(type, c.Parameters, Facts(situation, state.Country, authorised, state.Provisional), state.Country));
        return new MeasureAmended(state.Id, state.Country, c.Territory, c.Parameters, WithBasis(c.Decision, state, catalogue));
    }

    private static IReadOnlyList<object> Expire(Measure state, ExpireMeasure c, LegalCatalogue catalogue) =>
        state.Term is { } t && Instant.FromDateTimeOffset(c.Decision.DecidedAt) >= t.EndsAt
            ? [new MeasureExpired(state.Id, state.Country, t.EndsAt.ToDateTimeOffset(), c.Decision.DecidedAt, WithBasis(c.Decision, state, catalogue))]
            : [];

    private static string Confirm(Measure state, string reference) => state.Confirmation switch
    {
        Confirmation.Pending => reference,
        Confirmation.Endorsed => throw new RuleViolationException("measure.confirmation", "the measure was already endorsed"),
        _ => throw new RuleViolationException("measure.confirmation", $"{state.TypeCode} is not subject to parliamentary confirmation"),
    };

    private static Decision WithBasis(Decision d, Measure state, LegalCatalogue catalogue) =>
        d with { LegalBasis = catalogue.MeasureTypes.FirstOrDefault(t => t.Code == state.TypeCode)?.LegalBasis.Citation ?? state.TypeCode };
}
