using System.Collections.Concurrent;
using NodaTime;
using PublicHoliday;

namespace CrisisOps.Legal;

/// <summary>
/// The public holidays of one jurisdiction: computed by the <c>PublicHoliday</c> library where it covers the country,
/// plus the dates the catalogue lists (an EU institution's own days, a one-off national holiday), for the years the
/// catalogue covers. A day in a year the calendar cannot answer for is a refusal, never a guess that it is a working day.
/// </summary>
/// <param name="Name">The calendar's name in the catalogue: an ISO country code, or a listed calendar such as <c>EU-INSTITUTIONS</c>.</param>
/// <param name="Country">ISO country code whose national holidays the library computes, or null for listed dates only.</param>
/// <param name="Dates">Holidays listed in the catalogue.</param>
/// <param name="ListedYears">With no <paramref name="Country"/>: the years <paramref name="Dates"/> are complete for.</param>
public sealed record HolidayCalendar(string Name, string? Country, IReadOnlyList<LocalDate> Dates, IReadOnlyList<int> ListedYears)
{
    /// <summary>The national holidays of <paramref name="country"/> as the library computes them (none listed).</summary>
    public static HolidayCalendar National(string country) =>
        Covers(country)
            ? new HolidayCalendar(country.ToUpperInvariant(), country.ToUpperInvariant(), [], [])
            : throw new RuleViolationException("law.holidays-unknown", $"the legal catalogue has no public holidays for {country}");

    private static readonly Dictionary<string, Func<PublicHolidayBase>> Library = new()
    {
        ["AT"] = () => new AustriaPublicHoliday(), ["BE"] = () => new BelgiumPublicHoliday(), ["HR"] = () => new CroatiaPublicHoliday(),
        ["CZ"] = () => new CzechRepublicPublicHoliday(), ["DK"] = () => new DenmarkPublicHoliday(), ["EE"] = () => new EstoniaPublicHoliday(),
        ["FI"] = () => new FinlandPublicHoliday(), ["FR"] = () => new FrancePublicHoliday(), ["DE"] = () => new GermanPublicHoliday(),
        ["GR"] = () => new GreecePublicHoliday(), ["HU"] = () => new HungaryPublicHoliday(), ["IE"] = () => new IrelandPublicHoliday(),
        ["IT"] = () => new ItalyPublicHoliday(), ["LV"] = () => new LatviaPublicHoliday(), ["LT"] = () => new LithuaniaPublicHoliday(),
        ["LU"] = () => new LuxembourgPublicHoliday(), ["NL"] = () => new DutchPublicHoliday(), ["NO"] = () => new NorwayPublicHoliday(),
        ["PL"] = () => new PolandPublicHoliday(), ["PT"] = () => new PortugalPublicHoliday(), ["RO"] = () => new RomanianPublicHoliday(),
        ["SK"] = () => new SlovakiaPublicHoliday(), ["SI"] = () => new SloveniaPublicHoliday(), ["ES"] = () => new SpainPublicHoliday(),
        ["SE"] = () => new SwedenPublicHoliday(), ["CH"] = () => new SwitzerlandPublicHoliday(),
    };

    private readonly ConcurrentDictionary<int, IReadOnlySet<LocalDate>> _years = new();

    /// <summary>Whether the library computes the national holidays of <paramref name="country"/>.</summary>
    public static bool Covers(string country) => Library.ContainsKey(country.ToUpperInvariant());

    /// <summary>Whether <paramref name="day"/> is a public holiday; a refusal when the calendar has no answer for its year.</summary>
    public bool IsHoliday(LocalDate day) => _years.GetOrAdd(day.Year, Year).Contains(day);

    private IReadOnlySet<LocalDate> Year(int year)
    {
        var days = Dates.Where(d => d.Year == year).ToHashSet();
        if (Country is { } country && Library.TryGetValue(country.ToUpperInvariant(), out var calendar))
        {
            days.UnionWith(calendar().PublicHolidays(year).Select(d => LocalDate.FromDateTime(d)));
            return days;
        }

        if (!ListedYears.Contains(year))
            throw new RuleViolationException("law.holidays-unknown",
                $"the legal catalogue lists no public holidays for {year} (it lists {string.Join(", ", ListedYears)}): a period end in that year cannot be computed");
        return days;
    }

    /// <summary>Equality over the calendar's definition only (the cache of computed years is not part of it).</summary>
    public bool Equals(HolidayCalendar? other) =>
        other is not null && Name == other.Name && Country == other.Country && Dates.SequenceEqual(other.Dates) && ListedYears.SequenceEqual(other.ListedYears);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Country, Dates.Count, ListedYears.Count);
}
