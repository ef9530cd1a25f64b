using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CrisisOps.Auditor.Core.Replay;

// The auditor's reading of the events the services store: only the fields its checks need, by the names the services
// write, so that it depends on the stored history and not on the services' code. Unknown fields are ignored, fields a
// service does not write stay null, and an older field name (Actor.Ministry, now Organisation) still reads.

/// <summary>Who decided, as recorded.</summary>
public sealed record StoredActor(string? Subject, string? Name, string? Role, string? Country);

/// <summary>The decision metadata every decision event carries.</summary>
public sealed record StoredDecision(StoredActor? Actor, DateTimeOffset DecidedAt, string? LegalBasis, string? Justification, string? RequestId);

/// <summary>An event the audit reads into one of its own records: its decision comes with it.</summary>
public interface IStoredDecisionEvent
{
    StoredDecision Decision { get; }
}

public sealed record CrisisDeclared(string CrisisId, string TargetCountry, bool QualifiesAsInstrumentalization, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record CrisisEnded(string CrisisId, string TargetCountry, bool EmergencyEnded, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record EmergencyDeclared(
    string CrisisId, string TargetCountry, string LegalBasisCode, string? CatalogueVersion, DateOnly StartDate, DateOnly EndDate,
    DateOnly LegalMaxEnd, DateOnly TotalCapEnd, DateTimeOffset ExpiresAt, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record EmergencyExtended(
    string CrisisId, int ExtensionNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    string? CatalogueVersion, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record EmergencyExpired(string CrisisId, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record EmergencyLifted(string CrisisId, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record StoredParameters(int? RegistrationDelayWeeks, IReadOnlyList<string>? CrossingPoints, bool ExcludesApr53Groups, bool IndividualAssessment);

public sealed record MeasureEnacted(
    string MeasureId, string Country, string TypeCode, string? CatalogueVersion, string? CrisisId, StoredParameters? Parameters,
    DateOnly StartDate, DateOnly? EndDate, DateOnly? LegalMaxEnd, DateOnly? TotalCapEnd, DateTimeOffset StartsAt, DateTimeOffset? ExpiresAt,
    DateOnly? ReviewDueAt, bool Provisional, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record MeasureExtended(
    string MeasureId, int ExtensionNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    string? CatalogueVersion, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record MeasureAmended(string MeasureId, StoredParameters? Parameters, StoredDecision Decision) : IStoredDecisionEvent;

/// <summary>Revoked or annulled: a decision ends the measure at the moment it is taken.</summary>
public sealed record MeasureWithdrawn(string MeasureId, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record MeasureExpired(string MeasureId, DateTimeOffset ExpiredAt, DateTimeOffset RecordedAt, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record MeasureEnded(string MeasureId, string? Reason, string? CrisisId, DateTimeOffset EndedAt, StoredDecision Decision) : IStoredDecisionEvent;

/// <summary>
/// A fact reception recorded (not a decision): a place where asylum can be lodged opened or closed. Safeguard 3 is
/// judged on these (<see cref="Checks.RegistrationPointTimeline"/>).
/// </summary>
public sealed record RegistrationPointChanged(string FacilityId, string Country, bool Open, DateTimeOffset ChangedAt);

public sealed record SafeguardBreachRefused(string Country, string? MeasureTypeCode, string Rule, string? Reason, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record LeverageProposed(string LeverageId, string Country, string TypeCode, string? CrisisId, bool ConditionalOnCrisis, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record LeverageImposed(
    string LeverageId, DateOnly StartDate, DateOnly? EndDate, DateOnly? LegalMaxEnd, DateOnly? TotalCapEnd, DateTimeOffset StartsAt,
    DateTimeOffset? ExpiresAt, DateOnly? ReviewDueAt, string? CatalogueVersion, StoredDecision Decision) : IStoredDecisionEvent;

public sealed record LeverageRenewed(
    string LeverageId, int RenewalNumber, DateOnly NewEndDate, DateOnly LegalMaxEnd, DateTimeOffset ExpiresAt, string? ConsentReference,
    StoredDecision Decision) : IStoredDecisionEvent;

public sealed record LeverageLifted(string LeverageId, string? Reason, StoredDecision Decision, DateTimeOffset? EndedAt) : IStoredDecisionEvent;

public sealed record LeverageLapsed(string LeverageId, DateTimeOffset LapsedAt, DateTimeOffset RecordedAt, StoredDecision Decision) : IStoredDecisionEvent;

/// <summary>The decision of an event of any other type or store, read generically.</summary>
public sealed record DecisionOnly(StoredDecision? Decision) : IStoredDecisionEvent
{
    StoredDecision IStoredDecisionEvent.Decision => Decision!;
}

/// <summary>The records above, read by generated code: the audit reads every decision of every store.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, UseStringEnumConverter = true)]
[JsonSerializable(typeof(LawAdopted))]
[JsonSerializable(typeof(StoredDecision))]
[JsonSerializable(typeof(DecisionOnly))]
[JsonSerializable(typeof(CrisisDeclared))]
[JsonSerializable(typeof(CrisisEnded))]
[JsonSerializable(typeof(EmergencyDeclared))]
[JsonSerializable(typeof(EmergencyExtended))]
[JsonSerializable(typeof(EmergencyExpired))]
[JsonSerializable(typeof(EmergencyLifted))]
[JsonSerializable(typeof(MeasureEnacted))]
[JsonSerializable(typeof(MeasureExtended))]
[JsonSerializable(typeof(MeasureAmended))]
[JsonSerializable(typeof(MeasureWithdrawn))]
[JsonSerializable(typeof(MeasureExpired))]
[JsonSerializable(typeof(MeasureEnded))]
[JsonSerializable(typeof(SafeguardBreachRefused))]
[JsonSerializable(typeof(LeverageProposed))]
[JsonSerializable(typeof(LeverageImposed))]
[JsonSerializable(typeof(LeverageRenewed))]
[JsonSerializable(typeof(LeverageLifted))]
[JsonSerializable(typeof(LeverageLapsed))]
[JsonSerializable(typeof(RegistrationPointChanged))]
public sealed partial class StoredJsonContext : JsonSerializerContext;

/// <summary>How the stored JSON is read.</summary>
public static class StoredJson
{
    /// <summary>Reads one of the audit's records from the event's UTF-8 data.</summary>
    public static T Read<T>(ReadOnlySpan<byte> utf8)
        where T : IStoredDecisionEvent =>
        JsonSerializer.Deserialize(utf8, (JsonTypeInfo<T>)StoredJsonContext.Default.GetTypeInfo(typeof(T))!)
        ?? throw new JsonException($"empty {typeof(T).Name}");

    /// <summary>Reads one of the audit's records with its generated type info (no look-up by type).</summary>
    public static T Read<T>(ReadOnlySpan<byte> utf8, JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(utf8, info) ?? throw new JsonException($"empty {typeof(T).Name}");

    /// <summary>Reads a fact a service recorded (an event that carries no decision).</summary>
    public static RegistrationPointChanged ReadRegistrationPoint(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize(utf8, StoredJsonContext.Default.RegistrationPointChanged) ?? throw new JsonException("empty RegistrationPointChanged");

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

/// <summary>A store adopted a version of the law: its content, which the version hashes.</summary>
public sealed record LawAdopted(string Version, string Content, StoredDecision Decision) : IStoredDecisionEvent;
