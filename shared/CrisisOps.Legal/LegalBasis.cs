using NodaTime;

namespace CrisisOps.Legal;

/// <summary>How a legal basis may be extended.</summary>
/// <param name="MaxExtensions">How many extensions the law allows (0 = none); null where the law sets no limit on their number.</param>
/// <param name="MaxExtensionLength">The longest single extension.</param>
/// <param name="ConsentRequired">The consent each extension needs (e.g. "Sejm consent"), or null when none is required.</param>
public sealed record ExtensionRule(int? MaxExtensions, Period MaxExtensionLength, string? ConsentRequired)
{
    /// <summary>Whether the law limits how many times the basis may be extended.</summary>
    public bool Unlimited => MaxExtensions is null;
}

/// <summary>Which actor may record a decision under a basis: the member state's own authorities, or an EU institution.</summary>
public enum DecidingLevel
{
    /// <summary>A national act: recorded by a ministry of the country it applies in.</summary>
    MemberState,

    /// <summary>An act of the Council or the Commission (a CFMR Council implementing decision, restrictive measures...).</summary>
    EuInstitution,
}

/// <summary>Who reviewed a catalogue entry against its text, and when.</summary>
public sealed record LegalReview(string Reviewer, LocalDate ReviewedOn);

/// <summary>
/// A worked example of a basis's counting rule, run by the test suite: a first day in force, and the last days the
/// law then allows. Counsel reads it beside the article's text.
/// </summary>
/// <param name="FirstDayInForce">The first day the act applies.</param>
/// <param name="InitialLastDay">The last day of the longest initial period.</param>
/// <param name="TotalCapLastDay">The last day of the total cap, or null where there is none.</param>
/// <param name="ExtendedLastDay">
/// With <paramref name="ExtendedFrom"/>: the latest end an extension from that last day may be given (the longest
/// extension, stopped by the total cap where it reaches beyond it).
/// </param>
/// <param name="ExtendedFrom">The last day of a running period an extension follows.</param>
/// <param name="Note">What the example shows.</param>
/// <param name="Country">
/// The member state applying the basis, whose holidays the example counts with: required where the basis's holidays are
/// those of the acting state (<c>ACTING-STATE</c>), and otherwise null.
/// </param>
public sealed record WorkedExample(
    LocalDate FirstDayInForce,
    LocalDate InitialLastDay,
    LocalDate? TotalCapLastDay,
    LocalDate? ExtendedFrom,
    LocalDate? ExtendedLastDay,
    string Note,
    string? Country = null);

/// <summary>
/// One entry of the legal catalogue: a citable basis with its time limits and counting rule. Data, reviewed by
/// lawyers (<c>law/legal-bases.json</c>), never code.
/// </summary>
/// <param name="Code">Stable catalogue code, e.g. <c>PL-CONST-230</c>.</param>
/// <param name="Title">Human title.</param>
/// <param name="Citation">The ELI identifier (or another citable reference where the act has none).</param>
/// <param name="VersionDate">The version (consolidation) of the act the entry was written against (ELI <c>eli:version_date</c>).</param>
/// <param name="Article">The article (and paragraph) the limits come from.</param>
/// <param name="Text">The article's text, quoted, so counsel reviews each entry beside it.</param>
/// <param name="Jurisdiction">ISO country code, or <c>EU</c>.</param>
/// <param name="DecidingAuthority">Who adopts the act.</param>
/// <param name="DecidedBy">Which kind of actor records it.</param>
/// <param name="DeclaresEmergency">An emergency basis: a state of emergency or crisis authorisation declared on a crisis.</param>
/// <param name="TimeZone">IANA zone in which the act's dates are read.</param>
/// <param name="Counting">How its periods are counted.</param>
/// <param name="Holidays">
/// The public holidays that move its period ends (where <see cref="CountingRule.NonWorkingDays"/> says so); null where they
/// are those of the member state applying it (EU law applied by national authorities: Reg. 1182/71 Art. 2(1)).
/// </param>
/// <param name="MaxInitialDuration">Longest initial period.</param>
/// <param name="Extension">Extension rule.</param>
/// <param name="TotalCap">Longest total from the first day, extensions included; null where the law sets none.</param>
/// <param name="RequiresQualifiedInstrumentalization">Lawful only while a crisis that qualifies as instrumentalization is declared.</param>
/// <param name="Review">Who reviewed the entry, and when.</param>
/// <param name="Examples">Worked examples of the counting rule (run by the tests).</param>
/// <param name="Notes">Lawyers' notes (sources, open questions).</param>
public sealed record LegalBasis(
    string Code,
    string Title,
    string Citation,
    LocalDate? VersionDate,
    string Article,
    string Text,
    string Jurisdiction,
    string DecidingAuthority,
    DecidingLevel DecidedBy,
    bool DeclaresEmergency,
    string TimeZone,
    CountingRule Counting,
    HolidayCalendar? Holidays,
    Period MaxInitialDuration,
    ExtensionRule Extension,
    Period? TotalCap,
    bool RequiresQualifiedInstrumentalization,
    LegalReview? Review,
    IReadOnlyList<WorkedExample> Examples,
    string Notes)
{
    /// <summary>The time zone in which this act's dates are read.</summary>
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb[TimeZone];

    /// <summary>The holidays that count for the basis applied in <paramref name="country"/>.</summary>
    public HolidayCalendar HolidaysIn(string country) => Holidays ?? HolidayCalendar.National(country);

    /// <summary>Whether the basis may be applied in <paramref name="country"/>.</summary>
    public bool AppliesTo(string country) =>
        Jurisdiction == "EU" || string.Equals(Jurisdiction, country, StringComparison.OrdinalIgnoreCase);
}
