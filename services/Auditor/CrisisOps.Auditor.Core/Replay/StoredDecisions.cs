using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrisisOps.Auditor.Core.Replay;

// The auditor's reading of the events the services store: only the fields its checks need, by the names the services
// write, so that it depends on the stored history and not on the services' code. Unknown fields are ignored, fields a
// service does not write stay null, and an older field name (Actor.Ministry, now Organisation) still reads.

/// <summary>Who decided, as recorded.</summary>
public sealed record StoredActor(string? Subject, string? Name, string? Role, string? Country);

/// <summary>The decision metadata every decision event carries.</summary>
public sealed record StoredDecision(StoredActor? Actor, DateTimeOffset DecidedAt, string? LegalBasis, string? Justification, string? RequestId);

public sealed record CrisisDeclared(string CrisisId, string TargetCountry, bool QualifiesAsInstrumentalization, StoredDecision Decision);

public sealed record CrisisEnded(string CrisisId, string TargetCountry, bool EmergencyEnded, StoredDecision Decision);

public sealed record EmergencyDeclared(
    string CrisisId, string TargetCountry, string LegalBasisCode, string? CatalogueVersion, DateOnly StartDate, DateOnly EndDate,
    DateOnly LegalMaxEnd, DateOnly TotalCapEnd, DateTimeOffset ExpiresAt, StoredDecision Decision);

public sealed record EmergencyExtended(
    string CrisisId, int ExtensionNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    string? CatalogueVersion, StoredDecision Decision);

public sealed record EmergencyExpired(string CrisisId, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, StoredDecision Decision);

public sealed record EmergencyLifted(string CrisisId, StoredDecision Decision);

public sealed record StoredParameters(int? RegistrationDelayWeeks, IReadOnlyList<string>? CrossingPoints, bool ExcludesApr53Groups, bool IndividualAssessment);

public sealed record MeasureEnacted(
    string MeasureId, string Country, string TypeCode, string? CatalogueVersion, string? CrisisId, StoredParameters? Parameters,
    DateOnly StartDate, DateOnly? EndDate, DateOnly? LegalMaxEnd, DateOnly? TotalCapEnd, DateTimeOffset StartsAt, DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt, bool Provisional, StoredDecision Decision);

public sealed record MeasureExtended(
    string MeasureId, int ExtensionNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    string? CatalogueVersion, StoredDecision Decision);

public sealed record MeasureAmended(string MeasureId, StoredParameters? Parameters, StoredDecision Decision);

/// <summary>Revoked or annulled: a decision ends the measure at the moment it is taken.</summary>
public sealed record MeasureWithdrawn(string MeasureId, StoredDecision Decision);

public sealed record MeasureExpired(string MeasureId, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, StoredDecision Decision);

public sealed record MeasureEnded(string MeasureId, string? Reason, string? CrisisId, DateTimeOffset EndedAt, StoredDecision Decision);

public sealed record SafeguardBreachRefused(string Country, string? MeasureTypeCode, string Rule, string? Reason, StoredDecision Decision);

public sealed record LeverageProposed(string LeverageId, string Country, string TypeCode, string? CrisisId, bool ConditionalOnCrisis, StoredDecision Decision);

public sealed record LeverageImposed(
    string LeverageId, DateOnly StartDate, DateOnly? EndDate, DateOnly? LegalMaxEnd, DateOnly? TotalCapEnd, DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt, DateOnly? ReviewDueAt, string? CatalogueVersion, StoredDecision Decision);

public sealed record LeverageRenewed(
    string LeverageId, int RenewalNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    StoredDecision Decision);

public sealed record LeverageLifted(string LeverageId, string? Reason, StoredDecision Decision);

public sealed record LeverageLapsed(string LeverageId, DateTimeOffset LapsedAt, DateTimeOffset RecordedAt, StoredDecision Decision);

/// <summary>How the stored JSON is read.</summary>
public static class StoredJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Reads the decision of any event that carries one (generic: every service, every event type).</summary>
    public static StoredDecision? DecisionOf(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in data.EnumerateObject())
        {
            if (property.NameEquals("Decision") || property.NameEquals("decision"))
                return property.Value.ValueKind == JsonValueKind.Object ? property.Value.Deserialize<StoredDecision>(Options) : null;
        }

        return null;
    }

    /// <summary>The country an event concerns, as the services name it (<c>TargetCountry</c> or <c>Country</c>).</summary>
    public static string? CountryOf(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in data.EnumerateObject())
        {
            if ((property.NameEquals("TargetCountry") || property.NameEquals("Country") || property.NameEquals("country"))
                && property.Value.ValueKind == JsonValueKind.String)
                return property.Value.GetString();
        }

        return null;
    }
}
