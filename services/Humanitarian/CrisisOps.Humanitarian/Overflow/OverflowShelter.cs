using System.Globalization;
using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Legal;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Humanitarian.Overflow;

/// <summary>
/// The automatic emergency-shelter request of a region: which one is open (if any), and how many were opened.
/// Written by the request stream's own transaction, so it never disagrees with the requests. Keyed by
/// <c>{country}/{region code}</c>.
/// </summary>
public sealed record OverflowShelterSlot(string Id, string? OpenRequestId, int Episodes);

/// <summary>Settings of the overflow choreography (<c>ReceptionOverflow</c> configuration section).</summary>
public sealed class OverflowOptions
{
    /// <summary>Hours after the overflow by which emergency shelter must be there.</summary>
    public int ShelterDeadlineHours { get; set; } = 24;
}

/// <summary>
/// What a reception overflow opens: an emergency-shelter request for the region, one at a time. The request's
/// stream id is deterministic per region and episode, so two overflows of one region decided at the same time
/// race for the same stream and only one request is opened.
/// </summary>
public static class OverflowShelter
{
    /// <summary>The actor of automatic requests: the system, acting on reception capacity's report.</summary>
    public static readonly Actor ReceptionOverflow = new("system:reception-overflow", "CrisisOps reception overflow", Role.System, "", "");

    public const string Item = "Emergency shelter";

    public const string Unit = "places";

    /// <summary>Only a region tipping into overflow opens a request (facility and country levels do not).</summary>
    public static bool Opens(Reception.ReceptionStrainChanged m) =>
        string.Equals(m.Scope, "Region", StringComparison.OrdinalIgnoreCase) && string.Equals(m.To, "Overflow", StringComparison.OrdinalIgnoreCase);

    /// <summary>The region code of the message (its scope id, the region's name where no code was given).</summary>
    public static string RegionCode(Reception.ReceptionStrainChanged m) =>
        (string.IsNullOrWhiteSpace(m.ScopeId) ? m.Region : m.ScopeId).Trim().ToUpperInvariant();

    public static string RegionKey(Reception.ReceptionStrainChanged m) => $"{m.Country.Trim().ToUpperInvariant()}/{RegionCode(m)}";

    /// <summary>
    /// The places to ask for: the people the region's facilities had no place for (turned away or waiting; those
    /// redirected are counted where they were sent), and any occupancy beyond capacity. Our reception never
    /// overbooks, so without people not placed (a message from before they were counted, or an overflow that left
    /// nobody out) it asks for one.
    /// </summary>
    public static int PlacesNeeded(Reception.ReceptionStrainChanged m) =>
        Math.Max(1, Math.Max(0, m.Occupied - m.Capacity) + (m.NotPlaced?.WithoutPlace ?? 0));

    /// <summary>
    /// <c>request-overflow-{country}-{region}-{episode}</c>, the region escaped so that distinct regions never share
    /// an id (the episode, a number, is always the last segment).
    /// </summary>
    public static string StreamIdFor(Reception.ReceptionStrainChanged m, int episode) =>
        string.Create(CultureInfo.InvariantCulture,
            $"request-overflow-{m.Country.Trim().ToUpperInvariant()}-{Uri.EscapeDataString(RegionCode(m))}-{episode}");

    /// <summary>
    /// The request an overflow opens, or null while the region's automatic request is still open (that request
    /// already asks for shelter there). Deadline and justification come from the message, so a redelivery or a late
    /// delivery decides the same.
    /// </summary>
    public static RequestAssistance? Request(Reception.ReceptionStrainChanged m, Guid messageId, OverflowShelterSlot? slot,
        int deadlineHours, DateTimeOffset now)
    {
        if (slot?.OpenRequestId is not null) return null;
        var country = m.Country.Trim().ToUpperInvariant();
        var code = RegionCode(m);
        var name = string.IsNullOrWhiteSpace(m.Region) ? code : m.Region.Trim();
        var location = new Location(country, name, string.Equals(name, code, StringComparison.OrdinalIgnoreCase) ? null : code, null, false);
        var episode = (slot?.Episodes ?? 0) + 1;
        var trigger = new OverflowTrigger(RegionKey(m), episode, name, m.Capacity, m.Occupied, m.OccupancyRate, m.ChangedAt, messageId);
        var justification = string.Create(CultureInfo.InvariantCulture,
            $"reception overflow in {name} ({country}) reported by reception capacity at {m.ChangedAt:O}: {m.Occupied} occupied for {m.Capacity} places ({m.OccupancyRate * 100:0}%){NotPlacedClause(m)}; access to basic needs must be guaranteed upon arrival");
        return new RequestAssistance(StreamIdFor(m, episode), country, location, Sector.Shelter, Item, PlacesNeeded(m), Unit,
            m.ChangedAt.AddHours(deadlineHours), Origins.ReceptionOverflow, trigger,
            new Decision(ReceptionOverflow, now, null, justification, $"reception-overflow/{messageId}"));
    }

    private static string NotPlacedClause(Reception.ReceptionStrainChanged m) => m.NotPlaced is { WithoutPlace: > 0 } n
        ? string.Create(CultureInfo.InvariantCulture, $", {n.WithoutPlace} people without a place ({n.Refused.Values.Sum()} refused, {n.Waiting.Values.Sum()} waiting)")
        : "";
}
