using System.Text.Json;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Security;
using CrisisOps.Situation.Grpc;
using CrisisOps.Situation.Messaging;
using CrisisOps.Situation.Picture;
using Grpc.Core;

namespace CrisisOps.Situation.Board;

/// <summary>
/// The board's web side: its static pages (wwwroot) and a small JSON API and event stream behind the same bearer
/// tokens as gRPC. Server-sent events carry each change; the page then re-reads what it shows, so a lost event costs
/// at most one refresh interval, never a wrong figure.
/// </summary>
public static class BoardEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static WebApplication MapBoard(this WebApplication app)
    {
        // From beside the assembly, wherever the process was started (run.sh, the AppHost, a test).
        var pages = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = pages });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = pages });
        var api = app.MapGroup("/board/api").RequireAuthorization();
        api.MapGet("/me", (Func<HttpContext, Task<IResult>>)(http => WithActor(http, actor => Task.FromResult(Results.Json(new
        {
            actor.Subject, actor.Name, Role = actor.Role.ToString(), actor.Country, actor.Organisation,
        }, SituationGrpcService.Json)))));
        api.MapGet("/overview", (HttpContext http, SituationReader reader) =>
            WithActor(http, async actor => Results.Json(await reader.OverviewAsync(actor, http.RequestAborted), SituationGrpcService.Json)));
        api.MapGet("/crises/{id}", (string id, HttpContext http, SituationReader reader) => WithActor(http, async actor =>
            await reader.CrisisAsync(actor, id, http.RequestAborted) is { } view
                ? Results.Json(view, SituationGrpcService.Json)
                : Results.NotFound(new { error = $"no crisis {id} in the picture you may read" })));
        api.MapGet("/stream", (HttpContext http, SituationChanges changes) => WithActor(http, async actor =>
        {
            await StreamAsync(http, actor, changes);
            return Results.Empty;
        }));
        return app;
    }

    private static async Task<IResult> WithActor(HttpContext http, Func<Actor, Task<IResult>> work)
    {
        Actor actor;
        try
        {
            actor = Authentication.ActorOf(http.User);
        }
        catch (RpcException ex)
        {
            return Results.Json(new { error = ex.Status.Detail }, statusCode: StatusCodes.Status403Forbidden);
        }

        return await work(actor);
    }

    private static async Task StreamAsync(HttpContext http, Actor actor, SituationChanges changes)
    {
        var ct = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        using var subscription = changes.Subscribe();
        await http.Response.WriteAsync(": connected\n\n", ct);
        await http.Response.Body.FlushAsync(ct);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var beat = CancellationTokenSource.CreateLinkedTokenSource(ct);
                beat.CancelAfter(Heartbeat);
                try
                {
                    var change = await subscription.Reader.ReadAsync(beat.Token);
                    if (!actor.MayRead(change.Country)) continue;
                    await http.Response.WriteAsync($"event: change\ndata: {JsonSerializer.Serialize(change, SituationGrpcService.Json)}\n\n", ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Keeps proxies from closing an idle stream.
                    await http.Response.WriteAsync(": heartbeat\n\n", ct);
                }

                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page was closed.
        }
    }
}
