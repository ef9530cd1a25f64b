using System.Security.Cryptography;
using System.Text;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Situation.Picture;

namespace CrisisOps.Situation.Reports;

/// <summary>A request to issue a report over pictures already read and narrowed to its scope.</summary>
public sealed record IssueReport(string ReportId, string Scope, string Title, DateOnly From, DateOnly To, IReadOnlyList<CountryPicture> Pictures,
    string? CrisisId, ReportingCadence Cadence, Decision Decision);

/// <summary>Issuing a situational report, pure: what it states, what changed since the last, its HTML and its hash.</summary>
public static class ReportDecider
{
    public static readonly StreamDefinition<ReportSeries> Stream = new(ReportSeries.Evolve, (ops, change) =>
    {
        var e = change.State.Last!;
        ops.Store(new IssuedReport(e.ReportId, e.Scope, e.From, e.To, e.Decision.DecidedAt, $"{e.Decision.Actor.Name} ({e.Decision.Actor.Role}{(e.Decision.Actor.Country.Length > 0 ? " " + e.Decision.Actor.Country : "")})",
            e.ContentHash, e.PreviousReportId, e.Html));
    });

    public static IReadOnlyList<object> Issue(ReportSeries? series, IssueReport c)
    {
        if (c.To < c.From) throw new InvalidFieldException("to", "is before from");
        if (c.Decision.Actor.Role is not (Role.Coordinator or Role.Ministry))
            throw new NotPermittedException($"role {c.Decision.Actor.Role} reads situational reports; coordinators and ministries issue them");
        var now = c.Decision.DecidedAt;
        var snapshot = ReportContent.Snapshot(c.Scope, c.From, c.To, c.Pictures, c.CrisisId, now, c.Cadence);
        var previous = series?.Last;
        var changes = ReportContent.Changes(previous?.Snapshot, snapshot);
        var issuedBy = $"{c.Decision.Actor.Name}, {(c.Decision.Actor.Organisation.Length > 0 ? c.Decision.Actor.Organisation : c.Decision.Actor.Role.ToString())}";
        var html = ReportHtml.Render(c.ReportId, c.Title, snapshot, changes, previous, c.Pictures, c.CrisisId, now, issuedBy);
        return [new SituationReportIssued(c.ReportId, c.Scope, c.From, c.To, HashOf(html), snapshot, previous?.ReportId, previous?.ContentHash, html, c.Decision)];
    }

    /// <summary>SHA-256 of the report's HTML as issued (UTF-8), in lower-case hex.</summary>
    public static string HashOf(string html) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(html)));
}
