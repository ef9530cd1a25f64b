using NodaTime;

namespace CrisisOps.Legal;

/// <summary>The period a decision is in force for, with the limits the law sets on it.</summary>
/// <param name="Start">First day in force.</param>
/// <param name="End">Last day in force, as decided (inclusive).</param>
/// <param name="LegalMaxEnd">The last day the law allowed for the period now running (never beyond <paramref name="TotalCapEnd"/>).</param>
/// <param name="TotalCapEnd">The last day the total cap allows, extensions included; null where the law sets no total cap.</param>
/// <param name="EndsAt">The moment it stops being in force: the start of the day after <paramref name="End"/> in the issuer's zone.</param>
public sealed record LegalTerm(LocalDate Start, LocalDate End, LocalDate LegalMaxEnd, LocalDate? TotalCapEnd, Instant EndsAt);

/// <summary>
/// The time limits of a legal basis applied to a decision: initial duration, extension count, extension length,
/// total cap and consent. Shared by every decider that puts something in force for a time (emergencies, measures,
/// leverages) and by the audit; each names its rules with its own prefix (<c>emergency.extension.count</c>, <c>measure.total-cap</c>...).
/// </summary>
public static class LegalLimits
{
    /// <summary>The term of a first decision, or a refusal when the requested end is beyond what the law allows.</summary>
    public static LegalTerm Initial(LegalBasis basis, string country, LocalDate start, LocalDate requestedEnd, string subject, string endField = "end_date")
    {
        if (requestedEnd < start) throw new InvalidFieldException(endField, "is before the start date");
        var holidays = basis.HolidaysIn(country);
        var totalCapEnd = basis.TotalCap is { } cap ? LegalCalendar.LastDay(start, cap, basis, holidays) : (LocalDate?)null;
        var legalMaxEnd = Min(LegalCalendar.LastDay(start, basis.MaxInitialDuration, basis, holidays), totalCapEnd);
        if (requestedEnd > legalMaxEnd)
            throw new RuleViolationException($"{subject}.initial-duration",
                $"{endField} {Dates.Format(requestedEnd)} is beyond the legal maximum {Dates.Format(legalMaxEnd)} ({basis.Code}: at most {basis.MaxInitialDuration} initially)");
        return new LegalTerm(start, requestedEnd, legalMaxEnd, totalCapEnd, LegalCalendar.EndsAt(requestedEnd, basis.Zone));
    }

    /// <summary>The term after a lawful extension, or a refusal naming the rule that forbids it.</summary>
    public static LegalTerm Extend(LegalBasis basis, string country, LegalTerm current, int extensionsUsed, LocalDate newEnd,
        string? consentReference, Instant now, string subject, string endField = "new_end_date")
    {
        var rule = basis.Extension;
        if (now >= current.EndsAt)
            throw new RuleViolationException($"{subject}.expired", $"the {subject} has reached its legal end; an expired {subject} cannot be extended");
        if (rule.MaxExtensions is { } max && extensionsUsed >= max)
            throw new RuleViolationException($"{subject}.extension.count",
                $"{basis.Code} allows {max} extension(s) and {extensionsUsed} was used, even if time remains under the total cap");
        if (newEnd <= current.End)
            throw new InvalidFieldException(endField, $"must be after the current end {Dates.Format(current.End)}");
        var longest = LegalCalendar.ExtendedLastDay(current.End, rule.MaxExtensionLength, basis, basis.HolidaysIn(country));
        if (newEnd > longest)
            throw new RuleViolationException($"{subject}.extension.length",
                $"an extension under {basis.Code} is at most {rule.MaxExtensionLength}: the latest end is {Dates.Format(longest)}");
        if (current.TotalCapEnd is { } capEnd && newEnd > capEnd)
            throw new RuleViolationException($"{subject}.total-cap",
                $"{basis.Code} caps the {subject} at {basis.TotalCap} in all: the latest end is {Dates.Format(capEnd)}");
        if (rule.ConsentRequired is { } consent && string.IsNullOrWhiteSpace(consentReference))
            throw new RuleViolationException($"{subject}.extension.consent", $"{basis.Code} requires {consent} for an extension: give consent_reference");
        return current with { End = newEnd, LegalMaxEnd = Min(longest, current.TotalCapEnd), EndsAt = LegalCalendar.EndsAt(newEnd, basis.Zone) };
    }

    /// <summary>
    /// Refuses a first day in force before today in the basis's zone: an act is recorded when it is adopted. An act adopted
    /// earlier and recorded late would be judged as in force from a day nobody could still act on, and expire at once.
    /// </summary>
    public static void NotInThePast(LegalBasis basis, LocalDate start, Instant now, string field = "start_date")
    {
        var today = LegalCalendar.DayOf(now, basis.Zone);
        if (start < today)
            throw new InvalidFieldException(field,
                $"{Dates.Format(start)} is before today ({Dates.Format(today)} in {basis.TimeZone}): record the act on the day it is adopted, starting today or later");
    }

    private static LocalDate Min(LocalDate a, LocalDate? b) => b is { } cap && cap < a ? cap : a;
}
