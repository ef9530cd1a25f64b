using System.Text.Json;
using CrisisOps.Feed.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Security;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>
/// Serves the service's published integration events from its event store, in commit order, from any position: how a
/// consumer that starts fresh (or a read model rebuilt from scratch) learns what happened before its queue existed.
/// </summary>
/// <remarks>
/// Chosen over RabbitMQ stream queues: the event store already is the durable, ordered record (positions are its
/// sequence, bounded by the daemon's high-water mark), so a replay never depends on a broker's retention policy, a
/// consumer rebuilt years later can start from position 0, and the relay stays the only publisher; MassTransit 8.5 has
/// no stream-queue offsets, so a stream consumer would need the raw client and a second topology beside the bus.
/// </remarks>
public sealed class IntegrationEventFeedGrpcService(IDocumentStore store, IIntegrationEventMapper mapper) : IntegrationEventFeed.IntegrationEventFeedBase
{
    /// <summary>Events read per call when the request names no smaller page.</summary>
    public const int PageSize = 1_000;

    /// <summary>The JSON form of a contract in the feed (and how consumers read it back).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override async Task ReadIntegrationEvents(ReadIntegrationEventsRequest request, IServerStreamWriter<FeedItem> responseStream,
        ServerCallContext context)
    {
        var actor = context.Actor();
        if (actor.Role is not (Role.Coordinator or Role.Auditor))
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                "the integration-event feed carries every country's events: it is read with a coordinator or auditor token"));
        if (request.FromPosition < 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "from_position: must be 0 or more"));
        if (request.MaxEvents < 0)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "max_events: must be 0 or more"));

        var ct = context.CancellationToken;
        var limit = request.MaxEvents == 0 ? PageSize : Math.Min(request.MaxEvents, PageSize);
        // Below the high-water mark every sequence number is committed or skipped for good; above it, an event not
        // yet visible could still commit with a lower number than one already visible (tech-notes §7).
        var highWater = await HighWaterMarkAsync(ct);
        await using var session = store.QuerySession();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > request.FromPosition && e.Sequence <= highWater)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);

        foreach (var e in events)
        {
            foreach (var contract in mapper.ToContracts(e))
                await responseStream.WriteAsync(new FeedItem { Position = e.Sequence, Event = ToItem(e, contract) }, ct);
        }

        var more = events.Count == limit && events[^1].Sequence < highWater;
        var resumeFrom = more ? events[^1].Sequence : Math.Max(highWater, request.FromPosition);
        await responseStream.WriteAsync(new FeedItem { Position = resumeFrom, CaughtUp = new CaughtUp { More = more } }, ct);
    }

    private static IntegrationEvent ToItem(IEvent e, object contract) => new()
    {
        EventId = e.Id.ToString(),
        Stream = e.StreamKey ?? "",
        Version = e.Version,
        ContractType = contract.GetType().FullName,
        PayloadJson = JsonSerializer.Serialize(contract, contract.GetType(), Json),
        RecordedAt = Timestamp.FromDateTimeOffset(e.Timestamp),
    };

    private async Task<long> HighWaterMarkAsync(CancellationToken ct)
    {
        await using var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"select last_seq_id from {store.Options.Events.DatabaseSchemaName}.mt_event_progression where name = @name";
        command.Parameters.AddWithValue("name", HighWaterMarkShard);
        return await command.ExecuteScalarAsync(ct) is long mark ? mark : 0;
    }

    /// <summary>The row in which the async daemon keeps its high-water mark (Marten's <c>ShardState.HighWaterMark</c>).</summary>
    private const string HighWaterMarkShard = "HighWaterMark";
}

/// <summary>Maps the feed.</summary>
public static class IntegrationEventFeedEndpoints
{
    /// <summary>Serves <c>crisisops.feed.v1.IntegrationEventFeed</c> for the service's published events.</summary>
    public static IEndpointRouteBuilder MapIntegrationEventFeed(this IEndpointRouteBuilder app)
    {
        app.MapGrpcService<IntegrationEventFeedGrpcService>();
        return app;
    }
}
