using NodaTime;

namespace CrisisOps.Legal;

/// <summary>
/// Period arithmetic over legal dates (NodaTime <see cref="LocalDate"/>; last days are inclusive), by the counting
/// rule and holidays of each legal basis (<see cref="CountingRule"/>, <see cref="HolidayCalendar"/>).
/// </summary>
public static class LegalCalendar
{
    /// <summary>The last day (with <paramref name="holidays"/> in force where the act is applied) a period of <paramref name="length"/> covers when <paramref name="firstDayInForce"/> is its first day.</summary>
    public static LocalDate LastDay(LocalDate firstDayInForce, Period length, LegalBasis basis, HolidayCalendar holidays) =>
        Settle(basis.Counting.End(firstDayInForce, length), basis, holidays);

    /// <summary>
    /// The last day an extension of <paramref name="length"/> reaches when it follows a period ending on
    /// <paramref name="currentLastDay"/>: the end of the running period is the event the extension runs from.
    /// </summary>
    public static LocalDate ExtendedLastDay(LocalDate currentLastDay, Period length, LegalBasis basis, HolidayCalendar holidays) =>
        Settle(basis.Counting.ExtensionEnd(currentLastDay, length), basis, holidays);

    /// <summary>The moment a period whose last day is <paramref name="lastDay"/> ends: the start of the next day in the issuer's time zone.</summary>
    public static Instant EndsAt(LocalDate lastDay, DateTimeZone zone) =>
        zone.AtStartOfDay(lastDay.PlusDays(1)).ToInstant();

    /// <summary>The day on which <paramref name="instant"/> falls in the issuer's time zone.</summary>
    public static LocalDate DayOf(Instant instant, DateTimeZone zone) => instant.InZone(zone).Date;

    private static LocalDate Settle(LocalDate day, LegalBasis basis, HolidayCalendar holidays)
    {
        if (basis.Counting.NonWorkingDays == NonWorkingDayRule.EndsOnThatDay) return day;
        while (day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || holidays.IsHoliday(day))
        {
            day = day.PlusDays(1);
        }

        return day;
    }
}
