using System.Text.Json.Nodes;
using CrisisOps.Testing;
using Xunit;

namespace CrisisOps.Deployment.Tests;

/// <summary>k8s/: both overlays build with kustomize and every manifest is valid, offline.</summary>
public sealed class KubernetesManifestsTests
{
    private static readonly string[] Services = ["declaration", "measures", "reception", "humanitarian", "leverages", "auditor"];

    [Theory]
    [InlineData("k8s/overlays/local")]
    [InlineData("k8s/overlays/production")]
    public async Task The_overlay_builds_and_every_manifest_is_valid_against_the_kubernetes_api_and_the_operators_crds(string overlay)
    {
        var documents = Manifests.Documents(await Manifests.BuildAsync(overlay));

        Assert.Empty(Manifests.Problems(documents));
        Assert.All(documents, d => Assert.Equal("crisisops", d["metadata"]?["namespace"]?.GetValue<string>()));
        var law = Assert.Single(documents, d => Kind(d, "ConfigMap") && Name(d).StartsWith("crisisops-law-", StringComparison.Ordinal));
        foreach (var service in Services)
        {
            var deployment = Assert.Single(documents, d => Kind(d, "Deployment") && Name(d) == $"crisisops-{service}");
            var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
            // grpc.health.v1 through the image's probe: the kubelet's gRPC probe cannot speak TLS.
            Assert.Contains("/app/health/crisisops-health.dll", container["readinessProbe"]?["exec"]?.ToJsonString() ?? "", StringComparison.Ordinal);
            Assert.Contains("/app/health/crisisops-health.dll", container["livenessProbe"]?["exec"]?.ToJsonString() ?? "", StringComparison.Ordinal);
            // TLS from the cert-manager Secret, mounted where the image looks for it.
            Assert.Equal(8443, container["ports"]![0]!["containerPort"]!.GetValue<long>());
            Assert.Contains(container["volumeMounts"]!.AsArray(), m => m!["mountPath"]!.GetValue<string>() == "/tls");
            Assert.Contains(deployment["spec"]!["template"]!["spec"]!["volumes"]!.AsArray(),
                v => v!["secret"]?["secretName"]?.GetValue<string>() == $"crisisops-{service}-tls");
            Assert.NotNull(container["resources"]?["requests"]?["cpu"]);
            Assert.NotNull(container["resources"]?["limits"]?["memory"]);
            // Secrets are referenced, never carried.
            Assert.DoesNotContain("Password=", deployment.ToJsonString(), StringComparison.Ordinal);
            if (service is not ("reception" or "auditor"))
                Assert.Contains(Name(law), deployment.ToJsonString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(documents, d => Kind(d, "Secret"));
        Assert.Contains(documents, d => Kind(d, "Cluster") && Name(d) == "crisisops-db");
        Assert.Contains(documents, d => Kind(d, "RabbitmqCluster") && Name(d) == "crisisops-mq");
        Assert.Equal(5, documents.Count(d => Kind(d, "Permission")));
        Assert.Contains(documents, d => Kind(d, "NetworkPolicy") && Name(d) == "crisisops-default-deny");
    }

    [Fact]
    public async Task Production_runs_replicated_with_disruption_budgets_autoscaling_and_archived_wal()
    {
        var documents = Manifests.Documents(await Manifests.BuildAsync("k8s/overlays/production"));

        foreach (var service in Services)
        {
            Assert.Contains(documents, d => Kind(d, "PodDisruptionBudget") && Name(d) == $"crisisops-{service}");
            Assert.Contains(documents, d => Kind(d, "HorizontalPodAutoscaler") && Name(d) == $"crisisops-{service}");
        }

        var database = Assert.Single(documents, d => Kind(d, "Cluster"));
        Assert.Equal(3, database["spec"]!["instances"]!.GetValue<long>());
        Assert.NotNull(database["spec"]!["backup"]?["barmanObjectStore"]?["wal"]);
        Assert.Contains(documents, d => Kind(d, "ScheduledBackup"));
        Assert.Equal(3, Assert.Single(documents, d => Kind(d, "RabbitmqCluster"))["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal("quorum", Assert.Single(documents, d => Kind(d, "Vhost"))["spec"]!["defaultQueueType"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_one_time_database_roles_job_is_valid()
    {
        var documents = Manifests.Documents(await File.ReadAllTextAsync(Repository.File("k8s/setup/db-roles.yaml")));

        Assert.NotEmpty(documents);
        Assert.Empty(Manifests.Problems(documents));
    }

    [Fact]
    public void A_misspelt_field_a_wrong_type_and_an_unknown_kind_are_each_named()
    {
        var documents = Manifests.Documents("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: typo
            spec:
              replica: 2
              selector:
                matchLabels: {app: typo}
              template:
                metadata:
                  labels: {app: typo}
                spec:
                  containers: [{name: c, image: i}]
            ---
            apiVersion: postgresql.cnpg.io/v1
            kind: Cluster
            metadata:
              name: wrong-type
            spec:
              instances: three
            ---
            apiVersion: example.org/v1
            kind: Unknown
            metadata:
              name: unknown
            """);

        var problems = Manifests.Problems(documents);

        Assert.Contains(problems, p => p.StartsWith("Deployment typo:", StringComparison.Ordinal) && p.Contains("replica", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Cluster wrong-type:", StringComparison.Ordinal) && p.Contains("/spec/instances", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Unknown unknown: no schema", StringComparison.Ordinal));
    }

    private static bool Kind(JsonObject d, string kind) => d["kind"]?.GetValue<string>() == kind;

    private static string Name(JsonObject d) => d["metadata"]?["name"]?.GetValue<string>() ?? "";
}
