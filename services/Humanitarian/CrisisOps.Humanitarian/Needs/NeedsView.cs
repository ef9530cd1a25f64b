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
    /// <summary>The view of a needs assessment's state at <paramref name="version"/>.</summary>
    public static NeedsView From(NeedsAssessment n, long version) => new(n.Id, version, n.Country, n.Location, n.Sector, n.Figures, n.Vulnerable,
        n.AssessedOn, n.Source, n.RecordedFor, n.UpdatedAt);
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

    private static void Persist(IDocumentOperations ops, StreamChange<NeedsAssessment> change) =>
        ops.Store(NeedsView.From(change.State, change.Version));

    public static string Describe(object e) => e switch
    {
        NeedsAssessed d => $"Needs in {d.Sector} at {d.Location.Describe()} assessed on {d.AssessedOn:yyyy-MM-dd} by {d.RecordedFor}: {Figures(d.Figures)}",
        NeedsReassessed d => $"Reassessed on {d.AssessedOn:yyyy-MM-dd} by {d.RecordedFor}: {Figures(d.Figures)}",
        _ => e.GetType().Name,
    };

    private static string Figures(PopulationFigures f) =>
        $"{f.Affected} affected, {f.InNeed} in need, {f.Targeted} targeted, {f.Reached} reached";
}
