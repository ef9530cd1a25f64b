using System.Security.Cryptography;
using System.Text;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Humanitarian.Needs;

/// <summary>The read model of a location's needs in one sector, written in the transaction of each assessment.</summary>
public sealed record NeedsView(
    string Id,
    long Version,
    string Country,
    Location Location,
    Sector Sector,
    PopulationFigures Figures,
    VulnerableGroups? Vulnerable,
    DateOnly AssessedOn,
    string? Source,
    string RecordedFor,
    DateTimeOffset UpdatedAt)
{
    public static NeedsView? Transition(NeedsView? view, object @event) => (view, @event) switch
    {
        (null, NeedsAssessed e) => new NeedsView(e.AssessmentId, 0, e.Country, e.Location, e.Sector, e.Figures, e.Vulnerable,
            e.AssessedOn, e.Source, e.RecordedFor, e.Decision.DecidedAt),
        (not null, NeedsReassessed e) => view with
        {
            Figures = e.Figures,
            Vulnerable = e.Vulnerable,
            AssessedOn = e.AssessedOn,
            Source = e.Source,
            RecordedFor = e.RecordedFor,
            UpdatedAt = e.Decision.DecidedAt,
        },
        _ => view,
    };
}

/// <summary>How a needs stream is named and folded, and what its transaction writes besides the events.</summary>
public static class NeedsStream
{
    public static readonly StreamDefinition<NeedsAssessment> Definition = new(NeedsAssessment.Transition, Persist);

    /// <summary>
    /// One stream per responding country, location and sector: two partners assessing the same place revise one
    /// picture (optimistically, on expected_version) instead of publishing two competing ones.
    /// </summary>
    public static string IdFor(string country, Location location, Sector sector)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(location.Key())))[..16];
        return $"needs-{country.ToLowerInvariant()}-{Sectors.ToContract(sector)}-{hash}";
    }

    private static void Persist(IDocumentOperations ops, string id, NeedsAssessment state, long version, IReadOnlyList<object> events) =>
        ops.Store(events.Aggregate((NeedsView?)null, NeedsView.Transition)! with { Version = version });

    public static string Describe(object e) => e switch
    {
        NeedsAssessed d => $"Needs in {d.Sector} at {d.Location.Describe()} assessed on {d.AssessedOn:yyyy-MM-dd} by {d.RecordedFor}: {Figures(d.Figures)}",
        NeedsReassessed d => $"Reassessed on {d.AssessedOn:yyyy-MM-dd} by {d.RecordedFor}: {Figures(d.Figures)}",
        _ => e.GetType().Name,
    };

    private static string Figures(PopulationFigures f) =>
        $"{f.Affected} affected, {f.InNeed} in need, {f.Targeted} targeted, {f.Reached} reached";
}
