using NodaTime;
using NodaTime.Text;

namespace CrisisOps.Legal;

/// <summary>Parsing of the ISO dates that cross the API, with the field named on failure.</summary>
public static class Dates
{
    /// <summary>Parses <c>yyyy-MM-dd</c> or refuses with the field name.</summary>
    public static LocalDate ParseField(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new InvalidFieldException(field, "is required (yyyy-MM-dd)");
        var result = LocalDatePattern.Iso.Parse(value);
        return result.Success ? result.Value : throw new InvalidFieldException(field, $"'{value}' is not a date (yyyy-MM-dd)");
    }

    /// <summary>ISO text of a date.</summary>
    public static string Format(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
