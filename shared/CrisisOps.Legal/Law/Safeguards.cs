namespace CrisisOps.Legal.Law;

/// <summary>A safeguard (or other rule) a decision crosses: the rule's identifier and what is wrong.</summary>
/// <param name="Rule">The rule, e.g. <c>safeguard.3.open-registration-point</c>.</param>
/// <param name="Message">Why, in the words of the law.</param>
/// <param name="DependsOnFacts">Whether the breach follows from facts another service decided (a crisis's authorisation, reception's registration points).</param>
public sealed record Breach(string Rule, string Message, bool DependsOnFacts = false)
{
    /// <summary>The refusal a service answers with.</summary>
    public RuleViolationException ToRefusal() => new(Rule, Message);
}

/// <summary>The facts the fact-dependent safeguards are judged on.</summary>
/// <param name="AuthorisationInForce">The authorisation the measure type depends on (a CID) is in force on its crisis.</param>
/// <param name="Provisional">The measure applies provisionally, inside the window allowed before an authorisation (CFMR Art. 10(6)).</param>
/// <param name="OpenRegistrationPoints">The registration points of the measure's country where asylum can be lodged, open now.</param>
public sealed record SafeguardFacts(bool AuthorisationInForce, bool Provisional, IReadOnlyCollection<string> OpenRegistrationPoints);

/// <summary>
/// The non-derogable safeguards (domain reference §5, rules 1-6), one rule engine for the measures service, which refuses
/// a breach before it is recorded, and for the audit, which proves nothing recorded crossed one. They are code keyed on
/// what a measure does (its category), in every jurisdiction, so that no catalogue edit can switch them off, and they
/// are checked before anything else about the measure. Those that depend on facts hold for as long as the measure is in
/// force: when a fact changes, <see cref="StillHeld"/> says whether the measure may stay in force.
/// </summary>
public static class Safeguards
{
    /// <summary>The prefix of every safeguard rule.</summary>
    public const string Prefix = "safeguard.";

    /// <summary>Rules 1, 2 (length), 4 and 5: what the measure does, whatever the facts.</summary>
    public static IReadOnlyList<Breach> ByEffect(MeasureType type, MeasureParameters p) => type.Category switch
    {
        MeasureCategory.SuspensionOfAsylumApplications =>
            [new(Prefix + "1.access-to-asylum",
                $"{type.Code} suspends access to the asylum procedure, which no emergency allows, in any jurisdiction (CJEU C-72/22 PPU; Charter Art. 18; UNHCR on Greece 2020)")],
        MeasureCategory.RegistrationDelay when p.RegistrationDelayWeeks is not (>= 1 and <= 4) =>
            [new(Prefix + "2.registration-delay",
                $"registration may be delayed by 1 to 4 weeks (CFMR Art. 10(1)); {p.RegistrationDelayWeeks?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no delay"} recorded")],
        MeasureCategory.AsylumBorderProcedureExtension or MeasureCategory.BorderDetention when !p.ExcludesApr53Groups =>
            [new(Prefix + "4.apr-53-exclusions",
                "border procedures and detention must exclude unaccompanied minors and people whose special needs, health or detention guarantees cannot be met (APR Art. 53)")],
        MeasureCategory.CollectiveReturn =>
            [new(Prefix + "5.no-collective-expulsion",
                $"{type.Code} orders returns for a group without individual assessment: collective expulsion (Charter Art. 19(1), ECHR Protocol 4 Art. 4); non-refoulement is absolute (ECHR Art. 3)")],
        MeasureCategory.ReturnBorderProcedureExtension when !p.IndividualAssessment =>
            [new(Prefix + "5.no-collective-expulsion", "a return border procedure needs an individual assessment of every return (Charter Art. 19; Reg. 2024/1349)")],
        _ => [],
    };

    /// <summary>Rules 2 (authorisation) and 3: what depends on the facts other services decided.</summary>
    public static IReadOnlyList<Breach> OnFacts(MeasureType type, MeasureParameters p, SafeguardFacts facts, string country) => type.Category switch
    {
        MeasureCategory.RegistrationDelay when !facts.Provisional && !facts.AuthorisationInForce =>
            [new(Prefix + "2.registration-delay",
                $"a registration delay needs a Council implementing decision in force ({type.DependsOnEmergency}) on the crisis, or must be provisional (at most {type.ProvisionalWithoutAuthorisation}, CFMR Art. 10(6))",
                DependsOnFacts: true)],
        MeasureCategory.CrossingPointRestriction when !facts.OpenRegistrationPoints.Any(r => !p.CrossingPoints.Contains(r)) =>
            [new(Prefix + "3.open-registration-point",
                $"crossing points may be closed only while at least one registration point where asylum can be lodged stays open in {country} (CFMR Art. 10(5); N.D. and N.T. v Spain)",
                DependsOnFacts: true)],
        _ => [],
    };

    /// <summary>Rule 6: a measure without an end in law needs a review date.</summary>
    public static IReadOnlyList<Breach> ReviewDate(MeasureType type, DateOnly? reviewDueAt) =>
        type.UntilRepealed && reviewDueAt is null
            ? [new(Prefix + "6.review-date", $"{type.Code} has no end in law: it may be in force until repealed only with a review date (review_due_at)")]
            : [];

    /// <summary>
    /// Whether a measure in force may stay in force on changed facts. Rule 3 holds continuously: a crossing-point
    /// closure ends when the last registration point of its country outside the closed points closes. (Rule 2's
    /// authorisation is the emergency the measure depends on: it ends with it, by the emergency cascade.)
    /// </summary>
    public static Breach? StillHeld(MeasureType type, MeasureParameters p, IReadOnlyCollection<string> openRegistrationPoints, string country) =>
        type.Category == MeasureCategory.CrossingPointRestriction
            ? OnFacts(type, p, new SafeguardFacts(true, false, openRegistrationPoints), country) is [var breach, ..] ? breach : null
            : null;

    /// <summary>Whether a refusal is a safeguard breach (kept for auditors).</summary>
    public static bool IsBreach(RuleViolationException ex) => ex.Rule.StartsWith(Prefix, StringComparison.Ordinal);
}
