namespace CrisisOps.Auditor.Core.Reporting;

public enum Severity { Error, Warning }

/// <summary>One check that failed, named by store, stream and position, with the rule it breaks.</summary>
/// <param name="Severity">Errors fail the audit; warnings are reported only.</param>
/// <param name="Rule">A stable rule identifier, e.g. <c>measure.extension.count</c> or <c>integrity.altered</c>.</param>
/// <param name="Store">The schema of the store the evidence is in.</param>
/// <param name="StreamKey">The stream, where the finding concerns one.</param>
/// <param name="Version">The event's position in its stream.</param>
/// <param name="Sequence">The event's global sequence.</param>
/// <param name="Subject">What the finding is about, e.g. <c>measure measure-0193…</c>.</param>
/// <param name="CrisisId">The crisis concerned, if any.</param>
/// <param name="Country">The country concerned, if any.</param>
/// <param name="At">When the breach happened or the decision was taken.</param>
/// <param name="Message">What is wrong, in words.</param>
public sealed record Finding(
    Severity Severity, string Rule, string Store, string? StreamKey, long? Version, long? Sequence, string? Subject, string? CrisisId,
    string? Country, DateTimeOffset? At, string Message);

/// <summary>What was verified of one store.</summary>
public sealed record StoreSummary(string Schema, long Events, int Streams, bool HasLogChain, string LogHead, int NotYetSealed);

public enum ItemKind { Emergency, Measure, Leverage }

/// <summary>One extension or renewal, as decided, and whether the law allowed it.</summary>
public sealed record TermChange(DateTimeOffset DecidedAt, DateOnly NewEnd, bool Lawful, string? Rule);

/// <summary>An emergency, measure or leverage with the term it was decided for and the term the law allowed.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Id">Its id (the stream; for an emergency, the crisis and the emergency's number).</param>
/// <param name="Store">Its store.</param>
/// <param name="Code">Its legal basis (emergency) or type (measure, leverage).</param>
/// <param name="Country">The country.</param>
/// <param name="CrisisId">The crisis it answers, if any.</param>
/// <param name="StartDate">Its first day, in the issuer's calendar.</param>
/// <param name="StartsAt">When it came into force.</param>
/// <param name="DecidedEnd">The last day in force as decided, extensions included (null: no end in law).</param>
/// <param name="DecidedEndsAt">The moment that end falls at.</param>
/// <param name="LawfulEnd">The last day the law allowed, after the lawful extensions only.</param>
/// <param name="LawfulEndsAt">The moment that falls at.</param>
/// <param name="TotalCapEndsAt">The moment the total cap falls at.</param>
/// <param name="EndedAt">When it stopped being in force, as recorded (its legal end for an expiry).</param>
/// <param name="EndedBy">How (expired, lifted, revoked, annulled, ended with its crisis, lapsed…).</param>
/// <param name="EndRecordedAt">When that end was recorded.</param>
/// <param name="InForce">Still in force at the audit's reference moment.</param>
/// <param name="Extensions">Extensions and renewals.</param>
/// <param name="Findings">How many findings concern it.</param>
public sealed record TimelineItem(
    ItemKind Kind, string Id, string Store, string Code, string Country, string? CrisisId, DateOnly StartDate, DateTimeOffset StartsAt,
    DateOnly? DecidedEnd, DateTimeOffset? DecidedEndsAt, DateOnly? LawfulEnd, DateTimeOffset? LawfulEndsAt, DateTimeOffset? TotalCapEndsAt,
    DateTimeOffset? EndedAt, string? EndedBy, DateTimeOffset? EndRecordedAt, bool InForce, IReadOnlyList<TermChange> Extensions, int Findings);

/// <summary>A crisis and everything in force for it.</summary>
public sealed record CrisisTimeline(
    string Id, string Store, string Country, bool Qualifies, DateTimeOffset DeclaredAt, DateTimeOffset? EndedAt, IReadOnlyList<TimelineItem> Items);

/// <summary>An end the system recorded by itself (expiry, lapse, end with the crisis), with its lag behind the legal end.</summary>
public sealed record RecordedEnd(ItemKind Kind, string Id, string Country, string How, DateTimeOffset LegalEnd, DateTimeOffset RecordedAt, double LagSeconds);

/// <summary>A command refused because it would have crossed a safeguard: who tried, which rule stopped it.</summary>
public sealed record RefusedAttempt(
    string Store, string Country, string Rule, string? MeasureType, string? ActorSubject, string? ActorName, string? ActorRole,
    DateTimeOffset DecidedAt, string? Reason);

/// <summary>What was audited.</summary>
/// <param name="CrisisId">One crisis only.</param>
/// <param name="Country">One country only.</param>
/// <param name="From">Start of the time window.</param>
/// <param name="To">End of the time window.</param>
/// <param name="AsOf">The reference moment: what was still in force then, and which legal ends had passed.</param>
/// <param name="ToleranceSeconds">How long after a legal end its recording still counts as on time.</param>
public sealed record AuditScope(string? CrisisId, string? Country, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset AsOf, double ToleranceSeconds);

/// <summary>The audit: what was replayed, the timelines, and every finding.</summary>
public sealed record AuditReport(
    DateTimeOffset GeneratedAt,
    AuditScope Scope,
    IReadOnlyList<string> Catalogues,
    IReadOnlyList<StoreSummary> Stores,
    IReadOnlyList<CrisisTimeline> Crises,
    IReadOnlyList<TimelineItem> WithoutCrisis,
    IReadOnlyList<RecordedEnd> RecordedEnds,
    IReadOnlyList<RefusedAttempt> Refusals,
    long DecisionsChecked,
    IReadOnlyList<Finding> Findings)
{
    public int Errors => Findings.Count(f => f.Severity == Severity.Error);

    public int Warnings => Findings.Count(f => f.Severity == Severity.Warning);

    /// <summary>No check failed.</summary>
    public bool Passed => Errors == 0;

    public long EventsReplayed => Stores.Sum(s => s.Events);
}
