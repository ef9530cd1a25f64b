using NodaTime;

namespace CrisisOps.Legal;

/// <summary>Which day is the event from which a period runs (Reg. 1182/71 Art. 3(1): that day is not counted).</summary>
public enum TriggerDay
{
    /// <summary>
    /// The day before the first day in force: the act is adopted (or published) one day and applies from the next, so a
    /// one-month act that applies from 10 June runs to the end of 9 July. National acts that count their first day as day
    /// one ("30 days from 2 September" ends on 1 October) count the same way.
    /// </summary>
    DayBeforeFirstDayInForce,

    /// <summary>The first day in force is itself the event and is not counted: a month from 10 June ends on 10 July.</summary>
    FirstDayInForce,

    /// <summary>
    /// National acts that count their first day in force as day one (Polish and Greek practice): the period ends the day
    /// before the same date, so one month from 1 March ends on 31 March and 30 days from 2 September end on 1 October.
    /// </summary>
    FirstDayCountsAsDayOne,
}

/// <summary>What a period in months ends on when the final month has no day of the same date (31 January plus one month).</summary>
public enum MonthEndRounding
{
    /// <summary>The last day of that month (Reg. 1182/71 Art. 3(2)(c)): 31 January plus one month ends on 28 (or 29) February.</summary>
    LastDayOfMonth,

    /// <summary>The first day of the month after: 31 January plus one month ends on 1 March.</summary>
    FirstDayOfNextMonth,
}

/// <summary>What happens to a period that would end on a Saturday, Sunday or public holiday.</summary>
public enum NonWorkingDayRule
{
    /// <summary>It ends on that day (national acts that state explicit end dates).</summary>
    EndsOnThatDay,

    /// <summary>It runs to the end of the next working day (Reg. 1182/71 Art. 3(4)).</summary>
    MovesToNextWorkingDay,
}

/// <summary>How a legal text counts its periods: the triggering day, the month-end rounding and non-working days.</summary>
/// <param name="Trigger">The day the period runs from (not counted).</param>
/// <param name="MonthEnd">The rounding of a month-end that does not exist in the final month.</param>
/// <param name="NonWorkingDays">Whether an end on a non-working day moves.</param>
public sealed record CountingRule(TriggerDay Trigger, MonthEndRounding MonthEnd, NonWorkingDayRule NonWorkingDays)
{
    /// <summary>Reg. (EEC, Euratom) No 1182/71, for acts that apply from the day after their adoption.</summary>
    public static readonly CountingRule EuRegulation1182Of1971 =
        new(TriggerDay.DayBeforeFirstDayInForce, MonthEndRounding.LastDayOfMonth, NonWorkingDayRule.MovesToNextWorkingDay);

    /// <summary>National acts with explicit dates: the first day counts as day one; ends do not move.</summary>
    public static readonly CountingRule InclusiveCalendarDays =
        new(TriggerDay.FirstDayCountsAsDayOne, MonthEndRounding.LastDayOfMonth, NonWorkingDayRule.EndsOnThatDay);

    /// <summary>The rule in one line, as the APIs show it: trigger day, month-end rounding, non-working days.</summary>
    public string Summary => $"{Trigger}, {MonthEnd}, {NonWorkingDays}";

    /// <summary>The last day (before any move off a non-working day) of a period of <paramref name="length"/> from <paramref name="firstDayInForce"/>.</summary>
    public LocalDate End(LocalDate firstDayInForce, Period length) => Trigger switch
    {
        TriggerDay.DayBeforeFirstDayInForce => Add(firstDayInForce.PlusDays(-1), length),
        TriggerDay.FirstDayInForce => Add(firstDayInForce, length),
        _ => DayOne(firstDayInForce, length),
    };

    /// <summary>The last day of an extension of <paramref name="length"/> that follows a period ending on <paramref name="currentLastDay"/>.</summary>
    public LocalDate ExtensionEnd(LocalDate currentLastDay, Period length) =>
        // The end of the running period is the event an extension runs from; counted from day one, it starts the day after.
        Trigger == TriggerDay.FirstDayCountsAsDayOne ? DayOne(currentLastDay.PlusDays(1), length) : Add(currentLastDay, length);

    // Counted from day one, a period ends the day before the same date; where that date does not exist in the final month
    // (31 January plus one month), the month-end rounding has already given the period's last day.
    private LocalDate DayOne(LocalDate first, Period length)
    {
        var end = first.Plus(length);
        var truncated = (length.Months != 0 || length.Years != 0) && end.Day < first.Day;
        return truncated && MonthEnd == MonthEndRounding.LastDayOfMonth ? end : end.PlusDays(-1);
    }

    /// <summary><paramref name="from"/> plus <paramref name="length"/>, with this rule's month-end rounding.</summary>
    public LocalDate Add(LocalDate from, Period length)
    {
        // NodaTime's LocalDate.Plus truncates a month-end that does not exist to the month's last day.
        var end = from.Plus(length);
        if (MonthEnd == MonthEndRounding.FirstDayOfNextMonth && (length.Months != 0 || length.Years != 0)
            && end.Day < from.Day && end.Day == end.Calendar.GetDaysInMonth(end.Year, end.Month))
            return end.PlusDays(1);
        return end;
    }
}
