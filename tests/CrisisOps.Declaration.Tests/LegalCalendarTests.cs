using CrisisOps.Legal;
using NodaTime;
using Xunit;

namespace CrisisOps.Declaration.Tests;

public class LegalCalendarTests
{
    private static LocalDate D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void Inclusive_days_count_the_first_day_Poland_2021_thirty_days_end_on_1_October() =>
        Assert.Equal(D(2021, 10, 1), LegalCalendar.LastDay(D(2021, 9, 2), Period.FromDays(30), PeriodRule.InclusiveCalendarDays));

    [Fact]
    public void Inclusive_extension_of_60_days_after_1_October_ends_30_November() =>
        Assert.Equal(D(2021, 11, 30), LegalCalendar.ExtendedLastDay(D(2021, 10, 1), Period.FromDays(60), PeriodRule.InclusiveCalendarDays));

    [Fact]
    public void Eu_months_end_on_the_same_date_of_the_final_month() =>
        Assert.Equal(D(2026, 10, 15), LegalCalendar.LastDay(D(2026, 7, 15), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971));

    [Fact]
    public void Eu_months_end_on_the_last_day_when_the_date_does_not_exist_in_a_leap_year() =>
        Assert.Equal(D(2028, 2, 29), LegalCalendar.LastDay(D(2027, 11, 30), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971));

    [Fact]
    public void Eu_months_end_on_28_February_outside_leap_years() =>
        Assert.Equal(D(2023, 2, 28), LegalCalendar.LastDay(D(2022, 11, 30), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971));

    [Fact]
    public void Eu_period_ending_on_a_Saturday_runs_to_the_next_Monday()
    {
        // 2026-08-01 + 3 months = 2026-11-01, a Sunday: runs to Monday 2 November.
        Assert.Equal(IsoDayOfWeek.Sunday, D(2026, 11, 1).DayOfWeek);
        Assert.Equal(D(2026, 11, 2), LegalCalendar.LastDay(D(2026, 8, 1), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971));
        // 2026-10-31 is a Saturday.
        Assert.Equal(D(2026, 11, 2), LegalCalendar.LastDay(D(2026, 7, 31), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971));
    }

    [Fact]
    public void Eu_period_ending_on_a_public_holiday_runs_to_the_next_working_day()
    {
        var holidays = new HashSet<LocalDate> { D(2026, 12, 25) };
        // Friday 25 December is a holiday, then the weekend: Monday 28 December.
        Assert.Equal(D(2026, 12, 28), LegalCalendar.LastDay(D(2026, 9, 25), Period.FromMonths(3), PeriodRule.EuRegulation1182Of1971, holidays));
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
        var pl = Samples.Catalogue.Get("PL-CONST-230");
        Assert.Equal(Period.FromDays(90), pl.MaxInitialDuration);
        Assert.Equal(1, pl.Extension.MaxExtensions);
        Assert.Equal(Period.FromDays(60), pl.Extension.MaxExtensionLength);
        Assert.NotNull(pl.Extension.ConsentRequired);
        var cfmr = Samples.Catalogue.Get("EU-CFMR-CID");
        Assert.Equal(PeriodRule.EuRegulation1182Of1971, cfmr.PeriodRule);
        Assert.True(cfmr.RequiresQualifiedInstrumentalization);
    }

    [Fact]
    public void An_unknown_legal_basis_is_refused_naming_the_field()
    {
        var ex = Assert.Throws<InvalidFieldException>(() => Samples.Catalogue.Get("XX-NOTHING"));
        Assert.Equal("legal_basis_code", ex.Field);
    }

    [Fact]
    public void A_catalogue_with_an_unknown_time_zone_fails_at_start_up() =>
        Assert.Throws<InvalidDataException>(() => LegalCatalogueJson.Parse("""
            { "version": "x", "bases": [ { "code": "A", "title": "t", "citation": "c", "jurisdiction": "PL", "decidingAuthority": "d",
              "timeZone": "Mars/Olympus", "periodRule": "InclusiveCalendarDays", "maxInitialDuration": "P1D",
              "extension": { "maxExtensions": 0, "maxExtensionLength": "P0D" }, "totalCap": "P1D",
              "requiresQualifiedInstrumentalization": false, "notes": "" } ] }
            """));
}
