using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Declaration.EarlyWarning;

public sealed record GroupLevelView(IndicatorGroup Group, IndicatorLevel? Level, int Indicators);

/// <summary>The alert picture of one border section (read model).</summary>
public sealed record AlertPicture(
    string Id,
    long Version,
    string TargetCountry,
    string BorderSection,
    AlertLevel Level,
    IReadOnlyList<GroupLevelView> Groups,
    DateTimeOffset UpdatedAt)
{
    public static AlertPicture From(BorderWatch watch, long version) => new(watch.Id, version, watch.TargetCountry,
        watch.BorderSection, watch.Level,
        [.. Enum.GetValues<IndicatorGroup>().Select(g => new GroupLevelView(g, watch.GroupLevel(g), watch.GroupCount(g)))],
        watch.UpdatedAt);
}

public static class BorderWatchStream
{
    public static readonly StreamDefinition<BorderWatch> Definition = new(BorderWatch.Transition,
        (IDocumentOperations ops, StreamChange<BorderWatch> change) => ops.Store(AlertPicture.From(change.State, change.Version)),
        // Indicators of one border section arrive from many sources at once and carry no expected version.
        Serialized: true);
}
