using System.Text.RegularExpressions;
using CrisisOps.Testing;
using Xunit;

namespace CrisisOps.Deployment.Tests;

/// <summary>deploy/Dockerfile, read offline (no Docker engine here): one recipe, non-root, a grpc.health.v1 health check.</summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = Instructions(File.ReadAllText(Repository.File("deploy/Dockerfile")));

    [Fact]
    public void The_runtime_image_runs_as_the_non_root_user_and_checks_its_health_with_the_probe_it_ships()
    {
        var runtime = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(runtime);
        Assert.Equal("USER $APP_UID", Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal)));
        var check = Assert.Single(runtime, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.Contains("CMD [\"dotnet\", \"/app/health/crisisops-health.dll\"]", check, StringComparison.Ordinal);
        // The probe is published where the check runs it, from the project the tests exercise (TransportSecurityTests).
        Assert.Contains(Lines, l => l.StartsWith("RUN ", StringComparison.Ordinal)
            && l.Contains("dotnet publish deploy/CrisisOps.HealthProbe/CrisisOps.HealthProbe.csproj", StringComparison.Ordinal)
            && l.Contains("-o /app/health", StringComparison.Ordinal));
        Assert.True(File.Exists(Repository.File("deploy/CrisisOps.HealthProbe/CrisisOps.HealthProbe.csproj")));
        // TLS by default, with the files where k8s mounts cert-manager's Secret.
        var environment = Assert.Single(runtime, l => l.StartsWith("ENV ", StringComparison.Ordinal));
        Assert.Contains("ASPNETCORE_URLS=https://+:8443", environment, StringComparison.Ordinal);
        Assert.Contains("Tls__CertificateFile=/tls/tls.crt", environment, StringComparison.Ordinal);
        Assert.Contains("Tls__KeyFile=/tls/tls.key", environment, StringComparison.Ordinal);
    }

    /// <summary>The Dockerfile's instructions, comments dropped and continuation lines joined.</summary>
    private static string[] Instructions(string text) =>
        Continuation().Replace(string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#'))), " ")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"\\\s*\n\s*")]
    private static partial Regex Continuation();
}
