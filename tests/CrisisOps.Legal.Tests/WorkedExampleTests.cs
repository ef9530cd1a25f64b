using NodaTime;
using Xunit;

namespace CrisisOps.Legal.Tests;

/// <summary>
/// Every worked example of <c>law/legal-bases.json</c>, the dates counsel reads beside the article, run through the same
/// arithmetic the services and the auditor decide with (<see cref="LegalLimits"/>, <see cref="LegalCalendar"/>).
/// </summary>
public sealed class WorkedExampleTests
{
    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var basis in Law.Catalogue.Bases)
            for (var i = 0; i < basis.Examples.Count; i++) data.Add(basis.Code, i);
        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void The_worked_example_gives_the_stated_last_days(string basis, int example)
    {
        var b = Law.Basis(basis);
        var e = b.Examples[example];
        var country = e.Country ?? b.Jurisdiction;

        var term = LegalLimits.Initial(b, country, e.FirstDayInForce, e.InitialLastDay, "example");

        Assert.Equal(e.InitialLastDay, term.LegalMaxEnd);
        Assert.Equal(e.TotalCapLastDay, term.TotalCapEnd);
        var beyond = Assert.Throws<RuleViolationException>(() => LegalLimits.Initial(b, country, e.FirstDayInForce, e.InitialLastDay.PlusDays(1), "example"));
        Assert.Equal("example.initial-duration", beyond.Rule);

        if (e.ExtendedFrom is not { } from) return;
        Assert.NotNull(e.ExtendedLastDay);
        var running = new LegalTerm(e.FirstDayInForce, from, from, term.TotalCapEnd, LegalCalendar.EndsAt(from, b.Zone));
        var now = b.Zone.AtStartOfDay(e.FirstDayInForce).ToInstant();
        var consent = b.Extension.ConsentRequired is null ? null : "consent recorded";

        var extended = LegalLimits.Extend(b, country, running, 0, e.ExtendedLastDay.Value, consent, now, "example");

        Assert.Equal(e.ExtendedLastDay, extended.End);
        Assert.Equal(e.ExtendedLastDay, extended.LegalMaxEnd);
        var further = Assert.Throws<RuleViolationException>(() =>
            LegalLimits.Extend(b, country, running, 0, e.ExtendedLastDay.Value.PlusDays(1), consent, now, "example"));
        Assert.Contains(further.Rule, new[] { "example.extension.length", "example.total-cap" });
    }

    [Fact]
    public void Every_time_limited_basis_has_at_least_two_worked_examples_and_none_is_in_force_until_repealed()
    {
        Assert.All(Law.TimeLimited, b => Assert.True(b.Examples.Count >= 2, $"{b.Code} has {b.Examples.Count} worked example(s)"));
        Assert.All(Law.Catalogue.Bases.Except(Law.TimeLimited), b => Assert.Empty(b.Examples));
    }

    [Fact]
    public void Every_extension_example_is_of_a_basis_that_can_be_extended()
    {
        Assert.All(Law.Catalogue.Bases.SelectMany(b => b.Examples.Where(e => e.ExtendedFrom is not null).Select(e => b)),
            b => Assert.NotEqual(0, b.Extension.MaxExtensions));
    }

    [Fact]
    public void Reg_1182_71_an_act_adopted_on_9_June_that_applies_from_10_June_ends_a_one_month_period_with_9_July()
    {
        var basis = Law.Basis("SBC-ART25A-1");

        Assert.Equal(new LocalDate(2027, 7, 9), LegalCalendar.LastDay(new LocalDate(2027, 6, 10), Period.FromMonths(1), basis, basis.HolidaysIn("PL")));
        Assert.Contains(basis.Examples, e => e.FirstDayInForce == new LocalDate(2027, 6, 10) && e.InitialLastDay == new LocalDate(2027, 7, 9));
    }

    [Fact]
    public void Reg_1182_71_31_January_plus_one_month_ends_with_the_last_day_of_February()
    {
        var basis = Law.Basis("SBC-ART25A-1");

        Assert.Equal(new LocalDate(2028, 2, 29), LegalCalendar.LastDay(new LocalDate(2028, 2, 1), Period.FromMonths(1), basis, basis.HolidaysIn("PL")));
        Assert.Equal(new LocalDate(2027, 2, 28), basis.Counting.Add(new LocalDate(2027, 1, 31), Period.FromMonths(1)));
    }

    [Fact]
    public void Reg_1182_71_a_period_ending_on_a_Sunday_before_a_Polish_holiday_runs_to_the_next_working_day()
    {
        var basis = Law.Basis("EU-CFMR-ART10");

        // 31 January 2028 + 3 months = Sunday 30 April; 1 May is Labour Day in Poland, 2 May a working day.
        Assert.Equal(new LocalDate(2028, 5, 2), LegalCalendar.LastDay(new LocalDate(2028, 2, 1), Period.FromMonths(3), basis, basis.HolidaysIn("PL")));
    }

    [Fact]
    public void Polish_law_30_days_from_2_September_2021_end_on_1_October_2021()
    {
        var basis = Law.Basis("PL-CONST-230");

        Assert.Equal(new LocalDate(2021, 10, 1), LegalCalendar.LastDay(new LocalDate(2021, 9, 2), Period.FromDays(30), basis, basis.HolidaysIn("PL")));
    }
}
