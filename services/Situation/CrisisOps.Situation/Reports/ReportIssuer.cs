using System.Security.Cryptography;
using System.Text;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Situation.Picture;
using Marten;

namespace CrisisOps.Situation.Reports;

/// <summary>Issues and reads situational reports: reads the picture, decides through DecisionStreams, keeps the HTML.</summary>
public sealed class ReportIssuer(IDocumentStore store, SituationReader reader, ReportingCadence cadence, TimeProvider clock)
{
    public async Task<IssuedReport> IssueAsync(Actor actor, string scope, DateOnly from, DateOnly to, string requestId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(requestId)) throw new InvalidFieldException("request_id", "is required");
        IReadOnlyList<CountryPicture> pictures;
        string? crisisId = null;
        string title;
        if (scope == "eu")
        {
            if (actor.Role == Role.Ministry) throw new NotPermittedException("a ministry issues reports on its own crises; the EU overview report is the coordinators'");
            pictures = await reader.PicturesAsync(actor, null, ct);
            title = "Situational report: EU overview";
        }
        else if (scope.StartsWith("crisis/", StringComparison.Ordinal) && scope.Length > 7)
        {
            crisisId = scope[7..];
            var picture = (await reader.PicturesAsync(actor, null, ct)).FirstOrDefault(p => p.Crises.ContainsKey(crisisId))
                ?? throw new NotFoundException("crisis", crisisId);
            pictures = [picture];
            var crisis = picture.Crises[crisisId];
            title = $"Situational report: {crisis.Perpetrator} → {crisis.Country}";
        }
        else
        {
            throw new InvalidFieldException("scope", "must be 'eu' or 'crisis/{crisis id}'");
        }

        var reportId = Guid.CreateVersion7().ToString();
        var decision = new Decision(actor, clock.GetUtcNow(), null, $"situational report on {scope} for {from:yyyy-MM-dd} to {to:yyyy-MM-dd}", requestId);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}|{from:yyyy-MM-dd}|{to:yyyy-MM-dd}")));
        var outcome = await store.DecideAsync(ReportDecider.Stream, new CommandEnvelope($"situation-report/{scope}", null, actor, requestId, fingerprint),
            series => ReportDecider.Issue(series, new IssueReport(reportId, scope, title, from, to, pictures, crisisId, cadence, decision)), clock, ct);

        await using var session = store.QuerySession();
        var id = outcome.Events.OfType<SituationReportIssued>().FirstOrDefault()?.ReportId;
        if (id is null)
        {
            // A retried request: the report its first attempt issued.
            var history = await session.Events.FetchStreamAsync(outcome.StreamId, outcome.Version, token: ct);
            id = history.Count > 0 && history[^1].Data is SituationReportIssued first ? first.ReportId : reportId;
        }

        return await session.LoadAsync<IssuedReport>(id, ct) ?? throw new NotFoundException("report", id);
    }

    /// <summary>A report the actor may read (a crisis report: who may read its country; the EU report: coordinators and auditors), or null.</summary>
    public async Task<IssuedReport?> ReadAsync(Actor actor, string id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var report = await session.LoadAsync<IssuedReport>(id, ct);
        if (report is null) return null;
        return await MayReadAsync(actor, report.Scope, ct) ? report : null;
    }

    /// <summary>The reports issued for a scope, newest first (without their HTML).</summary>
    public async Task<IReadOnlyList<IssuedReport>> ListAsync(Actor actor, string scope, CancellationToken ct)
    {
        if (!await MayReadAsync(actor, scope, ct)) return [];
        await using var session = store.QuerySession();
        var reports = await session.Query<IssuedReport>().Where(r => r.Scope == scope).OrderByDescending(r => r.IssuedAt).ToListAsync(ct);
        return [.. reports.Select(r => r with { Html = "" })];
    }

    private async Task<bool> MayReadAsync(Actor actor, string scope, CancellationToken ct) =>
        scope == "eu"
            ? actor.Role is Role.Coordinator or Role.Auditor
            : scope.StartsWith("crisis/", StringComparison.Ordinal) && (await reader.PicturesAsync(actor, null, ct)).Any(p => p.Crises.ContainsKey(scope[7..]));
}
