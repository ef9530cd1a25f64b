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
        new(TriggerDay.DayBeforeFirstDayInForce, MonthEndRounding.LastDayOfMonth, NonWorkingDayRule.EndsOnThatDay);

    /// <summary>The rule in one line, as the APIs show it: trigger day, month-end rounding, non-working days.</summary>
    public string Summary => $"{Trigger}, {MonthEnd}, {NonWorkingDays}";

    /// <summary>The day the period starting on <paramref name="firstDayInForce"/> runs from.</summary>
    public LocalDate TriggerFor(LocalDate firstDayInForce) =>
        Trigger == TriggerDay.DayBeforeFirstDayInForce ? firstDayInForce.PlusDays(-1) : firstDayInForce;

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
