using NodaTime;

namespace CrisisOps.Legal;

/// <summary>How a legal text counts its periods.</summary>
public enum PeriodRule
{
    /// <summary>
    /// National acts that state explicit dates: the start day counts as the first day, so a 30-day
    /// state of emergency from 2 September 2021 is in force up to and including 1 October 2021.
    /// </summary>
    InclusiveCalendarDays,

    /// <summary>
    /// Regulation (EEC, Euratom) No 1182/71: the day of the triggering event is not counted; a period in months
    /// ends on the same date of the final month, or that month's last day; a period that would end on a
    /// Saturday, Sunday or public holiday runs to the end of the next working day.
    /// </summary>
    EuRegulation1182Of1971,
}

/// <summary>Period arithmetic over legal dates (NodaTime <see cref="LocalDate"/>; last days are inclusive).</summary>
public static class LegalCalendar
{
    /// <summary>The last day a period of <paramref name="length"/> that starts on <paramref name="start"/> covers.</summary>
    public static LocalDate LastDay(LocalDate start, Period length, PeriodRule rule, IReadOnlySet<LocalDate>? holidays = null) =>
        rule switch
        {
            PeriodRule.InclusiveCalendarDays => start.Plus(length).PlusDays(-1),
            PeriodRule.EuRegulation1182Of1971 => NextWorkingDay(start.Plus(length), holidays),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown period rule"),
        };

    /// <summary>The last day an extension of <paramref name="length"/> reaches when it follows a period ending on <paramref name="currentLastDay"/>.</summary>
    public static LocalDate ExtendedLastDay(LocalDate currentLastDay, Period length, PeriodRule rule, IReadOnlySet<LocalDate>? holidays = null) =>
        rule switch
        {
            // The extension starts the day after the current last day and counts that day as its first.
            PeriodRule.InclusiveCalendarDays => currentLastDay.Plus(length),
            // Under 1182/71 the end of the running period is the triggering event, itself not counted.
            PeriodRule.EuRegulation1182Of1971 => NextWorkingDay(currentLastDay.Plus(length), holidays),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "unknown period rule"),
        };

    /// <summary>The moment a period whose last day is <paramref name="lastDay"/> ends: the start of the next day in the issuer's time zone.</summary>
    public static Instant EndsAt(LocalDate lastDay, DateTimeZone zone) =>
        zone.AtStartOfDay(lastDay.PlusDays(1)).ToInstant();

    /// <summary>The day on which <paramref name="instant"/> falls in the issuer's time zone.</summary>
    public static LocalDate DayOf(Instant instant, DateTimeZone zone) => instant.InZone(zone).Date;

    private static LocalDate NextWorkingDay(LocalDate day, IReadOnlySet<LocalDate>? holidays)
    {
        while (day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || (holidays?.Contains(day) ?? false))
        {
            day = day.PlusDays(1);
        }

        return day;
    }
}
