using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Auditor.Core.Checks;

/// <summary>The term a decision put in force, as recorded on its event.</summary>
/// <param name="Start">First day.</param>
/// <param name="End">Last day as decided.</param>
/// <param name="LegalMaxEnd">The legal maximum the service recorded.</param>
/// <param name="TotalCapEnd">The total cap the service recorded (null on extensions, which do not restate it).</param>
/// <param name="EndsAt">The moment the service recorded for its end.</param>
public sealed record RecordedTerm(LocalDate Start, LocalDate End, LocalDate LegalMaxEnd, LocalDate? TotalCapEnd, Instant EndsAt);

/// <summary>
/// The time-limit checks, pure: each decision is re-decided with the shared legal rules (<see cref="LegalLimits"/>,
/// <see cref="LegalCalendar"/>) against the catalogue version it was taken under. An unlawful extension does not
/// extend the lawful term: later decisions are judged against the term the law allowed.
/// </summary>
public static class TermRules
{
    /// <summary>The subject prefix of the rules of each kind, the same the services use (<c>measure.extension.count</c>).</summary>
    public static string Subject(ItemKind kind) => kind switch
    {
        ItemKind.Emergency => "emergency",
        ItemKind.Measure => "measure",
        _ => "leverage",
    };

    /// <summary>
    /// Checks a first decision: the initial duration, and that what the service recorded (legal maximum, total cap,
    /// end instant) is what the catalogue gives. Returns the lawful term: the recorded one, or one cut at the legal maximum.
    /// </summary>
    public static (LegalTerm Lawful, IReadOnlyList<Breach> Breaches) Initial(ItemKind kind, LegalBasis basis, string country,
        RecordedTerm recorded)
    {
        var subject = Subject(kind);
        var breaches = new List<Breach>();
        var legalMax = LegalLimits.Initial(basis, country, recorded.Start, recorded.Start, subject).LegalMaxEnd;
        LegalTerm lawful;
        try
        {
            lawful = LegalLimits.Initial(basis, country, recorded.Start, recorded.End, subject);
        }
        catch (RuleViolationException ex)
        {
            breaches.Add(Of(ex));
            lawful = LegalLimits.Initial(basis, country, recorded.Start, legalMax, subject);
        }
        catch (InvalidFieldException ex)
        {
            breaches.Add(new Breach($"{subject}.dates", ex.Message));
            lawful = LegalLimits.Initial(basis, country, recorded.Start, recorded.Start, subject);
        }

        if (breaches.Count == 0) breaches.AddRange(Recorded(subject, basis, recorded, lawful));
        return (lawful, breaches);
    }

    /// <summary>
    /// Checks an extension (or renewal) decided at <paramref name="decidedAt"/> against the lawful term so far: count,
    /// length, total cap, consent, and that it was decided before the legal end. Returns the lawful term after it.
    /// </summary>
    public static (LegalTerm Lawful, Breach? Breach) Extend(ItemKind kind, LegalBasis basis, string country, LegalTerm lawful,
        int lawfulExtensions, LocalDate newEnd, string? consent, Instant decidedAt, LocalDate recordedLegalMaxEnd, Instant recordedEndsAt)
    {
        var subject = Subject(kind);
        try
        {
            var extended = LegalLimits.Extend(basis, country, lawful, lawfulExtensions, newEnd, consent, decidedAt, subject);
            var mismatch = Recorded(subject, basis, new RecordedTerm(extended.Start, newEnd, recordedLegalMaxEnd, null, recordedEndsAt), extended)
                .FirstOrDefault();
            return (extended, mismatch);
        }
        catch (RuleViolationException ex)
        {
            return (lawful, Of(ex));
        }
        catch (InvalidFieldException ex)
        {
            return (lawful, new Breach($"{subject}.dates", ex.Message));
        }
    }

    /// <summary>The shared rules name their rule in the message too; the breach names it once.</summary>
    private static Breach Of(RuleViolationException ex) =>
        new(ex.Rule, ex.Message.StartsWith(ex.Rule + ": ", StringComparison.Ordinal) ? ex.Message[(ex.Rule.Length + 2)..] : ex.Message);

    /// <summary>What the service recorded against what the catalogue gives for the same decision.</summary>
    private static IEnumerable<Breach> Recorded(string subject, LegalBasis basis, RecordedTerm recorded, LegalTerm computed)
    {
        var rule = $"{subject}.recorded-term";
        if (recorded.LegalMaxEnd != computed.LegalMaxEnd)
            yield return new Breach(rule, $"the service recorded a legal maximum of {Dates.Format(recorded.LegalMaxEnd)}; {basis.Code} gives {Dates.Format(computed.LegalMaxEnd)}");
        if (recorded.TotalCapEnd is { } cap && cap != computed.TotalCapEnd)
            yield return new Breach(rule, $"the service recorded a total cap ending {Dates.Format(cap)}; {basis.Code} gives {(computed.TotalCapEnd is { } c ? Dates.Format(c) : "no total cap")}");
        if (recorded.EndsAt != computed.EndsAt)
            yield return new Breach(rule, $"the service recorded the end at {recorded.EndsAt}; the last day {Dates.Format(computed.End)} ends at {computed.EndsAt} in {basis.TimeZone}");
    }
}
