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
    public static CrisisView? Transition(CrisisView? view, object @event) => (view, @event) switch
    {
        (null, CrisisDeclared e) => new CrisisView(e.CrisisId, 0, e.TargetCountry, e.BorderSections, e.Perpetrator,
            e.Scenario, e.Criteria, e.QualifiesAsInstrumentalization, e.QualificationReasons, e.Stage, CrisisStatus.Active,
            null, e.Decision.DecidedAt),
        (not null, EmergencyDeclared e) => view with
        {
            Emergency = new EmergencyView(e.LegalBasisCode, e.CatalogueVersion, e.StartDate, e.EndDate, e.LegalMaxEnd,
                e.TotalCapEnd, e.ExpiresAt, 0, e.MaxExtensions, EmergencyStatus.InForce),
        },
        (not null, EmergencyExtended e) => view with
        {
            Emergency = view.Emergency! with
            {
                EndDate = e.NewEndDate,
                LegalMaxEnd = e.LegalMaxEnd,
                ExpiresAt = e.ExpiresAt,
                ExtensionsUsed = e.ExtensionNumber,
            },
        },
        (not null, EmergencyExpired) => view with { Emergency = view.Emergency! with { Status = EmergencyStatus.Expired } },
        (not null, EmergencyLifted) => view with { Emergency = view.Emergency! with { Status = EmergencyStatus.Lifted } },
        (not null, CrisisStageChanged e) => view with { Stage = e.To },
        (not null, CrisisEnded e) => view with
        {
            Status = CrisisStatus.Ended,
            Emergency = e.EmergencyEnded ? view.Emergency! with { Status = EmergencyStatus.EndedWithCrisis } : view.Emergency,
        },
        _ => view,
    };
}

/// <summary>How a crisis stream is folded and what its transaction writes besides the events.</summary>
public static class CrisisStream
{
    public const string ExpiryDeadline = "emergency-expiry";

    public static readonly StreamDefinition<Crisis> Definition = new(Crisis.Transition, Persist);

    private static void Persist(IDocumentOperations ops, string id, Crisis state, long version, IReadOnlyList<object> events)
    {
        ops.Store(events.Aggregate((CrisisView?)null, CrisisView.Transition)! with { Version = version });
        var deadlineId = Deadline.IdFor(ExpiryDeadline, id);
        if (state.NextDeadline is { } due)
            ops.Store(new Deadline { Id = deadlineId, Kind = ExpiryDeadline, StreamId = id, DueAt = due });
        else
            ops.Delete<Deadline>(deadlineId);
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
