using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace CrisisOps.Legal;

/// <summary>Reads a legal catalogue from its JSON form (periods as ISO 8601, e.g. <c>P90D</c>, <c>P3M</c>).</summary>
public static class LegalCatalogueJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        Converters = { new JsonStringEnumConverter(), new PeriodConverter(), new LocalDateConverter() },
    };

    /// <summary>Parses and validates a catalogue; an invalid entry fails start-up with the entry's code.</summary>
    public static LegalCatalogue Parse(string json)
    {
        var file = Deserialize<CatalogueFile>(json);
        var bases = file.Bases ?? [];
        foreach (var b in bases) Validate(b);

        var duplicate = bases.GroupBy(b => b.Code).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"legal catalogue: code '{duplicate.Key}' appears twice");
        return new LegalCatalogue(file.Version ?? throw new InvalidDataException("legal catalogue: version is required"),
            bases, (file.Holidays ?? []).ToHashSet());
    }

    /// <summary>Reads any catalogue document with the catalogue's conventions (ISO periods and dates, enum names).</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException("legal catalogue: empty document");

    /// <summary>Refuses a legal basis whose limits are incomplete or whose time zone is unknown.</summary>
    public static void Validate(LegalBasis b)
    {
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(b.TimeZone) is null)
            throw new InvalidDataException($"legal catalogue {b.Code}: unknown time zone '{b.TimeZone}'");
        if (b.Extension is null || b.MaxInitialDuration is null || b.TotalCap is null)
            throw new InvalidDataException($"legal catalogue {b.Code}: maxInitialDuration, extension and totalCap are required");
    }

    private sealed record CatalogueFile(string? Version, List<LegalBasis>? Bases, List<LocalDate>? Holidays);

    private sealed class PeriodConverter : JsonConverter<Period>
    {
        public override Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            PeriodPattern.NormalizingIso.Parse(reader.GetString() ?? "").GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, Period value, JsonSerializerOptions options) =>
            writer.WriteStringValue(PeriodPattern.NormalizingIso.Format(value));
    }

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            LocalDatePattern.Iso.Parse(reader.GetString() ?? "").GetValueOrThrow();

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }
}
