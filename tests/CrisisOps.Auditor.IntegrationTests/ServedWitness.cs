extern alias witness;
using CrisisOps.Transparency;
using Microsoft.AspNetCore.Builder;
using Cosigner = witness::CrisisOps.Witness.Cosigner;
using WitnessedLog = witness::CrisisOps.Witness.WitnessedLog;
using WitnessServer = witness::CrisisOps.Witness.WitnessServer;
using WitnessState = witness::CrisisOps.Witness.WitnessState;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// The witness of a <see cref="Witnessed"/> store served over real HTTP by its own Kestrel host on a random loopback port:
/// the same host <c>crisisops-witness run --listen</c> starts, on the same state and key.
/// </summary>
public sealed class ServedWitness : IAsyncDisposable
{
    private readonly NoteKey _key;
    private readonly Cosigner _cosigner;
    private readonly WebApplication _app;

    private ServedWitness(NoteKey key, Cosigner cosigner, WebApplication app)
    {
        _key = key;
        _cosigner = cosigner;
        _app = app;
    }

    /// <summary>Where it listens, ending in '/'.</summary>
    public Uri Url { get; private set; } = null!;

    public HttpClient Http { get; } = new();

    /// <summary>The origin's path under <see cref="Url"/>, its slashes kept.</summary>
    public static string PathOf(string origin) => string.Join('/', origin.Split('/').Select(Uri.EscapeDataString));

    public static async Task<ServedWitness> StartAsync(Witnessed w)
    {
        var logs = Path.Combine(w.Setup.Root, "witness", "logs-served");
        // The endpoint is the poll's; a push needs none, and nothing polls here.
        await File.WriteAllTextAsync(logs, $"{w.Setup.Key.Verifier} http://127.0.0.1:9\n");
        var key = NoteKey.Load(w.KeyFile);
        var cosigner = new Cosigner(key, new WitnessState(w.State), TimeProvider.System);
        var app = WitnessServer.Build(new Uri("http://127.0.0.1:0"), cosigner, WitnessedLog.ReadFile(logs));
        await app.StartAsync();
        var served = new ServedWitness(key, cosigner, app);
        served.Url = new Uri(WitnessServer.Addresses(app)[0].GetLeftPart(UriPartial.Authority) + "/");
        return served;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _cosigner.Dispose();
        _key.Dispose();
    }
}
