using System.Net;
using System.Text.Json;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// Fetches what a witness publishes over HTTP (<c>crisisops-witness run --listen</c>): its index <c>GET /logs</c>, then per
/// origin the newest checkpoint it cosigned (<c>GET /cosigned/{origin}</c>) and every refusal it recorded
/// (<c>GET /refused/{origin}</c>), for <see cref="WitnessReader.Check"/> to check exactly as a copied directory. A witness
/// that cannot be reached or answers otherwise is an error naming its URL, never an empty witness that passes.
/// </summary>
public static class WitnessFetch
{
    /// <summary>Whether <c>--witness</c> names a witness's URL rather than a copy of its directory.</summary>
    public static bool IsUrl(string witness) =>
        Uri.TryCreate(witness, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    /// <summary>The cosigned notes and the refusal files, each with the URL it was read from.</summary>
    public static async Task<(IReadOnlyList<(string Source, string Text)> Cosigned, IReadOnlyList<(string Source, string Text)> Refused)> FetchAsync(
        Uri witness, HttpClient http, CancellationToken ct)
    {
        var root = witness.AbsoluteUri.EndsWith('/') ? witness : new Uri(witness.AbsoluteUri + "/");
        var index = await GetAsync(http, new Uri(root, "logs"), ct);
        var cosigned = new List<(string, string)>();
        var refused = new List<(string, string)>();
        List<Entry> entries;
        try
        {
            entries = JsonSerializer.Deserialize<List<Entry>>(index, Json) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"--witness {witness}: its /logs is not a witness's index: {ex.Message}", ex);
        }

        foreach (var entry in entries)
        {
            if (entry.Origin is null || entry.Cosigned is null || entry.Refused is null)
                throw new InvalidDataException($"--witness {witness}: an entry of its /logs names no origin, cosigned or refused path");
            if (entry.Size is not null)
            {
                var url = new Uri(root, entry.Cosigned.TrimStart('/'));
                cosigned.Add((url.AbsoluteUri, await GetAsync(http, url, ct)));
            }

            var refusalsUrl = new Uri(root, entry.Refused.TrimStart('/'));
            List<Refusal> refusals;
            try
            {
                refusals = JsonSerializer.Deserialize<List<Refusal>>(await GetAsync(http, refusalsUrl, ct), Json) ?? throw new JsonException("null");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"--witness {refusalsUrl}: not a list of refusals: {ex.Message}", ex);
            }

            refused.AddRange(refusals.Select(r => ($"{refusalsUrl.AbsoluteUri}#{r.File}", r.Evidence ?? "")));
        }

        return (cosigned, refused);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static async Task<string> GetAsync(HttpClient http, Uri url, CancellationToken ct)
    {
        try
        {
            using var response = await http.GetAsync(url, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.OK
                ? body
                : throw new IOException($"--witness: {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {body.Trim()}");
        }
        catch (HttpRequestException ex)
        {
            throw new IOException($"--witness: the witness at {url} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new IOException($"--witness: the witness at {url} did not answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
    }

    private sealed record Entry(string? Origin, long? Size, string? Cosigned, string? Refused);

    private sealed record Refusal(string? File, string? Evidence);
}
