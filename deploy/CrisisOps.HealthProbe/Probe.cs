using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CrisisOps.HealthProbe;

/// <summary>
/// <c>crisisops-health [address]</c>: one grpc.health.v1 check of the service in the same container, for the image's
/// HEALTHCHECK and Kubernetes' exec probes (the kubelet's own gRPC probe speaks no TLS). The address defaults to the
/// first of <c>ASPNETCORE_URLS</c> with a wildcard host made 127.0.0.1. Exit 0 when the service answers SERVING,
/// 1 otherwise, 2 on a wrong address; a chiseled image has no curl or grpc_health_probe, and this needs nothing but
/// the runtime the service already has.
/// </summary>
public static class Probe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Runs one check; <paramref name="environment"/> reads a variable (tests pass their own).</summary>
    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, TextWriter error)
    {
        var text = args.FirstOrDefault() ?? LocalAddress(environment("ASPNETCORE_URLS"));
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https")
            || !(address.IsLoopback || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip))))
        {
            await error.WriteLineAsync($"crisisops-health: {text} is not an http:// or https:// loopback address");
            return 2;
        }

        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = Handler() });
        try
        {
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.Add(Timeout));
            if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return 0;
            await error.WriteLineAsync($"crisisops-health: {address} answers {reply.Status}");
        }
        catch (RpcException ex)
        {
            await error.WriteLineAsync($"crisisops-health: {address}: {ex.Status.StatusCode} {ex.Status.Detail}");
        }

        return 1;
    }

    /// <summary>The first address of <paramref name="urls"/> (ASPNETCORE_URLS), as reached from inside the container.</summary>
    public static string LocalAddress(string? urls)
    {
        var first = (urls ?? "http://127.0.0.1:8080").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault() ?? "http://127.0.0.1:8080";
        var scheme = first[..(first.IndexOf("://", StringComparison.Ordinal) + 3)];
        var rest = first[scheme.Length..];
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']', StringComparison.Ordinal) + 1)] : rest.Split(':', '/')[0];
        var local = host is "+" or "*" or "0.0.0.0" or "[::]" ? "127.0.0.1" : host;
        return scheme + local + rest[host.Length..];
    }

    private static SocketsHttpHandler Handler() => new()
    {
        ConnectTimeout = Timeout,
        // Loopback only (checked above): the probe sends no credential and reads one status from its own container,
        // whose certificate names the Service, not 127.0.0.1. Checking it here would prove nothing.
#pragma warning disable CA5359
        SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
#pragma warning restore CA5359
    };
}
