using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace CrisisOps.Witness;

/// <summary>
/// The witness's counters exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads it), so
/// whoever runs the witness can alert on <c>crisisops.witness.refused</c>; without it, the log lines and exit code report.
/// </summary>
public static class WitnessTelemetry
{
    /// <summary>Starts exporting, or returns null when no OTLP endpoint is configured.</summary>
    public static IDisposable? Start() =>
        Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT") is { Length: > 0 }
            ? Sdk.CreateMeterProviderBuilder().AddMeter(Cosigner.MeterName).AddOtlpExporter().Build()
            : null;
}
