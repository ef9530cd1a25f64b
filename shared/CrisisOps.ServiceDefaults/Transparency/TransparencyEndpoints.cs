using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>Registers and maps the transparency log of a service's store (issue 11).</summary>
public static class TransparencyEndpoints
{
    /// <summary>The HTTP path of the latest checkpoint, as the signed note text (the path C2SP tlog-tiles logs use).</summary>
    public const string CheckpointPath = "/checkpoint";

    /// <summary>The checkpoint signer, its interval and the gRPC service.</summary>
    public static void AddCrisisOpsTransparency(this IServiceCollection services)
    {
        services.AddOptions<TransparencyOptions>().BindConfiguration("Transparency");
        services.AddSingleton<CheckpointLog>();
        services.AddSingleton<DecisionReceipts>();
        services.AddSingleton<IHostedService, CheckpointPublisher>();
    }

    /// <summary>Maps <c>GET /checkpoint</c> and the Transparency gRPC service, anonymous and read-only.</summary>
    public static void MapCrisisOpsTransparency(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<TransparencyGrpcService>().AllowAnonymous();
        app.MapGet(CheckpointPath, async (CheckpointLog log, CancellationToken ct) =>
        {
            if (log.Verifier is null) return Results.Problem("this service has no log key: it signs no checkpoint", statusCode: StatusCodes.Status503ServiceUnavailable);
            var signed = await log.LatestAsync(refresh: false, ct);
            return Results.Text(signed.ToString(), "text/plain; charset=utf-8");
        }).AllowAnonymous();
    }
}
