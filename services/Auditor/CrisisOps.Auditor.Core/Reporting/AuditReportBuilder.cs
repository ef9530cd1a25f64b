using CrisisOps.Auditor.Core.Checks;
using CrisisOps.Auditor.Core.Integrity;
using NodaTime;

namespace CrisisOps.Auditor.Core.Reporting;

/// <summary>
/// Builds the report from the replayed history, limited to the scope asked for (one crisis, one country, a time
/// window). The checks always run over the whole history; the scope only chooses what is reported. Tampering is
/// always reported: a store that was tampered with cannot be trusted for any crisis.
/// </summary>
internal static class AuditReportBuilder
{
    public static AuditReport Build(
        DateTimeOffset generatedAt,
        AuditOptions options,
        IReadOnlyList<string> law,
        IReadOnlyList<StoreSummary> stores,
        IEnumerable<CrisisRecord> crises,
        IEnumerable<TimeLimited> items,
        IReadOnlyList<RefusedAttempt> refusals,
        long decisions,
        IReadOnlyList<(Finding Finding, TimeLimited? Item, CrisisRecord? Crisis)> findings,
        IReadOnlyList<TamperingFinding> tampering,
        Instant asOf)
    {
        var scope = new Scope(options, asOf);
        var crisisList = crises.OrderBy(c => c.DeclaredAt).ToList();
        var known = crisisList.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var others = items.ToList();

        var byCrisis = others.Where(i => i.CrisisId is not null).ToLookup(i => i.CrisisId!, StringComparer.Ordinal);
        var timelines = crisisList.Where(scope.Includes).Select(c => new CrisisTimeline(c.Id, c.Store, c.Country, c.Qualifies,
                c.DeclaredAt.ToDateTimeOffset(), c.EndedAt?.ToDateTimeOffset(),
                [.. c.Emergencies.Concat(byCrisis[c.Id]).Where(scope.Includes).OrderBy(i => i.StartsAt).Select(i => Item(i, asOf))]))
            .ToList();
        var withoutCrisis = options.CrisisId is null
            ? others.Where(i => i.CrisisId is null || !known.Contains(i.CrisisId)).Where(scope.Includes).OrderBy(i => i.StartsAt).Select(i => Item(i, asOf)).ToList()
            : [];
        var inScope = crisisList.Where(scope.Includes).SelectMany(c => c.Emergencies).Concat(others).Where(scope.Includes).ToList();

        var recordedEnds = inScope.Where(i => i.Stopped is { BySystem: true })
            .Select(i => new RecordedEnd(i.Kind, i.Id, i.Country, i.Stopped!.How, i.Stopped.At.ToDateTimeOffset(), i.Stopped.RecordedAt.ToDateTimeOffset(),
                (i.Stopped.RecordedAt - i.Stopped.At).TotalSeconds))
            .OrderBy(r => r.LegalEnd).ToList();

        var crisisOfFilter = options.CrisisId is null ? null : crisisList.FirstOrDefault(c => c.Id == options.CrisisId);
        var refused = refusals.Where(r => scope.IncludesCountry(r.Country) && scope.IncludesMoment(r.DecidedAt)
                && (options.CrisisId is null || (crisisOfFilter is { } c && string.Equals(r.Country, c.Country, StringComparison.OrdinalIgnoreCase)
                    && Instant.FromDateTimeOffset(r.DecidedAt) >= c.DeclaredAt && (c.EndedAt is not { } end || Instant.FromDateTimeOffset(r.DecidedAt) <= end))))
            .OrderBy(r => r.DecidedAt).ToList();

        var reported = tampering.Select(t => new Finding(Severity.Error, $"integrity.{t.Kind.ToString().ToLowerInvariant()}", t.Store, t.StreamKey,
                t.Version, t.Sequence, null, null, null, null, t.Detail))
            .Concat(findings.Where(f => f.Finding.Rule.StartsWith("integrity.", StringComparison.Ordinal) || scope.Includes(f)).Select(f => f.Finding))
            .ToList();

        return new AuditReport(generatedAt, new AuditScope(options.CrisisId, options.Country, options.From, options.To, options.AsOf,
                options.Tolerance.TotalSeconds),
            law, stores, timelines, withoutCrisis, recordedEnds, refused, decisions, reported);
    }

    private static TimelineItem Item(TimeLimited i, Instant asOf) => new(
        i.Kind, i.Id, i.Store, i.Code, i.Country, i.CrisisId, i.StartDate.ToDateOnly(), i.StartsAt.ToDateTimeOffset(),
        i.Recorded?.End.ToDateOnly(), i.Recorded?.EndsAt.ToDateTimeOffset(),
        i.Lawful?.End.ToDateOnly(), i.Lawful?.EndsAt.ToDateTimeOffset(),
        i.Lawful is { TotalCapEnd: { } capEnd } && i.Basis is { } basis ? Legal.LegalCalendar.EndsAt(capEnd, basis.Zone).ToDateTimeOffset() : null,
        i.Stopped?.At.ToDateTimeOffset(), i.Stopped?.How, i.Stopped?.RecordedAt.ToDateTimeOffset(), i.InForceAt(asOf), i.Changes, i.FindingCount);

    /// <summary>The scope asked for: crisis, country and time window.</summary>
    private sealed class Scope(AuditOptions options, Instant asOf)
    {
        private readonly Instant _from = options.From is { } f ? Instant.FromDateTimeOffset(f) : Instant.MinValue;
        private readonly Instant _to = options.To is { } t ? Instant.FromDateTimeOffset(t) : Instant.MaxValue;

        public bool IncludesCountry(string? country) =>
            options.Country is null || string.Equals(country, options.Country, StringComparison.OrdinalIgnoreCase);

        public bool IncludesMoment(DateTimeOffset? at) =>
            at is not { } moment || (Instant.FromDateTimeOffset(moment) >= _from && Instant.FromDateTimeOffset(moment) <= _to);

        public bool Includes(CrisisRecord c) =>
            (options.CrisisId is null || c.Id == options.CrisisId) && IncludesCountry(c.Country) && Overlaps(c.DeclaredAt, c.EndedAt ?? asOf);

        public bool Includes(TimeLimited i) =>
            (options.CrisisId is null || i.CrisisId == options.CrisisId) && IncludesCountry(i.Country)
            && Overlaps(i.StartsAt, i.RecordedEnd ?? asOf);

        public bool Includes((Finding Finding, TimeLimited? Item, CrisisRecord? Crisis) f) =>
            f.Item is { } item ? Includes(item)
            : f.Crisis is { } crisis ? Includes(crisis)
            : (options.CrisisId is null || f.Finding.CrisisId == options.CrisisId) && IncludesCountry(f.Finding.Country) && IncludesMoment(f.Finding.At);

        private bool Overlaps(Instant start, Instant end) => start <= _to && end >= _from;
    }
}
