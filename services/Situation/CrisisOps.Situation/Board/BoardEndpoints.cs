using System.Text.Json;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Security;
using CrisisOps.Situation.Grpc;
using CrisisOps.Situation.Messaging;
using CrisisOps.Situation.Picture;
using CrisisOps.Situation.Reports;
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
        api.MapPost("/reports", (IssueReportBody body, HttpContext http, ReportIssuer reports) => WithActor(http, async actor =>
        {
            if (!DateOnly.TryParse(body.From, System.Globalization.CultureInfo.InvariantCulture, out var from))
                return Refused(new InvalidFieldException("from", "must be a date (yyyy-mm-dd)"));
            if (!DateOnly.TryParse(body.To, System.Globalization.CultureInfo.InvariantCulture, out var to))
                return Refused(new InvalidFieldException("to", "must be a date (yyyy-mm-dd)"));
            try
            {
                var report = await reports.IssueAsync(actor, body.Scope ?? "", from, to, body.RequestId ?? "", http.RequestAborted);
                return Results.Json(report with { Html = "" }, SituationGrpcService.Json);
            }
            catch (DomainException ex)
            {
                return Refused(ex);
            }
        }));
        api.MapGet("/reports", (string scope, HttpContext http, ReportIssuer reports) =>
            WithActor(http, async actor => Results.Json(await reports.ListAsync(actor, scope, http.RequestAborted), SituationGrpcService.Json)));
        api.MapGet("/reports/{id}", (string id, HttpContext http, ReportIssuer reports) => WithActor(http, async actor =>
            await reports.ReadAsync(actor, id, http.RequestAborted) is { } report
                ? Results.Content(report.Html, "text/html; charset=utf-8")
                : Results.NotFound(new { error = $"no report {id} you may read" })));
        api.MapGet("/stream", (HttpContext http, SituationChanges changes) => WithActor(http, async actor =>
        {
            await StreamAsync(http, actor, changes);
            return Results.Empty;
        }));
        return app;
    }

    /// <summary>A refused request: the same statuses as the gRPC mapping, with the field or rule named.</summary>
    private static IResult Refused(DomainException ex) => Results.Json(new { error = ex.Message }, statusCode: ex switch
    {
        InvalidFieldException => StatusCodes.Status400BadRequest,
        NotPermittedException => StatusCodes.Status403Forbidden,
        NotFoundException => StatusCodes.Status404NotFound,
        _ => StatusCodes.Status409Conflict,
    });

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

/// <summary>The board's request to issue a situational report.</summary>
public sealed record IssueReportBody(string? Scope, string? From, string? To, string? RequestId);
