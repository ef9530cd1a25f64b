using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Situation.Picture;

namespace CrisisOps.Situation.Reports;

/// <summary>What a situational report states, kept in its event so that the next report compares against it.</summary>
/// <param name="Scope"><c>eu</c> or <c>crisis/{id}</c>.</param>
/// <param name="From">First day of the period reported on.</param>
/// <param name="To">Last day of the period reported on.</param>
/// <param name="Facts">Each stated fact by a stable key (a crisis's state, a clock's status and end, a figure), in words.</param>
public sealed record ReportSnapshot(string Scope, DateOnly From, DateOnly To, ImmutableSortedDictionary<string, string> Facts);

/// <summary>
/// A report issued: stream <c>situation-report/{scope}</c>, one event per issue, through DecisionStreams. The HTML is
/// kept in the event itself, so that what was issued is on the same hash chain as who issued it.
/// </summary>
public sealed record SituationReportIssued(
    string ReportId,
    string Scope,
    DateOnly From,
    DateOnly To,
    string ContentHash,
    ReportSnapshot Snapshot,
    string? PreviousReportId,
    string? PreviousContentHash,
    string Html,
    Decision Decision) : IRecordedDecision;

/// <summary>The reports issued for one scope so far: the last is what the next compares against.</summary>
public sealed record ReportSeries(int Issued, SituationReportIssued? Last)
{
    public static ReportSeries? Evolve(ReportSeries? series, object e) => e switch
    {
        SituationReportIssued issued => new ReportSeries((series?.Issued ?? 0) + 1, issued),
        _ => series,
    };
}

/// <summary>A report as issued, for reading it again: its HTML exactly as hashed.</summary>
public sealed record IssuedReport(string Id, string Scope, DateOnly From, DateOnly To, DateTimeOffset IssuedAt, string IssuedBy, string ContentHash,
    string? PreviousReportId, string Html);

/// <summary>One change between two reports, for the "since the previous report" section.</summary>
public sealed record ReportChange(string Key, string? Before, string? After)
{
    public string Kind => Before is null ? "new" : After is null ? "gone" : "changed";
}

/// <summary>The pure parts of a situational report: what it states, and what changed since the previous one.</summary>
public static class ReportContent
{
    /// <summary>The facts a report states about <paramref name="pictures"/> (already narrowed to its scope) at <paramref name="now"/>.</summary>
    public static ReportSnapshot Snapshot(string scope, DateOnly from, DateOnly to, IReadOnlyList<CountryPicture> pictures, string? crisisId,
        DateTimeOffset now, ReportingCadence cadence)
    {
        var facts = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var p in pictures)
        {
            foreach (var c in p.Crises.Values.Where(c => crisisId is null || c.Id == crisisId))
                facts[$"{p.Id} crisis {c.Perpetrator} ({c.Id})"] = $"{c.State}, {c.Stage}{(c.Qualifies ? ", qualifies as instrumentalization" : "")}";
            foreach (var c in SituationViews.Clocks(p, crisisId, now))
                facts[$"{p.Id} {c.Kind.ToLowerInvariant()} {c.Title} ({c.Id})"] =
                    $"{c.Status}{(c.EndDate is { } end ? $", legal end {end:yyyy-MM-dd}" : "")}{(c.TotalCapEnd is { } cap ? $", total cap {cap:yyyy-MM-dd}" : "")}, extensions {c.ExtensionsUsed}/{(c.ExtensionsAllowed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "–")}";
            foreach (var f in SituationViews.Figures(p, now, cadence))
                facts[$"{p.Id} figure {f.Name}"] = f.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var r in p.Regions.Values)
                facts[$"{p.Id} reception {r.Region}"] = $"{r.Strain}, {r.Rate:P0} occupied";
        }

        return new ReportSnapshot(scope, from, to, facts.ToImmutable());
    }

    public static IReadOnlyList<ReportChange> Changes(ReportSnapshot? previous, ReportSnapshot current)
    {
        var before = previous?.Facts ?? ImmutableSortedDictionary<string, string>.Empty;
        return
        [
            .. current.Facts.Where(f => !before.TryGetValue(f.Key, out var old) || old != f.Value)
                .Select(f => new ReportChange(f.Key, before.GetValueOrDefault(f.Key), f.Value)),
            .. before.Where(f => !current.Facts.ContainsKey(f.Key)).Select(f => new ReportChange(f.Key, f.Value, null)),
        ];
    }
}
