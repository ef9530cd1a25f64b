using CrisisOps.Legal;
using CrisisOps.Measures.Catalogue;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;

namespace CrisisOps.Measures.Safeguards;

/// <summary>
/// The non-derogable safeguards (domain reference §5, rules 1-7). They are code, keyed on what a measure does, so
/// that no catalogue edit can switch them off. A breach refuses the command with the rule's name; the caller keeps
/// the refused attempt for auditors.
/// </summary>
public static class Safeguards
{
    public const string Prefix = "safeguard.";

    /// <summary>Refuses a measure (as enacted or amended) that would cross a safeguard.</summary>
    public static void Check(MeasureType type, MeasureParameters p, bool provisional, LegalSituation situation, string country)
    {
        switch (type.Category)
        {
            case MeasureCategory.SuspensionOfAsylumApplications:
                throw Breach("1.access-to-asylum",
                    "access to the asylum procedure cannot be suspended, in any emergency (CJEU C-72/22 PPU; Charter Art. 18; UNHCR on Greece 2020)");

            case MeasureCategory.RegistrationDelay:
                if (p.RegistrationDelayWeeks is not { } weeks || weeks < 1)
                    throw new InvalidFieldException("parameters.registration_delay_weeks", "is required for a registration delay (1 to 4)");
                if (weeks > 4)
                    throw Breach("2.registration-delay", $"registration may be delayed by at most 4 weeks (CFMR Art. 10(1)); {weeks} requested");
                if (!provisional && !(situation.Crisis is { EmergencyInForce: true } c && c.EmergencyLegalBasis == type.DependsOnEmergency))
                    throw Breach("2.registration-delay",
                        $"a registration delay needs a Council implementing decision in force ({type.DependsOnEmergency}) on the crisis, or must be provisional (at most {type.ProvisionalWithoutAuthorisation}, CFMR Art. 10(6))");
                break;

            case MeasureCategory.CrossingPointRestriction:
                if (p.CrossingPoints.IsDefaultOrEmpty)
                    throw new InvalidFieldException("parameters.crossing_points", "name the crossing points closed or limited");
                var stillOpen = situation.OpenRegistrationPoints
                    .Where(r => r.Country == country && !p.CrossingPoints.Contains(r.Id)).ToList();
                if (stillOpen.Count == 0)
                    throw Breach("3.open-registration-point",
                        $"crossing points may be closed only while at least one registration point where asylum can be lodged stays open in {country} (CFMR Art. 10(5); N.D. and N.T. v Spain)");
                break;

            case MeasureCategory.AsylumBorderProcedureExtension or MeasureCategory.BorderDetention:
                if (!p.ExcludesApr53Groups)
                    throw Breach("4.apr-53-exclusions",
                        "border procedures and detention must exclude unaccompanied minors and people whose special needs, health or detention guarantees cannot be met (APR Art. 53)");
                break;

            case MeasureCategory.CollectiveReturn:
                throw Breach("5.no-collective-expulsion",
                    "returns ordered for a group without individual assessment are collective expulsion (Charter Art. 19(1), ECHR Protocol 4 Art. 4); non-refoulement is absolute (ECHR Art. 3)");

            case MeasureCategory.ReturnBorderProcedureExtension:
                if (!p.IndividualAssessment)
                    throw Breach("5.no-collective-expulsion",
                        "a return border procedure needs an individual assessment of every return (Charter Art. 19; Reg. 2024/1349)");
                break;
        }
    }

    /// <summary>Rule 6: a measure without an end in law needs a review date.</summary>
    public static void CheckUntilRepealed(MeasureType type, DateOnly? reviewDueAt)
    {
        if (type.UntilRepealed && reviewDueAt is null)
            throw Breach("6.review-date", $"{type.Code} has no end in law: it may be in force until repealed only with a review date (review_due_at)");
    }

    public static bool IsBreach(RuleViolationException ex) => ex.Rule.StartsWith(Prefix, StringComparison.Ordinal);

    private static RuleViolationException Breach(string rule, string reason) => new(Prefix + rule, reason);
}
