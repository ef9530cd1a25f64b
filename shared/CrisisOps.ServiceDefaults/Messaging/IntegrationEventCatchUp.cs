using System.Collections.Concurrent;
using System.Text.Json;
using CrisisOps.Contracts;
using CrisisOps.Feed.Grpc.V1;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Security;
using Grpc.Core;
using Marten;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>Which local consumers catch up on which source service's feed.</summary>
/// <param name="Source">The source service's name; its address is <c>Feed:Sources:{Source}</c>.</param>
/// <param name="Consumers">MassTransit consumer types of this service, each on the endpoint the bus named for it.</param>
public sealed record CatchUpRegistration(string Source, IReadOnlyList<Type> Consumers);

/// <summary>Where each source's catch-up stands, for health and for the board's "rebuilding" notice.</summary>
public sealed class CatchUpStatus
{
    private readonly ConcurrentDictionary<string, SourceProgress> _sources = new();

    /// <summary>Every source this service catches up on, by name.</summary>
    public IReadOnlyDictionary<string, SourceProgress> Sources => _sources;

    /// <summary>True once every configured source has been read up to its high-water mark at least once.</summary>
    public bool CaughtUp => _sources.Values.All(s => s.CaughtUp);

    internal void Set(string source, SourceProgress progress) => _sources[source] = progress;
}

/// <summary>One source's catch-up: the last position read, whether it was caught up once, the last failure.</summary>
public sealed record SourceProgress(long Position, bool CaughtUp, string? LastError);

/// <summary>Registration of catch-up consumers.</summary>
public static class IntegrationEventCatchUpExtensions
{
    /// <summary>
    /// Lets <paramref name="consumers"/> (already added to the bus) first catch up on <paramref name="source"/>'s
    /// feed, from the position kept in this service's store, then follow the bus. Call after
    /// <see cref="ServiceDefaultsExtensions.AddCrisisOpsMessaging"/>: the catch-up starts once the bus (and so the
    /// consumers' queues) is up, so that nothing published meanwhile is missed. Without <c>Feed:Sources:{source}</c>
    /// configured the catch-up is off.
    /// </summary>
    public static WebApplicationBuilder AddIntegrationEventCatchUp(this WebApplicationBuilder builder, string source, params Type[] consumers)
    {
        builder.Services.AddSingleton(new CatchUpRegistration(source, consumers));
        builder.Services.TryAddSingleton<CatchUpStatus>();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntegrationEventCatchUp>());
        return builder;
    }
}

/// <summary>
/// Reads each registered source's feed from the kept position to its high-water mark and hands every event to the
/// local consumers of its contract by sending it to their own queue, with the event id as message id and the relay's
/// headers: the consumers' idempotency (<see cref="Idempotency.ConsumeOnceAsync"/>) absorbs the overlap with what the
/// bus delivers, and a consumer needs no second code path. The position is kept only after the broker confirmed the
/// sends, so a crash repeats a page, never skips one. Settings: <c>Feed:Sources:{name}</c> (the source's gRPC address)
/// (https with <c>Tls:CaFile</c> naming the CA that signed the sources' certificates) and <c>Feed:Token</c> or <c>Feed:TokenFile</c> (a coordinator token: the feed carries every country's events).
/// </summary>
public sealed class IntegrationEventCatchUp(
    IEnumerable<CatchUpRegistration> registrations,
    IConfiguration configuration,
    IBus bus,
    IEndpointNameFormatter endpointNames,
    IDocumentStore store,
    CatchUpStatus status,
    TimeProvider clock,
    ILogger<IntegrationEventCatchUp> logger) : BackgroundService
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sources = registrations.GroupBy(r => r.Source)
            .Select(g => (Source: g.Key, Address: configuration[$"Feed:Sources:{g.Key}"], Consumers: g.SelectMany(r => r.Consumers).Distinct().ToList()))
            .ToList();
        foreach (var (source, address, _) in sources.Where(s => string.IsNullOrWhiteSpace(s.Address)))
            logger.LogInformation("No Feed:Sources:{Source} configured: no catch-up on {Source}'s feed", source, source);
        var active = sources.Where(s => !string.IsNullOrWhiteSpace(s.Address)).ToList();
        foreach (var s in active) status.Set(s.Source, new SourceProgress(0, false, null));
        await Task.WhenAll(active.Select(s => CatchUpAsync(s.Source, s.Address!, Targets(s.Consumers), stoppingToken)));
    }

    /// <summary>For each contract type, the queues of the local consumers that consume it.</summary>
    private Dictionary<Type, List<Uri>> Targets(IEnumerable<Type> consumers)
    {
        var formatConsumer = typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!;
        var targets = new Dictionary<Type, List<Uri>>();
        foreach (var consumer in consumers)
        {
            // The exchange MassTransit binds to the consumer's queue, not "queue:": declaring the queue from a send
            // endpoint would declare it without the receive endpoint's arguments (x-expires) and be refused.
            var queue = new Uri($"exchange:{formatConsumer.MakeGenericMethod(consumer).Invoke(endpointNames, null)}");
            foreach (var contract in consumer.GetInterfaces()
                         .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConsumer<>))
                         .Select(i => i.GetGenericArguments()[0]))
            {
                if (!targets.TryGetValue(contract, out var queues)) targets[contract] = queues = [];
                queues.Add(queue);
            }
        }

        return targets;
    }

    private async Task CatchUpAsync(string source, string address, Dictionary<Type, List<Uri>> targets, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(500);
        // An https source must present a certificate signed by the deployment's CA (Tls:CaFile) when one is named.
        using var channel = TrustedChannel.ForAddress(address, configuration[TransportSecurity.CaFileSetting]);
        var feed = new IntegrationEventFeed.IntegrationEventFeedClient(channel);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (position, handed) = await ReadToHighWaterAsync(source, feed, targets, ct);
                status.Set(source, new SourceProgress(position, true, null));
                logger.LogInformation("Caught up on {Source}'s feed at position {Position} ({Handed} events handed to consumers)", source, position, handed);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && ex is RpcException or HttpRequestException or IOException or MassTransitException)
            {
                var current = status.Sources.TryGetValue(source, out var p) ? p.Position : 0;
                status.Set(source, new SourceProgress(current, false, ex.Message));
                logger.LogWarning(ex, "Catching up on {Source}'s feed ({Address}) failed; retrying in {Backoff}", source, address, backoff);
                // Real time, not the service clock: a retry waits on a network, not on a legal deadline.
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    private async Task<(long Position, int Handed)> ReadToHighWaterAsync(string source, IntegrationEventFeed.IntegrationEventFeedClient feed,
        Dictionary<Type, List<Uri>> targets, CancellationToken ct)
    {
        long position;
        await using (var session = store.QuerySession())
            position = (await session.LoadAsync<FeedCheckpoint>(source, ct))?.Position ?? 0;
        var handed = 0;
        var more = true;
        while (more)
        {
            more = false;
            using var call = feed.ReadIntegrationEvents(new ReadIntegrationEventsRequest { FromPosition = position }, Headers(), cancellationToken: ct);
            await foreach (var item in call.ResponseStream.ReadAllAsync(ct))
            {
                if (item.Event is { } e)
                {
                    handed += await HandAsync(source, e, targets, ct);
                    continue;
                }

                position = item.Position;
                more = item.CaughtUp.More;
                await SaveAsync(source, position, ct);
                status.Set(source, new SourceProgress(position, false, null));
            }
        }

        return (position, handed);
    }

    private async Task<int> HandAsync(string source, Feed.Grpc.V1.IntegrationEvent e, Dictionary<Type, List<Uri>> targets, CancellationToken ct)
    {
        // Only contract types of shared/CrisisOps.Contracts are ever instantiated from a feed.
        var type = typeof(DecisionInfo).Assembly.GetType(e.ContractType, throwOnError: false);
        if (type is null)
        {
            logger.LogWarning("{Source}'s feed carries {Contract}, which this build does not know: skipped", source, e.ContractType);
            return 0;
        }

        if (!targets.TryGetValue(type, out var queues)) return 0;
        var message = JsonSerializer.Deserialize(e.PayloadJson, type, IntegrationEventFeedGrpcService.Json)
            ?? throw new JsonException($"{source}'s feed: {e.ContractType} {e.EventId} has no payload");
        foreach (var queue in queues)
        {
            var endpoint = await bus.GetSendEndpoint(queue);
            await endpoint.Send(message, type, ctx =>
            {
                ctx.MessageId = Guid.Parse(e.EventId);
                ctx.Headers.Set(RelayHeaders.Stream, e.Stream);
                ctx.Headers.Set(RelayHeaders.Version, e.Version);
                ctx.Headers.Set(RelayHeaders.Source, source);
            }, ct);
        }

        return 1;
    }

    private async Task SaveAsync(string source, long position, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(new FeedCheckpoint { Id = source, Position = position, UpdatedAt = clock.GetUtcNow() });
        await session.SaveChangesAsync(ct);
    }

    private Metadata Headers()
    {
        var token = configuration["Feed:Token"];
        if (string.IsNullOrWhiteSpace(token) && configuration["Feed:TokenFile"] is { Length: > 0 } file) token = File.ReadAllText(file).Trim();
        if (string.IsNullOrWhiteSpace(token))
            throw new InvalidOperationException("Feed:Token or Feed:TokenFile must name a coordinator token to read other services' feeds");
        return new Metadata { { "authorization", $"Bearer {token}" } };
    }
}
