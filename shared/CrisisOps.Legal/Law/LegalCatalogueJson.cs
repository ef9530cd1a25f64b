using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace CrisisOps.Legal.Law;

/// <summary>
/// Reads the law from its folder (<c>law/legal-bases.json</c>, <c>law/holidays.json</c>, <c>law/measure-types.json</c>,
/// <c>law/leverage-types.json</c>), refuses an invalid entry naming the file, the entry and the field, and gives it its
/// content-hash version. The canonical content (what the version hashes, and what a store records when it adopts the
/// version) is read back by <see cref="ParseCanonical"/>, so the auditor decides with exactly what a service decided with.
/// </summary>
public static class LegalCatalogueJson
{
    /// <summary>The files of the law folder.</summary>
    public const string BasesFile = "legal-bases.json", HolidaysFile = "holidays.json", MeasuresFile = "measure-types.json",
        LeveragesFile = "leverage-types.json";

    /// <summary>The holiday calendar name of EU law applied by a member state's own authorities: that state's holidays.</summary>
    public const string ActingState = "ACTING-STATE";

    private static readonly JsonSerializerOptions Read = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(), new PeriodConverter(), new LocalDateConverter() },
    };

    private static readonly JsonSerializerOptions Write = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(), new PeriodConverter(), new LocalDateConverter() },
    };

    /// <summary>Reads and validates the law folder.</summary>
    public static LegalCatalogue Load(string directory)
    {
        T File<T>(string name)
        {
            var path = Path.Combine(directory, name);
            if (!System.IO.File.Exists(path)) throw new InvalidDataException($"law/{name}: missing in {directory}");
            try
            {
                return JsonSerializer.Deserialize<T>(System.IO.File.ReadAllText(path), Read) ?? throw new InvalidDataException($"law/{name}: empty");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"law/{name}: {ex.Path}: {ex.Message}", ex);
            }
        }

        var document = new LawDocument(File<BasesFile_>(BasesFile).Bases ?? [], File<HolidaysFile_>(HolidaysFile).Calendars ?? [],
            File<TypesFile<MeasureTypeEntry>>(MeasuresFile).Types ?? [], File<TypesFile<LeverageTypeEntry>>(LeveragesFile).Types ?? []);
        return Build(document);
    }

    /// <summary>Reads a catalogue from the canonical content a store recorded; refuses content whose hash is not its version.</summary>
    public static LegalCatalogue ParseCanonical(string content, string version)
    {
        var catalogue = Build(JsonSerializer.Deserialize<LawDocument>(content, Read) ?? throw new InvalidDataException("legal catalogue: empty"));
        if (catalogue.Version != version)
            throw new InvalidDataException($"legal catalogue {version}: the recorded content hashes to {catalogue.Version}");
        return catalogue;
    }

    /// <summary>The content hash of canonical content.</summary>
    public static string VersionOf(string canonical) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));

    private static LegalCatalogue Build(LawDocument document)
    {
        var calendars = new Dictionary<string, HolidayCalendar>(StringComparer.Ordinal);
        foreach (var c in document.Calendars)
        {
            var at = $"law/{HolidaysFile} calendars[{c.Name}]";
            var name = Required(c.Name, at, "name");
            if (c.Country is { } country && !HolidayCalendar.Covers(country))
                throw new InvalidDataException($"{at}.country: the PublicHoliday library does not cover '{country}': list its dates instead");
            if (c.Country is null && c.ListedYears is not { Count: > 0 })
                throw new InvalidDataException($"{at}.listedYears: is required for a calendar of listed dates (the years its dates are complete for)");
            var dates = c.Dates ?? [];
            if (c.Country is null && dates.FirstOrDefault(d => !c.ListedYears!.Contains(d.Year)) is { } stray && stray != default)
                throw new InvalidDataException($"{at}.dates: {Dates.Format(stray)} is outside listedYears");
            if (!calendars.TryAdd(name, new HolidayCalendar(name, c.Country, dates, c.ListedYears ?? [])))
                throw new InvalidDataException($"{at}: the calendar appears twice");
        }

        var bases = new Dictionary<string, LegalBasis>(StringComparer.Ordinal);
        foreach (var b in document.Bases)
        {
            var basis = Basis(b, calendars);
            if (!bases.TryAdd(basis.Code, basis)) throw new InvalidDataException($"law/{BasesFile} bases[{basis.Code}]: the code appears twice");
        }

        LegalBasis BasisOf(string? code, string at) =>
            bases.GetValueOrDefault(Required(code, at, "legalBasis"))
            ?? throw new InvalidDataException($"{at}.legalBasis: '{code}' is not a basis of law/{BasesFile}");

        var measures = new List<MeasureType>();
        foreach (var t in document.MeasureTypes)
        {
            var at = $"law/{MeasuresFile} types[{t.Code}]";
            var code = Required(t.Code, at, "code");
            if (measures.Any(m => m.Code == code)) throw new InvalidDataException($"{at}: the code appears twice");
            if (t.DependsOnEmergency is { } emergency && bases.GetValueOrDefault(emergency) is not { DeclaresEmergency: true })
                throw new InvalidDataException($"{at}.dependsOnEmergency: '{emergency}' is not an emergency basis (declaresEmergency) of law/{BasesFile}");
            measures.Add(new MeasureType(code, Required(t.Toolbox, at, "toolbox"), Required(t.Title, at, "title"),
                t.Category ?? throw Missing(at, "category"), t.Classification ?? throw Missing(at, "classification"), BasisOf(t.LegalBasis, at),
                t.DependsOnEmergency, t.ParliamentaryConfirmation, t.UntilRepealed, t.ProvisionalWithoutAuthorisation));
        }

        var leverages = new List<LeverageType>();
        foreach (var t in document.LeverageTypes)
        {
            var at = $"law/{LeveragesFile} types[{t.Code}]";
            var code = Required(t.Code, at, "code");
            if (leverages.Any(l => l.Code == code)) throw new InvalidDataException($"{at}: the code appears twice");
            if (t.Targets is not { Count: > 0 }) throw Missing(at, "targets");
            leverages.Add(new LeverageType(code, Required(t.Title, at, "title"), t.Category ?? throw Missing(at, "category"),
                t.Side ?? throw Missing(at, "side"), BasisOf(t.LegalBasis, at), t.ReviewEvery, t.Targets, t.EvidenceRequired, t.UntilRepealed));
        }

        var canonical = JsonSerializer.Serialize(document, Write);
        return new LegalCatalogue(VersionOf(canonical), canonical, [.. bases.Values], measures, leverages);
    }

    private static LegalBasis Basis(BasisEntry b, IReadOnlyDictionary<string, HolidayCalendar> calendars)
    {
        var at = $"law/{BasesFile} bases[{b.Code}]";
        var code = Required(b.Code, at, "code");
        var jurisdiction = Required(b.Jurisdiction, at, "jurisdiction");
        if (jurisdiction != "EU" && !(jurisdiction.Length == 2 && jurisdiction.All(char.IsAsciiLetterUpper)))
            throw new InvalidDataException($"{at}.jurisdiction: '{jurisdiction}' is neither EU nor an ISO 3166-1 alpha-2 code");
        var zone = Required(b.TimeZone, at, "timeZone");
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null) throw new InvalidDataException($"{at}.timeZone: '{zone}' is not an IANA time zone");
        var counting = b.Counting ?? throw Missing(at, "counting");
        var rule = new CountingRule(counting.Trigger ?? throw Missing(at, "counting.trigger"), counting.MonthEnd ?? throw Missing(at, "counting.monthEnd"),
            counting.NonWorkingDays ?? throw Missing(at, "counting.nonWorkingDays"));
        var holidaysName = Required(b.Holidays, at, "holidays");
        HolidayCalendar? holidays = holidaysName == ActingState ? null
            : calendars.GetValueOrDefault(holidaysName)
            ?? (HolidayCalendar.Covers(holidaysName) ? HolidayCalendar.National(holidaysName)
                : throw new InvalidDataException($"{at}.holidays: '{holidaysName}' is neither a calendar of law/{HolidaysFile}, a country the PublicHoliday library covers, nor {ActingState}"));
        var extension = b.Extension ?? throw Missing(at, "extension");
        if (extension.MaxExtensions is < 0) throw new InvalidDataException($"{at}.extension.maxExtensions: must be 0 or more, or null for no limit");
        var initial = b.MaxInitialDuration ?? throw Missing(at, "maxInitialDuration");
        var reference = new LocalDate(2000, 1, 1);
        if (b.TotalCap is { } cap && reference.Plus(cap) < reference.Plus(initial))
            throw new InvalidDataException($"{at}.totalCap: {cap} is shorter than maxInitialDuration {initial}");
        var review = b.Review is null ? null
            : new LegalReview(Required(b.Review.Reviewer, at, "review.reviewer"), b.Review.ReviewedOn ?? throw Missing(at, "review.reviewedOn"));
        var examples = (b.Examples ?? []).Select((e, i) => new WorkedExample(
            e.FirstDayInForce ?? throw Missing(at, $"examples[{i}].firstDayInForce"), e.InitialLastDay ?? throw Missing(at, $"examples[{i}].initialLastDay"),
            e.TotalCapLastDay, e.ExtendedFrom, e.ExtendedLastDay, e.Note ?? "", ExampleCountry(e.Country, holidays, at, i))).ToList();
        return new LegalBasis(code, Required(b.Title, at, "title"), Required(b.Citation, at, "citation", 2000), b.VersionDate, b.Article ?? "",
            b.Text ?? "", jurisdiction, Required(b.DecidingAuthority, at, "decidingAuthority"), b.DecidedBy ?? throw Missing(at, "decidedBy"),
            b.DeclaresEmergency, zone, rule, holidays, initial,
            new ExtensionRule(extension.MaxExtensions, extension.MaxExtensionLength ?? throw Missing(at, "extension.maxExtensionLength"),
                extension.ConsentRequired), b.TotalCap, b.RequiresQualifiedInstrumentalization, review, examples, b.Notes ?? "");
    }

    // An example of EU law applied by the acting state can only be counted with that state's holidays: it must name one.
    private static string? ExampleCountry(string? country, HolidayCalendar? holidays, string at, int index)
    {
        if (holidays is not null)
            return country is null ? null
                : throw new InvalidDataException($"{at}.examples[{index}].country: only an example of an {ActingState} basis names a country (this basis counts with {holidays.Name})");
        if (country is null)
            throw new InvalidDataException($"{at}.examples[{index}].country: is required for an {ActingState} basis (the member state whose holidays the example counts with)");
        return HolidayCalendar.Covers(country) ? country
            : throw new InvalidDataException($"{at}.examples[{index}].country: the PublicHoliday library does not cover '{country}'");
    }

    private static string Required(string? value, string at, string field, int max = 500)
    {
        if (string.IsNullOrWhiteSpace(value)) throw Missing(at, field);
        return value.Length <= max ? value : throw new InvalidDataException($"{at}.{field}: longer than {max} characters");
    }

    private static InvalidDataException Missing(string at, string field) => new($"{at}.{field}: is required");

    // The canonical document: what the version hashes. Property order is the declaration order below; never reorder.
    private sealed record LawDocument(List<BasisEntry> Bases, List<CalendarEntry> Calendars, List<MeasureTypeEntry> MeasureTypes,
        List<LeverageTypeEntry> LeverageTypes);

    private sealed record BasesFile_(List<BasisEntry>? Bases);

    private sealed record HolidaysFile_(List<CalendarEntry>? Calendars);

    private sealed record TypesFile<T>(List<T>? Types);

    private sealed record CalendarEntry(string? Name, string? Country, string? Description, string? Source, List<int>? ListedYears, List<LocalDate>? Dates);

    private sealed record CountingEntry(TriggerDay? Trigger, MonthEndRounding? MonthEnd, NonWorkingDayRule? NonWorkingDays);

    private sealed record ExtensionEntry(int? MaxExtensions, Period? MaxExtensionLength, string? ConsentRequired);

    private sealed record ReviewEntry(string? Reviewer, LocalDate? ReviewedOn);

    private sealed record ExampleEntry(LocalDate? FirstDayInForce, LocalDate? InitialLastDay, LocalDate? TotalCapLastDay, LocalDate? ExtendedFrom,
        LocalDate? ExtendedLastDay, string? Note, string? Country);

    private sealed record BasisEntry(string? Code, string? Title, string? Citation, LocalDate? VersionDate, string? Article, string? Text,
        string? Jurisdiction, string? DecidingAuthority, DecidingLevel? DecidedBy, bool DeclaresEmergency, string? TimeZone, CountingEntry? Counting,
        string? Holidays, Period? MaxInitialDuration, ExtensionEntry? Extension, Period? TotalCap, bool RequiresQualifiedInstrumentalization,
        ReviewEntry? Review, List<ExampleEntry>? Examples, string? Notes);

    private sealed record MeasureTypeEntry(string? Code, string? Toolbox, string? Title, MeasureCategory? Category, Classification? Classification,
        string? LegalBasis, string? DependsOnEmergency, bool ParliamentaryConfirmation, bool UntilRepealed, Period? ProvisionalWithoutAuthorisation);

    private sealed record LeverageTypeEntry(string? Code, string? Title, LeverageCategory? Category, LeverageSide? Side, string? LegalBasis,
        Period? ReviewEvery, List<TargetKind>? Targets, bool EvidenceRequired, bool UntilRepealed);

    private sealed class PeriodConverter : JsonConverter<Period>
    {
        public override Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            PeriodPattern.NormalizingIso.Parse(reader.GetString() ?? "") is { Success: true } p
                ? p.Value
                : throw new JsonException($"'{reader.GetString()}' is not an ISO 8601 period (P90D, P3M)");

        public override void Write(Utf8JsonWriter writer, Period value, JsonSerializerOptions options) =>
            writer.WriteStringValue(PeriodPattern.NormalizingIso.Format(value));
    }

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            LocalDatePattern.Iso.Parse(reader.GetString() ?? "") is { Success: true } d
                ? d.Value
                : throw new JsonException($"'{reader.GetString()}' is not a date (yyyy-MM-dd)");

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
            writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
    }
}
