using CsCheck;
using NodaTime;
using Xunit;

namespace CrisisOps.Legal.Tests;

/// <summary>
/// Properties of the counting rules over random first days (biased to month ends and leap years), lengths, member states
/// and extension sequences, with every basis of the catalogue. The dates stay where every calendar has an answer
/// (EU-INSTITUTIONS lists 2020-2030; the longest cap is 72 months).
/// </summary>
public sealed class CountingRulePropertyTests
{
    private static readonly LocalDate From = new(2021, 1, 1), To = new(2024, 6, 30);

    private static readonly Gen<LocalDate> AnyDay = Gen.Int[0, Period.Between(From, To, PeriodUnits.Days).Days].Select(From.PlusDays);

    // Month ends and the days around them are where month arithmetic goes wrong.
    private static readonly Gen<LocalDate> MonthEnd =
        Gen.Select(Gen.Int[0, 41], Gen.Int[-3, 1]).Select((m, d) => From.PlusMonths(m + 1).PlusDays(-1).PlusDays(d));

    private static readonly Gen<LocalDate> FirstDay = Gen.OneOf(AnyDay, MonthEnd);

    private static readonly Gen<string> ActingState = Gen.OneOf("PL", "LT", "GR", "LV", "DE", "FI", "ES");

    private static readonly Gen<Period> Length = Gen.OneOf(
        Gen.Int[1, 400].Select(Period.FromDays), Gen.Int[1, 36].Select(Period.FromMonths), Gen.Int[1, 2].Select(Period.FromYears));

    private static Gen<LegalBasis> BasisWhere(Func<LegalBasis, bool> which) => Gen.OneOf(Law.TimeLimited.Where(which).ToArray());

    private static bool NonWorking(LocalDate day, HolidayCalendar holidays) =>
        day.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday || holidays.IsHoliday(day);

    [Fact]
    public void Under_Reg_1182_71_a_period_ends_on_the_first_working_day_on_or_after_its_counted_end()
    {
        Gen.Select(BasisWhere(b => b.Counting.NonWorkingDays == NonWorkingDayRule.MovesToNextWorkingDay), ActingState, FirstDay, Length)
            .Sample((basis, country, first, length) =>
            {
                var holidays = basis.HolidaysIn(country);
                var counted = basis.Counting.End(first, length);

                var last = LegalCalendar.LastDay(first, length, basis, holidays);

                Assert.False(NonWorking(last, holidays), $"{basis.Code} in {country}: {last} is a Saturday, Sunday or holiday");
                Assert.True(last >= counted);
                for (var day = counted; day < last; day = day.PlusDays(1)) Assert.True(NonWorking(day, holidays), $"{day} was a working day");
            }, iter: 2000);
    }

    [Fact]
    public void A_national_act_counts_its_first_day_as_day_one_and_its_end_does_not_move()
    {
        Gen.Select(BasisWhere(b => b.Counting.NonWorkingDays == NonWorkingDayRule.EndsOnThatDay), FirstDay, Gen.Int[1, 400])
            .Sample((basis, first, days) =>
                Assert.Equal(first.PlusDays(days - 1), LegalCalendar.LastDay(first, Period.FromDays(days), basis, basis.HolidaysIn(basis.Jurisdiction))),
                iter: 2000);
    }

    [Fact]
    public void The_legal_maximum_of_an_initial_term_is_never_before_its_first_day_nor_after_the_total_cap_end()
    {
        Gen.Select(BasisWhere(_ => true), ActingState, FirstDay)
            .Sample((basis, country, first) =>
            {
                var term = LegalLimits.Initial(basis, country, first, first, "property");

                Assert.True(term.LegalMaxEnd >= first);
                if (term.TotalCapEnd is { } cap) Assert.True(term.LegalMaxEnd <= cap, $"{basis.Code}: {term.LegalMaxEnd} after the cap {cap}");
            }, iter: 2000);
    }

    private const string HolidaysUnknown = "law.holidays-unknown";

    [Fact]
    public void An_extension_never_ends_beyond_its_own_length_or_the_total_cap_and_the_count_is_kept()
    {
        Gen.Select(BasisWhere(b => b.Extension.MaxExtensions != 0), ActingState, FirstDay, Gen.Int[1, 420].Array[1, 8])
            .Sample((basis, country, first, steps) =>
            {
                var holidays = basis.HolidaysIn(country);
                var now = basis.Zone.AtStartOfDay(first).ToInstant();
                var term = LegalLimits.Initial(basis, country, first, first, "property");
                term = term with { End = term.LegalMaxEnd, EndsAt = LegalCalendar.EndsAt(term.LegalMaxEnd, basis.Zone) };
                var used = 0;
                foreach (var step in steps)
                {
                    var newEnd = term.End.PlusDays(step);
                    LocalDate longest;
                    try
                    {
                        longest = LegalCalendar.ExtendedLastDay(term.End, basis.Extension.MaxExtensionLength, basis, holidays);
                    }
                    catch (RuleViolationException unknown) when (unknown.Rule == HolidaysUnknown)
                    {
                        // An extension into years the catalogue lists no holidays for (a basis without a cap, renewed year
                        // after year): its longest end cannot be computed, so the extension is refused, never guessed.
                        Assert.Throws<RuleViolationException>(() => LegalLimits.Extend(basis, country, term, used, newEnd, "consent recorded", now, "property"));
                        break;
                    }

                    try
                    {
                        var extended = LegalLimits.Extend(basis, country, term, used, newEnd, "consent recorded", now, "property");
                        used++;
                        Assert.True(basis.Extension.MaxExtensions is null || used <= basis.Extension.MaxExtensions);
                        Assert.True(newEnd <= longest);
                        Assert.True(extended.LegalMaxEnd <= longest && extended.End <= extended.LegalMaxEnd);
                        if (term.TotalCapEnd is { } cap) Assert.True(extended.LegalMaxEnd <= cap && extended.End <= cap);
                        term = extended;
                    }
                    catch (RuleViolationException refused)
                    {
                        var why = refused.Rule switch
                        {
                            "property.extension.count" => used >= basis.Extension.MaxExtensions,
                            "property.extension.length" => newEnd > longest,
                            "property.total-cap" => newEnd > term.TotalCapEnd,
                            // Refused only for an end in (or settling into) a year past the catalogue's listed holidays.
                            HolidaysUnknown => holidays.ListedYears.Count > 0 && newEnd.Year >= holidays.ListedYears.Max(),
                            _ => false,
                        };
                        Assert.True(why, $"{basis.Code}: {refused.Message}");
                    }
                }
            }, iter: 1000);
    }

    [Fact]
    public void A_month_period_ends_on_the_same_date_or_as_the_rule_rounds_a_month_end_that_does_not_exist()
    {
        Gen.Select(Gen.OneOf(MonthEndRounding.LastDayOfMonth, MonthEndRounding.FirstDayOfNextMonth), FirstDay, Gen.Int[1, 36])
            .Sample((rounding, from, months) =>
            {
                var rule = new CountingRule(TriggerDay.DayBeforeFirstDayInForce, rounding, NonWorkingDayRule.EndsOnThatDay);
                var target = new LocalDate(from.Year, from.Month, 1).PlusMonths(months);
                var daysInTarget = target.Calendar.GetDaysInMonth(target.Year, target.Month);

                var end = rule.Add(from, Period.FromMonths(months));

                var expected = from.Day <= daysInTarget ? target.PlusDays(from.Day - 1)
                    : rounding == MonthEndRounding.LastDayOfMonth ? target.PlusDays(daysInTarget - 1)
                    : target.PlusMonths(1);
                Assert.Equal(expected, end);
            }, iter: 2000);
    }
}
