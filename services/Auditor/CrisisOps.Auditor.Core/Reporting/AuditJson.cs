using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrisisOps.Auditor.Core.Reporting;

/// <summary>The report as JSON, for machines (pipelines, other tools).</summary>
public static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(AuditReport report) => JsonSerializer.Serialize(report, Options);

    public static AuditReport Deserialize(string json) =>
        JsonSerializer.Deserialize<AuditReport>(json, Options) ?? throw new JsonException("empty audit report");
}
