using CrisisOps.Auditor.Core.Catalogues;
using CrisisOps.Auditor.Core.Replay;

namespace CrisisOps.Auditor.Core.Checks;

/// <summary>
/// The non-derogable safeguards (domain reference §5), re-checked on every measure as it was enacted or amended. The
/// measures service refuses a breach before it is recorded; the audit proves that nothing recorded crossed one anyway
/// (a service bug, or a row written around it). Rule 3 (an open registration point) depends on reception's facts,
/// which the measures store does not keep, so it is proven by the service's refusals only.
/// </summary>
public static class SafeguardRules
{
    /// <summary>The safeguards a measure in force with <paramref name="parameters"/> crosses.</summary>
    public static IReadOnlyList<Breach> Check(MeasureTypeRules type, StoredParameters? parameters, DateOnly? reviewDueAt, bool onEnactment)
    {
        var breaches = new List<Breach>();
        var p = parameters ?? new StoredParameters(null, [], false, false);
        switch (type.Category)
        {
            case "SuspensionOfAsylumApplications":
                breaches.Add(new("safeguard.1.access-to-asylum",
                    $"{type.Code} suspends access to the asylum procedure, which no emergency allows (CJEU C-72/22 PPU; Charter Art. 18)"));
                break;
            case "RegistrationDelay" when p.RegistrationDelayWeeks is not (>= 1 and <= 4):
                breaches.Add(new("safeguard.2.registration-delay",
                    $"registration may be delayed by 1 to 4 weeks (CFMR Art. 10(1)); {p.RegistrationDelayWeeks?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no delay"} was recorded"));
                break;
            case "AsylumBorderProcedureExtension" or "BorderDetention" when !p.ExcludesApr53Groups:
                breaches.Add(new("safeguard.4.apr-53-exclusions",
                    "a border procedure or detention measure must exclude the APR Art. 53 groups (unaccompanied minors, special needs, health)"));
                break;
            case "CollectiveReturn":
                breaches.Add(new("safeguard.5.no-collective-expulsion",
                    $"{type.Code} orders returns for a group without individual assessment: collective expulsion (Charter Art. 19(1))"));
                break;
            case "ReturnBorderProcedureExtension" when !p.IndividualAssessment:
                breaches.Add(new("safeguard.5.no-collective-expulsion", "a return border procedure needs an individual assessment of every return"));
                break;
        }

        if (onEnactment && type.UntilRepealed && reviewDueAt is null)
            breaches.Add(new("safeguard.6.review-date", $"{type.Code} has no end in law and was enacted without a review date"));
        return breaches;
    }
}
