using CrisisOps.Legal;
using NodaTime;
using Xunit;

namespace CrisisOps.Declaration.Tests;

public class LegalCalendarTests
{
    private static readonly LegalBasis Poland = Samples.Catalogue.Emergency("PL-CONST-230");
    private static readonly LegalBasis Cfmr = Samples.Catalogue.Emergency("EU-CFMR-CID");

    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    private static LocalDate Eu(LocalDate first, Period length) => LegalCalendar.LastDay(first, length, Cfmr, Cfmr.HolidaysIn("PL"));

    [Fact]
    public void Inclusive_days_count_the_first_day_Poland_2021_thirty_days_end_on_1_October() =>
        Assert.Equal(D(2021, 10, 1), LegalCalendar.LastDay(D(2021, 9, 2), Period.FromDays(30), Poland, Poland.HolidaysIn("PL")));

    [Fact]
    public void Inclusive_extension_of_60_days_after_1_October_ends_30_November() =>
        Assert.Equal(D(2021, 11, 30), LegalCalendar.ExtendedLastDay(D(2021, 10, 1), Period.FromDays(60), Poland, Poland.HolidaysIn("PL")));

    [Fact]
    public void Under_1182_71_the_day_of_adoption_is_not_counted_an_act_applying_from_10_June_ends_with_9_July() =>
        Assert.Equal(D(2026, 7, 9), Eu(D(2026, 6, 10), Period.FromMonths(1)));

    [Fact]
    public void Eu_months_end_on_the_date_of_the_triggering_day_in_the_final_month() =>
        Assert.Equal(D(2026, 10, 14), Eu(D(2026, 7, 15), Period.FromMonths(3)));

    [Fact]
    public void Eu_months_end_on_the_last_day_when_the_date_does_not_exist_in_a_leap_year() =>
        Assert.Equal(D(2028, 2, 29), Eu(D(2027, 12, 1), Period.FromMonths(3)));

    [Fact]
    public void Eu_months_end_on_28_February_outside_leap_years() =>
        Assert.Equal(D(2023, 2, 28), Eu(D(2022, 12, 1), Period.FromMonths(3)));

    [Fact]
    public void Eu_period_ending_on_a_Saturday_runs_to_the_next_Monday()
    {
        // Triggered on 1 May 2026: three months end on Saturday 1 August, so the period runs to Monday 3 August.
        Assert.Equal(IsoDayOfWeek.Saturday, D(2026, 8, 1).DayOfWeek);
        Assert.Equal(D(2026, 8, 3), Eu(D(2026, 5, 2), Period.FromMonths(3)));
    }

    [Fact]
    public void Eu_period_ending_on_a_public_holiday_of_the_institutions_runs_to_the_next_working_day() =>
        // Triggered on 25 September: 25 December falls in the institutions' Christmas closure and New Year, then a weekend.
        Assert.Equal(D(2027, 1, 4), Eu(D(2026, 9, 26), Period.FromMonths(3)));

    [Fact]
    public void A_national_holiday_computed_by_the_library_moves_an_end_under_1182_71()
    {
        // 1 May 2028 (a Monday) is Labour Day in Poland: an end falling on it moves to 2 May, and 3 May is Constitution Day.
        var polish = HolidayCalendar.National("PL");
        Assert.True(polish.IsHoliday(D(2028, 5, 1)));
        Assert.True(polish.IsHoliday(D(2028, 5, 3)));
        Assert.False(polish.IsHoliday(D(2028, 5, 2)));
    }

    [Fact]
    public void A_period_ends_at_the_start_of_the_next_day_in_the_issuers_time_zone()
    {
        var warsaw = DateTimeZoneProviders.Tzdb["Europe/Warsaw"];
        // 1 October 2021 ends at 2 October 00:00 CEST = 1 October 22:00 UTC.
        Assert.Equal(Instant.FromUtc(2021, 10, 1, 22, 0), LegalCalendar.EndsAt(D(2021, 10, 1), warsaw));
    }

    [Fact]
    public void The_catalogue_loads_with_every_limit_as_data()
    {
        Assert.Equal(Period.FromDays(90), Poland.MaxInitialDuration);
        Assert.Equal(1, Poland.Extension.MaxExtensions);
        Assert.Equal(Period.FromDays(60), Poland.Extension.MaxExtensionLength);
        Assert.NotNull(Poland.Extension.ConsentRequired);
        Assert.Equal(CountingRule.EuRegulation1182Of1971, Cfmr.Counting);
        Assert.True(Cfmr.RequiresQualifiedInstrumentalization);
        Assert.StartsWith("sha256:", Samples.Catalogue.Version, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_legal_basis_is_refused_naming_the_field()
    {
        var ex = Assert.Throws<InvalidFieldException>(() => Samples.Catalogue.Emergency("XX-NOTHING"));
        Assert.Equal("legal_basis_code", ex.Field);
    }

    [Fact]
    public void A_basis_that_is_not_an_emergency_basis_cannot_be_declared_as_one() =>
        Assert.Throws<InvalidFieldException>(() => Samples.Catalogue.Emergency("SBC-ART25A-1"));
}
