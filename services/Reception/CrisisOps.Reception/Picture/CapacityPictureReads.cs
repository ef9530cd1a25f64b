using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Strain;
using Marten;

namespace CrisisOps.Reception.Picture;

/// <summary>Reads a country's capacity picture from the store: now, or as of a past moment.</summary>
public static class CapacityPictureReads
{
    /// <summary>
    /// The picture now, from the facilities' views; or, with <paramref name="asOf"/>, as it stood then, each facility
    /// folded from its history (<see cref="CapacityPicture.AsItStoodAt"/>): today's views may hold decisions taken since.
    /// </summary>
    public static async Task<CapacityPicture> ReadCapacityPictureAsync(this IQuerySession session, string country, string? region,
        DateTimeOffset? asOf, DateTimeOffset now, StrainPolicy policy, CancellationToken ct)
    {
        var facilities = await session.Query<FacilityView>().Where(f => f.Country == country).ToListAsync(ct);
        if (asOf is not { } at) return CapacityPicture.Of(country, region, now, facilities, policy);

        var histories = new List<IReadOnlyList<object>>();
        foreach (var facility in facilities.Where(f => f.RegisteredAt <= at))
            histories.Add([.. (await session.Events.FetchStreamAsync(facility.Id, token: ct)).Select(e => e.Data)]);
        return CapacityPicture.AsItStoodAt(country, region, at, histories, policy);
    }
}
