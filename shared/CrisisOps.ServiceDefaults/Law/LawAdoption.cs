using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrisisOps.ServiceDefaults.Law;

/// <summary>
/// A service adopted a version of the law: its full canonical content, recorded once in the service's own store, so
/// that the auditor re-decides every decision with exactly the law it was taken under, read from the store itself.
/// </summary>
/// <param name="Version">The content hash (<see cref="LegalCatalogue.Version"/>) every decision under it names.</param>
/// <param name="Content">The canonical content the version hashes.</param>
/// <param name="Source">Where the service read it (the law folder).</param>
/// <param name="Decision">The system actor of the service's start-up, and why.</param>
public sealed record LawAdopted(string Version, string Content, string Source, Decision Decision) : IRecordedDecision;

/// <summary>The law a service decides with: loaded and validated at start-up, adopted into its store before it serves.</summary>
public static class LawAdoption
{
    /// <summary>The stream that records the adoption of one version.</summary>
    public static string StreamOf(string version) => "law-" + version;

    /// <summary>The actor recorded on an adoption: the service's start-up under the law its operator deployed.</summary>
    public static readonly Actor Adopter = new("system:law-adoption", "CrisisOps law adoption at start-up", Role.System, "", "");

    private static readonly StreamDefinition<LawAdopted> Stream = new(
        (state, e) => e as LawAdopted ?? state,
        static (_, _) => { });

    /// <summary>
    /// Loads the law from <c>Law:Directory</c> (default: the <c>law/</c> folder shipped beside the program) and
    /// registers it. An invalid entry stops the start-up with an error naming the file, the entry and the field; a new
    /// jurisdiction or an amended law is a data change, picked up at the next start.
    /// </summary>
    public static WebApplicationBuilder AddCrisisOpsLaw(this WebApplicationBuilder builder)
    {
        var directory = builder.Configuration["Law:Directory"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "law");
        var law = LegalCatalogueJson.Load(directory);
        builder.Services.AddSingleton(law);
        builder.Services.AddHostedService(sp => new Adopter_(sp.GetRequiredService<IDocumentStore>(), law, directory,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LegalCatalogue>>()));
        return builder;
    }

    /// <summary>Records the version once (a second start under the same law records nothing).</summary>
    public static Task<CommandOutcome> AdoptAsync(IDocumentStore store, LegalCatalogue law, string source, TimeProvider clock, CancellationToken ct)
    {
        var envelope = new CommandEnvelope(StreamOf(law.Version), null, Adopter, "law-adoption/" + law.Version, law.Version);
        return store.DecideAsync(Stream, envelope, state => state is null
            ? [new LawAdopted(law.Version, law.Content, source, new Decision(Adopter, clock.GetUtcNow(), null,
                $"the service started under the law read from {source}", envelope.RequestId))]
            : [], clock, ct);
    }

    // Runs at start-up, before the server takes requests, so no decision can name a version its store has not recorded.
    private sealed class Adopter_(IDocumentStore store, LegalCatalogue law, string source, TimeProvider clock, ILogger logger) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            var outcome = await AdoptAsync(store, law, source, clock, cancellationToken);
            logger.LogInformation("Law {Version} ({Bases} bases, {Measures} measure types, {Leverages} leverage types) {How}", law.Version,
                law.Bases.Count, law.MeasureTypes.Count, law.LeverageTypes.Count, outcome.Replayed || outcome.Events.Count == 0 ? "already adopted" : "adopted");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
