using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CrisisOps.Witness;

/// <summary>One origin in the witness's index (<c>GET /logs</c>).</summary>
/// <param name="Origin">The log's origin.</param>
/// <param name="Size">The size of the newest checkpoint cosigned, or null when none was.</param>
/// <param name="Cosigned">The path of the newest cosigned checkpoint.</param>
/// <param name="Refused">The path of the refusals.</param>
public sealed record WitnessedOrigin(string Origin, long? Size, string Cosigned, string Refused);

/// <summary>One refusal as served: its file's name in the state and its evidence, as kept.</summary>
/// <param name="File">The file's name (<c>{size}-{root}.refusal</c>).</param>
/// <param name="Evidence">The refusal file's text.</param>
public sealed record ServedRefusal(string File, string Evidence);

/// <summary>
/// The witness over HTTP: the read-only view of its state (what <c>crisisops-audit --witness URL</c> fetches) and the C2SP
/// tlog-witness <c>POST /add-checkpoint</c>, so a log can push its checkpoints instead of waiting to be polled. Both write
/// through the same <see cref="Cosigner"/> as the poll.
/// </summary>
public static class WitnessServer
{
    /// <summary>The C2SP tlog-witness content type of a 409 Conflict's body: the size cosigned, in decimal, and a newline.</summary>
    public const string SizeContentType = "text/x.tlog.size";

    private const string Text = "text/plain; charset=utf-8";

    /// <summary>The largest request body read: 63 proof lines and a checkpoint with its signatures fit many times over.</summary>
    private const int MostBodyBytes = 64 * 1024;

    /// <summary>Builds the host, bound to <paramref name="listen"/> only (Kestrel, HTTP/1.1 and HTTP/2).</summary>
    public static WebApplication Build(Uri listen, Cosigner cosigner, IReadOnlyList<WitnessedLog> logs)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(listen.GetLeftPart(UriPartial.Authority));
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MostBodyBytes);
        // The witness's own lines (cosigned, REFUSED) are its report; the host's chatter would drown them.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        Map(app, cosigner, logs.ToDictionary(l => l.Origin, StringComparer.Ordinal));
        return app;
    }

    /// <summary>The addresses the started host listens on (the port chosen when 0 was asked).</summary>
    public static IReadOnlyList<Uri> Addresses(WebApplication app) =>
        [.. app.Urls.Select(a => new Uri(a))];

    private static void Map(WebApplication app, Cosigner cosigner, Dictionary<string, WitnessedLog> logs)
    {
        var state = cosigner.State;
        app.MapGet("/logs", () => Results.Json(state.Origins().Union(logs.Keys).Order(StringComparer.Ordinal)
            .Select(o => new WitnessedOrigin(o, SizeOf(state.NewestCosigned(o)), "/cosigned/" + PathOf(o), "/refused/" + PathOf(o)))
            .ToList()));

        app.MapGet("/cosigned/{**origin}", (string origin) => state.NewestCosigned(origin) is { } note
            ? Results.Text(note, Text)
            : Results.Text($"the witness cosigned no checkpoint of {origin}\n", Text, statusCode: StatusCodes.Status404NotFound));

        app.MapGet("/refused/{**origin}", (string origin) => logs.ContainsKey(origin) || state.Origins().Contains(origin)
            ? Results.Json(state.Refusals(origin).Select(r => new ServedRefusal(r.Name, r.Evidence)).ToList())
            : Results.Text($"the witness does not witness {origin}\n", Text, statusCode: StatusCodes.Status404NotFound));

        app.MapPost("/add-checkpoint", async (HttpRequest request, CancellationToken ct) =>
        {
            CheckpointSubmission submission;
            try
            {
                using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
                submission = CheckpointSubmission.Parse(await reader.ReadToEndAsync(ct));
            }
            catch (Exception ex) when (ex is FormatException or DecoderFallbackException or BadHttpRequestException)
            {
                return Results.Text($"add-checkpoint: {ex.Message}\n", Text, statusCode: StatusCodes.Status400BadRequest);
            }

            var origin = submission.Checkpoint.Checkpoint.Origin;
            if (!logs.TryGetValue(origin, out var log))
                return Results.Text($"the witness does not witness {origin}\n", Text, statusCode: StatusCodes.Status404NotFound);
            return await cosigner.OneAtATimeAsync(() => Task.FromResult(Answer(cosigner, log, submission)), ct);
        });
    }

    /// <summary>Judges and acts, as the one writer.</summary>
    private static IResult Answer(Cosigner cosigner, WitnessedLog log, CheckpointSubmission submission)
    {
        var cosigned = cosigner.State.LastCosigned(log, cosigner.Verifier);
        switch (submission.Judge(log, cosigned))
        {
            case SubmissionAnswer.TurnedAway { Status: StatusCodes.Status409Conflict, CosignedSize: { } size }:
                return Size(size);
            case SubmissionAnswer.TurnedAway away:
                return Results.Text(away.Reason + "\n", Text, statusCode: away.Status);
            case SubmissionAnswer.Decided decided:
                var recorded = cosigner.Record(decided.Verdict, cosigned, decided.Proof, submission.Checkpoint);
                var status = SubmissionAnswer.StatusOf(decided.Verdict);
                if (recorded.Cosignature is { } cosignature) return Results.Text(cosignature.Line(), Text);
                if (status == StatusCodes.Status409Conflict) return Size(cosigned?.Checkpoint.Size ?? 0);
                return Results.Text(((WitnessVerdict.Refuse)decided.Verdict).Reason + "\n", Text, statusCode: status);
            default:
                throw new InvalidOperationException("an answer the witness does not know");
        }
    }

    private static IResult Size(long size) => Results.Text($"{size}\n", SizeContentType, statusCode: StatusCodes.Status409Conflict);

    private static long? SizeOf(string? note) => note is null ? null : Transparency.SignedCheckpoint.Parse(note).Checkpoint.Size;

    /// <summary>An origin as a path under a route: each segment escaped, its slashes kept.</summary>
    private static string PathOf(string origin) => string.Join('/', origin.Split('/').Select(Uri.EscapeDataString));
}
