using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using JasperFx.Events;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>Request validation and the common messages, the same in every service: the field is named on every refusal.</summary>
public static class ProtoFields
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A hash of the request as sent, so a reused request id with another request is refused.</summary>
    public static string Fingerprint(IMessage request) => Convert.ToHexString(SHA256.HashData(request.ToByteArray()));

    public static string Required(string? value, string field, int max = 200)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidFieldException(field, "is required");
        if (value.Length > max) throw new InvalidFieldException(field, $"is longer than {max} characters");
        return value.Trim();
    }

    public static string? Optional(string? value, string field, int max = 200) =>
        string.IsNullOrWhiteSpace(value) ? null : Required(value, field, max);

    public static string RequestId(string? value) => Required(value, "request_id", 100);

    public static string Justification(string? value) => Required(value, "justification", 4000);

    public static string Country(string? value, string field)
    {
        var c = Required(value, field, 2).ToUpperInvariant();
        return c.Length == 2 && c.All(char.IsAsciiLetterUpper) ? c : throw new InvalidFieldException(field, "must be an ISO 3166-1 alpha-2 code");
    }

    public static long ExpectedVersion(long value) =>
        value >= 1 ? value : throw new InvalidFieldException("expected_version", "is required: the version you last read (>= 1)");

    /// <summary>Refuses the zero value of a proto enum (its UNSPECIFIED member).</summary>
    public static T Enum<T>(T value, string field)
        where T : struct, System.Enum =>
        Convert.ToInt32(value, CultureInfo.InvariantCulture) == 0 ? throw new InvalidFieldException(field, "is required") : value;

    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static CommandResult ToResult(CommandOutcome o) => new() { Id = o.StreamId, Version = o.Version, Replayed = o.Replayed };

    public static HistoryEntry ToHistory(IEvent e, Func<object, string> describe)
    {
        var entry = new HistoryEntry
        {
            Version = e.Version,
            EventType = e.EventTypeName,
            RecordedAt = Timestamp.FromDateTimeOffset(e.Timestamp),
            Summary = describe(e.Data),
            DataJson = JsonSerializer.Serialize(e.Data, e.Data.GetType(), Json),
        };
        if (e.Data is IRecordedDecision { Decision: var d }) entry.Decision = ToProto(d);
        return entry;
    }

    public static DecisionRecord ToProto(Decision d) => new()
    {
        ActorSubject = d.Actor.Subject,
        ActorName = d.Actor.Name,
        Role = d.Actor.Role.ToString(),
        Ministry = d.Actor.Organisation,
        Country = d.Actor.Country,
        LegalBasis = d.LegalBasis ?? "",
        Justification = d.Justification,
        DecidedAt = Timestamp.FromDateTimeOffset(d.DecidedAt),
        RequestId = d.RequestId,
    };
}
