using CrisisOps.Auditor.Core.Replay;
using NodaTime;

namespace CrisisOps.Auditor.Core.Checks;

/// <summary>
/// Safeguard 3, held continuously: a crossing-point closure may stay in force only while at least one registration
/// point where asylum can be lodged stays open in its country, outside the points it closes (CFMR Art. 10(5); N.D. and
/// N.T. v Spain). The measures service checks it when a closure is enacted and ends the closure, stamped with the
/// moment of the fact, when the last such point closes; this timeline of reception's registration points lets the
/// audit prove it over the whole time each closure was in force.
/// </summary>
public sealed class RegistrationPointTimeline
{
    private readonly Dictionary<string, List<RegistrationPointChanged>> _byCountry = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether any registration point was seen: false when the audit did not read reception's store.</summary>
    public bool Seen => _byCountry.Count > 0;

    /// <summary>Records one opening or closing, as reception recorded it (in commit order).</summary>
    public void Record(RegistrationPointChanged change)
    {
        if (!_byCountry.TryGetValue(change.Country, out var changes)) _byCountry[change.Country] = changes = [];
        changes.Add(change);
    }

    /// <summary>
    /// The first moment in [<paramref name="from"/>, <paramref name="until"/>) at which no registration point of
    /// <paramref name="country"/> outside <paramref name="closed"/> was open; null when one always was.
    /// </summary>
    public Instant? FirstMomentWithoutOpenPoint(string country, IReadOnlySet<string> closed, Instant from, Instant until)
    {
        if (until <= from) return null;
        var changes = _byCountry.GetValueOrDefault(country)?.OrderBy(c => c.ChangedAt).ToList() ?? [];
        var open = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        for (; i < changes.Count && Instant.FromDateTimeOffset(changes[i].ChangedAt) <= from; i++) Apply(open, changes[i]);
        if (!open.Any(p => !closed.Contains(p))) return from;
        for (; i < changes.Count && Instant.FromDateTimeOffset(changes[i].ChangedAt) < until; i++)
        {
            Apply(open, changes[i]);
            if (!open.Any(p => !closed.Contains(p))) return Instant.FromDateTimeOffset(changes[i].ChangedAt);
        }

        return null;
    }

    private static void Apply(HashSet<string> open, RegistrationPointChanged change)
    {
        if (change.Open) open.Add(change.FacilityId);
        else open.Remove(change.FacilityId);
    }
}
