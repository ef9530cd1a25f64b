using System.Collections.Immutable;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.Deadlines;
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
    /// <summary>The view of a measure's state at <paramref name="version"/>.</summary>
    public static MeasureView From(Measure m, long version) => new(m.Id, version, m.Country, m.TypeCode, m.Category, m.Classification,
        m.CrisisId, m.DependsOnEmergency, m.Territory, m.Parameters, m.LegalBasisCitation, m.LegalActReference, m.DecidingAuthority,
        m.StartDate, m.Term?.End.ToDateOnly(), m.Term?.LegalMaxEnd.ToDateOnly(), m.Term?.TotalCapEnd?.ToDateOnly(),
        m.Term?.EndsAt.ToDateTimeOffset(), m.ReviewDueAt, m.ExtensionsUsed, m.MaxExtensions, m.Status, m.Confirmation, m.Provisional);
}

/// <summary>How a measure stream is folded and what its transaction writes besides the events.</summary>
public static class MeasureStream
{
    public const string ExpiryDeadline = "measure-expiry";

    public static readonly StreamDefinition<Measure> Definition = new(Measure.Transition, Persist);

    /// <summary>Measure streams are named so that the event history of measures can be told apart from refusals.</summary>
    public static string IdFor(Guid id) => $"measure-{id}";

    public static string RefusalsOf(string country) => $"refusals-{country}";

    private static void Persist(IDocumentOperations ops, StreamChange<Measure> change)
    {
        ops.Store(MeasureView.From(change.State, change.Version));
        ops.Schedule(ExpiryDeadline, change.StreamId, change.State.NextDeadline);
    }

    /// <summary>Refusals are a stream of their own per country: no state, nothing but the record.</summary>
    public static readonly StreamDefinition<object> Refusals = new((_, e) => e, (_, _) => { });

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
