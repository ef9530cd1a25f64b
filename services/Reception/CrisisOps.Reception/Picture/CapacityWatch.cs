using System.Collections.Immutable;
using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Strain;
using JasperFx.Events;
using Marten;

namespace CrisisOps.Reception.Picture;

/// <summary>How far a watch of a country's capacity has been sent: the last version of each facility and of the country's strain stream.</summary>
public sealed record CapacityCursor(ImmutableDictionary<string, long> Facilities, long Strain);

/// <summary>One recorded event a watch sends, with the stream it was recorded on and how that stream describes it.</summary>
public sealed record CapacityEvent(string StreamId, IEvent Event, Func<object, string> Describe);

/// <summary>What a watch sends after a cursor: the events recorded since (of the region watched), and the picture now.</summary>
public sealed record CapacityUpdate(IReadOnlyList<CapacityEvent> Events, CapacityPicture Picture);

/// <summary>
/// The reads of a watch of a country's (or one region's) reception capacity: the facilities' events and the
/// country's strain changes, each sent once, in the order the facilities were updated. The national figures always
/// cover the whole country, so the cursor follows every facility of it, whichever region is watched.
/// </summary>
public sealed class CapacityWatch(string country, string? region, StrainPolicy policy)
{
    private readonly string _strainStream = AreaStrain.StreamIdFor(country);

    /// <summary>The picture to start from, and the cursor after it.</summary>
    public async Task<(CapacityPicture Picture, CapacityCursor Cursor)> StartAsync(IQuerySession session, DateTimeOffset now, CancellationToken ct)
    {
        var facilities = await session.Query<FacilityView>().Where(f => f.Country == country).ToListAsync(ct);
        var strain = (await session.Events.FetchStreamStateAsync(_strainStream, ct))?.Version ?? 0;
        return (CapacityPicture.Of(country, region, now, facilities, policy),
            new CapacityCursor(facilities.ToImmutableDictionary(f => f.Id, f => f.Version), strain));
    }

    /// <summary>What was recorded after <paramref name="cursor"/>, and the cursor after it.</summary>
    public async Task<(CapacityUpdate Update, CapacityCursor Cursor)> NextAsync(IQuerySession session, CapacityCursor cursor, DateTimeOffset now,
        CancellationToken ct)
    {
        var facilities = await session.Query<FacilityView>().Where(f => f.Country == country).ToListAsync(ct);
        var sent = cursor.Facilities;
        var changes = new List<CapacityEvent>();
        foreach (var f in facilities.Where(f => f.Version > sent.GetValueOrDefault(f.Id)).OrderBy(f => f.UpdatedAt))
        {
            var events = await session.Events.FetchStreamAsync(f.Id, fromVersion: sent.GetValueOrDefault(f.Id) + 1, token: ct);
            if (events.Count == 0) continue;
            sent = sent.SetItem(f.Id, events[^1].Version);
            if (region is null || f.Region == region) changes.AddRange(events.Select(e => new CapacityEvent(f.Id, e, FacilityStream.Describe)));
        }

        var strain = await session.Events.FetchStreamAsync(_strainStream, fromVersion: cursor.Strain + 1, token: ct);
        changes.AddRange(strain.Where(e => region is null || e.Data is not RegionStrainChanged r || r.Region == region)
            .Select(e => new CapacityEvent(_strainStream, e, AreaStrain.Describe)));
        return (new CapacityUpdate(changes, CapacityPicture.Of(country, region, now, facilities, policy)),
            new CapacityCursor(sent, strain.Count > 0 ? strain[^1].Version : cursor.Strain));
    }
}
