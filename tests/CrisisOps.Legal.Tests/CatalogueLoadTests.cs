using System.Text.Json.Nodes;
using CrisisOps.Legal.Law;
using NodaTime;
using Xunit;

namespace CrisisOps.Legal.Tests;

/// <summary>
/// A broken catalogue is refused when it is loaded (at a service's start-up), with an error that names the file, the
/// entry and the field, so the lawyer who made the edit can find it.
/// </summary>
public sealed class CatalogueLoadTests
{
    private static string Refusal(string file, Action<JsonNode> edit) =>
        Assert.Throws<InvalidDataException>(() => LegalCatalogueJson.Load(Law.CopyWith(file, edit))).Message;

    [Fact]
    public void A_basis_without_its_deciding_authority_is_refused_naming_the_file_the_entry_and_the_field()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "PL-CONST-230").Remove("decidingAuthority"));

        Assert.StartsWith("law/legal-bases.json bases[PL-CONST-230].decidingAuthority: is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_basis_without_its_counting_rule_is_refused_naming_the_field()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "EU-CFMR-CID")["counting"]!.AsObject().Remove("nonWorkingDays"));

        Assert.StartsWith("law/legal-bases.json bases[EU-CFMR-CID].counting.nonWorkingDays: is required", message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_naming_the_entry_and_the_zone()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "LT-STATE-OF-EMERGENCY")["timeZone"] = "Europe/Atlantis");

        Assert.Equal("law/legal-bases.json bases[LT-STATE-OF-EMERGENCY].timeZone: 'Europe/Atlantis' is not an IANA time zone", message);
    }

    [Fact]
    public void An_unknown_holiday_calendar_is_refused_naming_the_entry_and_the_field()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "GR-CONST-44-1")["holidays"] = "GR-ISLANDS");

        Assert.StartsWith("law/legal-bases.json bases[GR-CONST-44-1].holidays: 'GR-ISLANDS' is neither a calendar of law/holidays.json", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_measure_type_whose_basis_does_not_exist_is_refused_naming_the_measure_type_and_the_basis()
    {
        var message = Refusal(LegalCatalogueJson.MeasuresFile, d => Law.Entry(d, "types", "PL-STATE-OF-EMERGENCY")["legalBasis"] = "PL-CONST-999");

        Assert.Equal("law/measure-types.json types[PL-STATE-OF-EMERGENCY].legalBasis: 'PL-CONST-999' is not a basis of law/legal-bases.json", message);
    }

    [Fact]
    public void A_leverage_type_whose_basis_does_not_exist_is_refused_naming_the_leverage_type()
    {
        var message = Refusal(LegalCatalogueJson.LeveragesFile, d => Law.Entry(d, "types", "EU-CFSP-RESTRICTIVE-MEASURES")["legalBasis"] = "EU-CFSP-0000");

        Assert.StartsWith("law/leverage-types.json types[EU-CFSP-RESTRICTIVE-MEASURES].legalBasis:", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_cap_shorter_than_the_initial_maximum_is_refused()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "PL-CONST-230")["totalCap"] = "P60D");

        Assert.Equal("law/legal-bases.json bases[PL-CONST-230].totalCap: P60D is shorter than maxInitialDuration P90D", message);
    }

    [Fact]
    public void A_worked_example_of_EU_law_applied_by_the_acting_state_must_name_that_state()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "SBC-ART5-4")["examples"]![0]!.AsObject().Remove("country"));

        Assert.StartsWith("law/legal-bases.json bases[SBC-ART5-4].examples[0].country: is required for an ACTING-STATE basis", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worked_example_without_its_initial_last_day_is_refused()
    {
        var message = Refusal(LegalCatalogueJson.BasesFile, d => Law.Entry(d, "bases", "PL-CONST-230")["examples"]![1]!.AsObject().Remove("initialLastDay"));

        Assert.Equal("law/legal-bases.json bases[PL-CONST-230].examples[1].initialLastDay: is required", message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var folder = Law.CopyWith(LegalCatalogueJson.HolidaysFile, _ => { });
        File.Delete(Path.Combine(folder, LegalCatalogueJson.HolidaysFile));

        var message = Assert.Throws<InvalidDataException>(() => LegalCatalogueJson.Load(folder)).Message;

        Assert.StartsWith("law/holidays.json: missing in ", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holidays_in_a_year_a_listed_calendar_does_not_cover_are_refused_never_taken_as_working_days()
    {
        var cid = Law.Basis("EU-CFMR-CID");

        var refused = Assert.Throws<RuleViolationException>(() =>
            LegalCalendar.LastDay(new LocalDate(2031, 3, 1), Period.FromMonths(3), cid, cid.HolidaysIn("PL")));

        Assert.Equal("law.holidays-unknown", refused.Rule);
        Assert.Contains("2031", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_total_cap_reaching_past_the_listed_years_refuses_the_decision_rather_than_guess()
    {
        // The 72-month cap of a partnership framework starting in 2026 ends in 2032: EU-INSTITUTIONS lists 2020-2030.
        var partnership = Law.Basis("EU-TALENT-PARTNERSHIPS");

        var refused = Assert.Throws<RuleViolationException>(() =>
            LegalLimits.Initial(partnership, "PL", new LocalDate(2026, 7, 1), new LocalDate(2027, 7, 1), "leverage"));

        Assert.Equal("law.holidays-unknown", refused.Rule);
    }
}
