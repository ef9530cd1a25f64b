using CrisisOps.Testing;
using Json.Schema;
using Xunit;

namespace CrisisOps.Deployment.Tests;

/// <summary>docker-compose.yml against the Compose Specification's JSON schema (deploy/schemas/compose-spec.json).</summary>
public sealed class ComposeFileTests
{
    private static readonly JsonSchema Compose = Load();

    /// <summary>The schema names its meta-schema as https://json-schema.org/draft-07/schema, which is draft 7's, offline.</summary>
    private static JsonSchema Load()
    {
        SchemaRegistry.Global.Register(new Uri("https://json-schema.org/draft-07/schema"), MetaSchemas.Draft7);
        return JsonSchema.FromText(File.ReadAllText(Repository.File("deploy/schemas/compose-spec.json")));
    }

    [Fact]
    public void The_compose_file_is_valid_and_runs_the_six_services_with_a_collector_and_a_trace_viewer()
    {
        var compose = Assert.Single(Manifests.Documents(File.ReadAllText(Repository.File("docker-compose.yml"))));

        var result = Compose.Evaluate(compose, new EvaluationOptions { OutputFormat = OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", result.Details.Where(d => d.HasErrors)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        var services = compose["services"]!.AsObject();
        Assert.Contains("otel-collector", services.Select(s => s.Key));
        Assert.Contains("jaeger", services.Select(s => s.Key));
        foreach (var name in new[] { "declaration", "measures", "reception", "humanitarian", "leverages", "auditor" })
            Assert.Equal("http://otel-collector:4317", services[name]!["environment"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]!.GetValue<string>());
    }

    [Fact]
    public void A_compose_file_with_a_misspelt_service_key_is_refused()
    {
        var compose = Assert.Single(Manifests.Documents("""
            services:
              declaration:
                image: crisisops/declaration:local
                port: ["127.0.0.1:5101:8080"]
            """));

        Assert.False(Compose.Evaluate(compose).IsValid);
    }
}
