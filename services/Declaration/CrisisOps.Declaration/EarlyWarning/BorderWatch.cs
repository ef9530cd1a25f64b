using System.Collections.Immutable;
using CrisisOps.Legal;

namespace CrisisOps.Declaration.EarlyWarning;

public enum IndicatorGroup { Intent, Potential, TerritorialVulnerability, PoliticalVulnerability }

public enum IndicatorLevel { Low = 1, Moderate = 2, High = 3, Critical = 4 }

public enum AlertLevel { Normal = 1, Elevated = 2, High = 3, Critical = 4 }

public sealed record IndicatorRecorded(
    string WatchId,
    string TargetCountry,
    string BorderSection,
    IndicatorGroup Group,
    string Kind,
    IndicatorLevel Level,
    string Evidence,
    string Source,
    DateTimeOffset ObservedAt,
    Decision Decision) : IRecordedDecision;

public sealed record AlertLevelChanged(string WatchId, string TargetCountry, string BorderSection, AlertLevel From, AlertLevel To, DateTimeOffset ChangedAt);

public sealed record RecordIndicator(
    string TargetCountry,
    string BorderSection,
    IndicatorGroup Group,
    string Kind,
    IndicatorLevel Level,
    string Evidence,
    string Source,
    DateTimeOffset ObservedAt,
    Decision Decision);

/// <summary>
/// The early-warning picture of one border section of a target country: the latest level of each indicator
/// kind, grouped as the report groups them (intent, potential, territorial and political vulnerability).
/// </summary>
public sealed record BorderWatch(
    string Id,
    string TargetCountry,
    string BorderSection,
    ImmutableDictionary<(IndicatorGroup Group, string Kind), IndicatorLevel> Latest,
    AlertLevel Level,
    DateTimeOffset UpdatedAt)
{
    public static string IdFor(string country, string section) => $"watch:{country.ToUpperInvariant()}:{section}";

    /// <summary>The level of a group: its most severe current indicator.</summary>
    public IndicatorLevel? GroupLevel(IndicatorGroup group) =>
        Latest.Where(x => x.Key.Group == group).Select(x => (IndicatorLevel?)x.Value).DefaultIfEmpty(null).Max();

    public int GroupCount(IndicatorGroup group) => Latest.Count(x => x.Key.Group == group);

    /// <summary>
    /// Instrumentalization needs both a perpetrator's intent and migrants it can move; vulnerability raises the
    /// stakes. Critical: intent and potential high or worse and a vulnerability at least moderate. High: intent
    /// and potential high or worse. Elevated: any group moderate or worse. Normal otherwise.
    /// </summary>
    public static AlertLevel Assess(Func<IndicatorGroup, IndicatorLevel?> level)
    {
        static int L(IndicatorLevel? l) => (int)(l ?? 0);
        var intent = L(level(IndicatorGroup.Intent));
        var potential = L(level(IndicatorGroup.Potential));
        var vulnerability = Math.Max(L(level(IndicatorGroup.TerritorialVulnerability)), L(level(IndicatorGroup.PoliticalVulnerability)));
        if (intent >= 3 && potential >= 3 && vulnerability >= 2) return AlertLevel.Critical;
        if (intent >= 3 && potential >= 3) return AlertLevel.High;
        if (Math.Max(Math.Max(intent, potential), vulnerability) >= 2) return AlertLevel.Elevated;
        return AlertLevel.Normal;
    }

    public static BorderWatch? Transition(BorderWatch? state, object @event) => (state, @event) switch
    {
        (_, IndicatorRecorded e) => Record(state ?? new BorderWatch(e.WatchId, e.TargetCountry, e.BorderSection,
            ImmutableDictionary<(IndicatorGroup, string), IndicatorLevel>.Empty, AlertLevel.Normal, e.ObservedAt), e),
        (not null, AlertLevelChanged e) => state with { Level = e.To },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to a border watch"),
    };

    private static BorderWatch Record(BorderWatch state, IndicatorRecorded e) => state with
    {
        Latest = state.Latest.SetItem((e.Group, e.Kind.Trim().ToLowerInvariant()), e.Level),
        UpdatedAt = e.ObservedAt > state.UpdatedAt ? e.ObservedAt : state.UpdatedAt,
    };

    public static IReadOnlyList<object> Decide(BorderWatch? state, RecordIndicator c)
    {
        var id = IdFor(c.TargetCountry, c.BorderSection);
        var recorded = new IndicatorRecorded(id, c.TargetCountry, c.BorderSection, c.Group, c.Kind, c.Level, c.Evidence,
            c.Source, c.ObservedAt, c.Decision);
        var after = Transition(state, recorded)!;
        var before = state?.Level ?? AlertLevel.Normal;
        var assessed = Assess(after.GroupLevel);
        return assessed == before
            ? [recorded]
            : [recorded, new AlertLevelChanged(id, c.TargetCountry, c.BorderSection, before, assessed, c.Decision.DecidedAt)];
    }
}
