using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Messaging;
using Marten;

namespace CrisisOps.Situation.Picture;

/// <summary>Reads the folded pictures a caller may see and derives the views at the current time.</summary>
public sealed class SituationReader(IDocumentStore store, TimeProvider clock, ReportingCadence cadence, CatchUpStatus catchUp)
{
    /// <summary>The pictures of every country the actor may read (a ministry: its own; coordinators and auditors: all).</summary>
    public async Task<IReadOnlyList<CountryPicture>> PicturesAsync(Actor actor, string? country, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var pictures = await session.Query<CountryPicture>().ToListAsync(ct);
        return [.. pictures.Where(p => actor.MayRead(p.Id) && (string.IsNullOrEmpty(country) || string.Equals(p.Id, country, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(p => p.Id, StringComparer.Ordinal)];
    }

    public async Task<OverviewView> OverviewAsync(Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var pictures = await PicturesAsync(actor, null, ct);
        return new OverviewView([.. pictures.Select(p => SituationViews.Country(p, now, cadence))],
            [.. pictures.SelectMany(p => SituationViews.Alerts(p, now, cadence))], now, catchUp.CaughtUp);
    }

    /// <summary>The crisis page, or null when no crisis of that id is visible to the actor (unknown and forbidden look the same).</summary>
    public async Task<CrisisView?> CrisisAsync(Actor actor, string crisisId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var p in await PicturesAsync(actor, null, ct))
        {
            if (p.Crises.TryGetValue(crisisId, out var crisis)) return SituationViews.Crisis(p, crisis, now, cadence);
        }

        return null;
    }
}
