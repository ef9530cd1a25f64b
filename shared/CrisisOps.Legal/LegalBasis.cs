using NodaTime;

namespace CrisisOps.Legal;

/// <summary>How a legal basis may be extended.</summary>
/// <param name="MaxExtensions">How many extensions the law allows (0 = none).</param>
/// <param name="MaxExtensionLength">The longest single extension.</param>
/// <param name="ConsentRequired">The consent each extension needs (e.g. "Sejm consent"), or null when none is required.</param>
public sealed record ExtensionRule(int MaxExtensions, Period MaxExtensionLength, string? ConsentRequired);

/// <summary>One entry of a legal catalogue: a citable basis with its time limits. Data, reviewed by lawyers, never code.</summary>
/// <param name="Code">Stable catalogue code, e.g. <c>PL-CONST-230</c>.</param>
/// <param name="Title">Human title.</param>
/// <param name="Citation">ELI or other citable reference.</param>
/// <param name="Jurisdiction">ISO country code, or <c>EU</c>.</param>
/// <param name="DecidingAuthority">Who adopts the act.</param>
/// <param name="TimeZone">IANA zone in which the act's dates are read.</param>
/// <param name="PeriodRule">How its periods are counted.</param>
/// <param name="MaxInitialDuration">Longest initial period.</param>
/// <param name="Extension">Extension rule.</param>
/// <param name="TotalCap">Longest total from the first day, extensions included.</param>
/// <param name="RequiresQualifiedInstrumentalization">Lawful only while a crisis that qualifies as instrumentalization is declared.</param>
/// <param name="Notes">Lawyers' notes (sources, open questions).</param>
public sealed record LegalBasis(
    string Code,
    string Title,
    string Citation,
    string Jurisdiction,
    string DecidingAuthority,
    string TimeZone,
    PeriodRule PeriodRule,
    Period MaxInitialDuration,
    ExtensionRule Extension,
    Period TotalCap,
    bool RequiresQualifiedInstrumentalization,
    string Notes)
{
    /// <summary>The time zone in which this act's dates are read.</summary>
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZone];

    /// <summary>Whether the basis may be applied in <paramref name="country"/>.</summary>
    public bool AppliesTo(string country) =>
        Jurisdiction == "EU" || string.Equals(Jurisdiction, country, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A versioned set of legal bases, loaded at start-up from data.</summary>
/// <param name="Version">The catalogue version (recorded on every decision that used it).</param>
/// <param name="Bases">The entries.</param>
/// <param name="Holidays">Public holidays that move period ends under <see cref="PeriodRule.EuRegulation1182Of1971"/>.</param>
public sealed record LegalCatalogue(string Version, IReadOnlyList<LegalBasis> Bases, IReadOnlySet<LocalDate> Holidays)
{
    /// <summary>The basis with this code, or a refusal naming the field.</summary>
    public LegalBasis Get(string code, string field = "legal_basis_code") =>
        Bases.FirstOrDefault(b => b.Code == code)
        ?? throw new InvalidFieldException(field, $"'{code}' is not in legal catalogue {Version}");
}
