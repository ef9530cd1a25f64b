using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace CrisisOps.Humanitarian.Tests;

/// <summary>
/// Reads the HXL export as a spreadsheet would, with CsvHelper's RFC 4180 parser: a reader independent of the writer
/// under test (quoted fields, doubled quotes, CRLF records). Shared with the integration tests by a linked file.
/// </summary>
public static class Csv
{
    public static List<string[]> Parse(string text)
    {
        using var reader = new StringReader(text);
        using var parser = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { HasHeaderRecord = false });
        var records = new List<string[]>();
        while (parser.Read()) records.Add(parser.Record ?? []);
        return records;
    }
}
