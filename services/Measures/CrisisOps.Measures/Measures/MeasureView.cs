using System.Collections.Immutable;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Measures.Measures;

/// <summary>The read model of a measure, written in the transaction of each decision.</summary>
public sealed record MeasureView(
    string Id,
    long Version,
    string Country,
    string TypeCode,
    MeasureCategory Category,
    Classification Classification,
    string? CrisisId,
    string? DependsOnEmergency,
    ImmutableArray<string> Territory,
    MeasureParameters Parameters,
    string LegalBasisCitation,
    string LegalActReference,
    string DecidingAuthority,
    DateOnly StartDate,
    DateOnly? EndDate,
    DateOnly? LegalMaxEnd,
    DateOnly? TotalCapEnd,
    DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt,
    int ExtensionsUsed,
    int? MaxExtensions,
    MeasureStatus Status,
    Confirmation Confirmation,
    bool Provisional)
{
    public static MeasureView? Transition(MeasureView? view, object @event) => (view, @event) switch
    {
        (null, MeasureEnacted e) => new MeasureView(e.MeasureId, 0, e.Country, e.TypeCode, e.Category, e.Classification, e.CrisisId,
            e.DependsOnEmergency, e.Territory, e.Parameters, e.LegalBasisCitation, e.LegalActReference, e.DecidingAuthority, e.StartDate, e.EndDate,
            e.LegalMaxEnd, e.TotalCapEnd, e.ExpiresAt, e.ReviewDueAt, 0, e.MaxExtensions, MeasureStatus.InForce,
            e.ConfirmationRequired ? Confirmation.Pending : Confirmation.NotRequired, e.Provisional),
        (not null, MeasureExtended e) => view with
        {
            EndDate = e.NewEndDate,
            LegalMaxEnd = e.LegalMaxEnd,
            ExpiresAt = e.ExpiresAt,
            ExtensionsUsed = e.ExtensionNumber,
        },
        (not null, MeasureAmended e) => view with { Territory = e.Territory, Parameters = e.Parameters },
        (not null, MeasureRevoked) => view with { Status = MeasureStatus.Revoked },
        (not null, MeasureEndorsed) => view with { Confirmation = Confirmation.Endorsed },
        (not null, MeasureAnnulled) => view with { Status = MeasureStatus.Annulled },
        (not null, MeasureExpired) => view with { Status = MeasureStatus.Expired },
        (not null, MeasureEnded) => view with { Status = MeasureStatus.Ended },
        _ => view,
    };
}

/// <summary>How a measure stream is folded and what its transaction writes besides the events.</summary>
public static class MeasureStream
{
    public const string ExpiryDeadline = "measure-expiry";

    public static readonly StreamDefinition<Measure> Definition = new(Measure.Transition, Persist);

    /// <summary>Measure streams are named so that the event history of measures can be told apart from refusals.</summary>
    public static string IdFor(Guid id) => $"measure-{id}";

    public static string RefusalsOf(string country) => $"refusals-{country}";

    private static void Persist(IDocumentOperations ops, string id, Measure state, long version, IReadOnlyList<object> events)
    {
        ops.Store(events.Aggregate((MeasureView?)null, MeasureView.Transition)! with { Version = version });
        var deadlineId = Deadline.IdFor(ExpiryDeadline, id);
        if (state.NextDeadline is { } due)
            ops.Store(new Deadline { Id = deadlineId, Kind = ExpiryDeadline, StreamId = id, DueAt = due });
        else
            ops.Delete<Deadline>(deadlineId);
    }

    /// <summary>Refusals are a stream of their own per country: no state, nothing but the record.</summary>
    public static readonly StreamDefinition<object> Refusals = new((_, e) => e, (_, _, _, _, _) => { });

    public static string Describe(object e) => e switch
    {
        MeasureEnacted d => $"{d.TypeCode} enacted in {d.Country} ({string.Join(", ", d.Territory)}) from {d.StartDate:yyyy-MM-dd}" +
            (d.EndDate is { } end ? $" to {end:yyyy-MM-dd} (legal maximum {d.LegalMaxEnd:yyyy-MM-dd})" : $" until repealed, review due {d.ReviewDueAt:yyyy-MM-dd}") +
            (d.Provisional ? ", provisionally" : ""),
        MeasureExtended d => $"Extended (extension {d.ExtensionNumber}) from {d.PreviousEndDate:yyyy-MM-dd} to {d.NewEndDate:yyyy-MM-dd}{(d.ConsentReference is null ? "" : $", consent: {d.ConsentReference}")}",
        MeasureAmended d => $"Amended: territory {string.Join(", ", d.Territory)}",
        MeasureRevoked => "Revoked",
        MeasureEndorsed d => $"Endorsed by parliament ({d.ConfirmationReference})",
        MeasureAnnulled d => $"Annulled by parliament ({d.ConfirmationReference})",
        MeasureExpired d => $"Expired at its legal end {d.ExpiredAt:O}",
        MeasureEnded d => $"Ended because {(d.Reason == EndReason.CrisisEnded ? "its crisis" : "the emergency it was taken under")} {d.CrisisId} ended at {d.EndedAt:O}",
        SafeguardBreachRefused d => $"Refused ({d.Rule}): {d.Reason}",
        _ => e.GetType().Name,
    };
}
