using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Declaration.Crises;

/// <summary>The emergency as coordinators read it.</summary>
public sealed record EmergencyView(
    string LegalBasisCode,
    string CatalogueVersion,
    DateOnly StartDate,
    DateOnly EndDate,
    DateOnly LegalMaxEnd,
    DateOnly? TotalCapEnd,
    DateTimeOffset ExpiresAt,
    int ExtensionsUsed,
    int? MaxExtensions,
    EmergencyStatus Status);

/// <summary>The read model of a crisis (lists and details), written in the transaction of each decision.</summary>
public sealed record CrisisView(
    string Id,
    long Version,
    string TargetCountry,
    IReadOnlyList<string> BorderSections,
    Perpetrator Perpetrator,
    Scenario Scenario,
    QualificationCriteria Criteria,
    bool QualifiesAsInstrumentalization,
    IReadOnlyList<string> QualificationReasons,
    BlueprintStage Stage,
    CrisisStatus Status,
    EmergencyView? Emergency,
    DateTimeOffset DeclaredAt)
{
    /// <summary>The view of a crisis's state at <paramref name="version"/>.</summary>
    public static CrisisView From(Crisis c, long version) => new(c.Id, version, c.TargetCountry, c.BorderSections, c.Perpetrator,
        c.Scenario, c.Criteria!, c.QualifiesAsInstrumentalization, c.QualificationReasons, c.Stage, c.Status,
        c.Emergency is { } e
            ? new EmergencyView(e.LegalBasisCode, e.CatalogueVersion, e.StartDate, e.EndDate, e.LegalMaxEnd, e.TotalCapEnd, e.ExpiresAt,
                e.ExtensionsUsed, e.MaxExtensions, e.Status)
            : null,
        c.DeclaredAt);
}

/// <summary>How a crisis stream is folded and what its transaction writes besides the events.</summary>
public static class CrisisStream
{
    public const string ExpiryDeadline = "emergency-expiry";

    public static readonly StreamDefinition<Crisis> Definition = new(Crisis.Transition, Persist);

    private static void Persist(IDocumentOperations ops, StreamChange<Crisis> change)
    {
        ops.Store(CrisisView.From(change.State, change.Version));
        ops.Schedule(ExpiryDeadline, change.StreamId, change.State.NextDeadline);
    }

    /// <summary>One line a person reads, for histories and feeds.</summary>
    public static string Describe(object e) => e switch
    {
        CrisisDeclared d => $"Crisis declared for {d.TargetCountry} ({string.Join(", ", d.BorderSections)}), perpetrator {d.Perpetrator.Name}, scenario {d.Scenario}; {(d.QualifiesAsInstrumentalization ? "qualifies" : "does not qualify")} as instrumentalization",
        EmergencyDeclared d => $"Emergency declared under {d.LegalBasisCode} from {d.StartDate:yyyy-MM-dd} to {d.EndDate:yyyy-MM-dd} (legal maximum {d.LegalMaxEnd:yyyy-MM-dd})",
        EmergencyExtended d => $"Emergency extended (extension {d.ExtensionNumber}) from {d.PreviousEndDate:yyyy-MM-dd} to {d.NewEndDate:yyyy-MM-dd}{(d.ConsentReference is null ? "" : $", consent: {d.ConsentReference}")}",
        EmergencyExpired d => $"Emergency under {d.LegalBasisCode} expired at its legal end {d.ExpiredAt:O}",
        EmergencyLifted => "Emergency lifted before its legal end",
        CrisisStageChanged d => $"Stage changed from {d.From} to {d.To}",
        CrisisEnded d => d.EmergencyEnded ? "Crisis ended; its emergency ended with it" : "Crisis ended",
        _ => e.GetType().Name,
    };
}
