extern alias measures;
using CrisisOps.Feed.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using Grpc.Core;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using RabbitMQ.Client;
using Xunit;
using static CrisisOps.Testing.RunningService;
using CrisisFactsConsumer = measures::CrisisOps.Measures.Facts.CrisisFactsConsumer;
using DeclarationV1 = CrisisOps.Declaration.Grpc.V1;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;

namespace CrisisOps.Measures.IntegrationTests;

/// <summary>A service that starts after the facts it needs were published learns them from the publisher's feed.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CatchUpTests(StackFixture stack)
{
    [Fact]
    public async Task A_measures_service_started_afresh_after_its_queue_was_deleted_knows_the_crisis_from_the_feed_and_enforces_the_cascade()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var measuresSchema = TestSettings.NewSchema("cu_meas");
        var poland = As(stack.Tokens.Ministry("PL"));
        await using var probe = await new BusProbe().Listen<Contracts.Declaration.V1.CrisisDeclared>().StartAsync(stack.Infra);
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("cu_decl"), clock);
        var crises = StackFixture.Declaration(declaration);

        // The measures service has run once (its queues exist), and is stopped when the crisis is declared.
        string queue;
        await using (var first = await stack.StartMeasuresAsync(measuresSchema, clock))
            queue = first.Services.GetRequiredService<IEndpointNameFormatter>().Consumer<CrisisFactsConsumer>();
        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await probe.WaitForAsync<Contracts.Declaration.V1.CrisisDeclared>(c => c.CrisisId == crisis.Result.Id);

        // Afresh: the queue that held CrisisDeclared is deleted and the store dropped.
        await DeleteQueueAsync(queue);
        await DropSchemaAsync(measuresSchema);
        var settings = TestSettings.For(stack.Infra, stack.Tokens, measuresSchema);
        settings["Feed:Sources:declaration"] = declaration.Address;
        settings["Feed:Token"] = stack.Tokens.Coordinator("crisisops-measures");
        await using var measures = await RunningService.StartAsync(MeasuresService.Build, settings, clock);

        var status = measures.Services.GetRequiredService<CatchUpStatus>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!status.CaughtUp && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.True(status.CaughtUp, string.Join("; ", status.Sources.Select(s => $"{s.Key}: {s.Value}")));
        await StackFixture.WaitForCrisisAsync(measures, crisis.Result.Id, f => f.Qualifies);
        var client = StackFixture.Measures(measures);
        var stateOfEmergency = await client.EnactMeasureAsync(
            Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland);

        await crises.EndCrisisAsync(new DeclarationV1.CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            CrisisId = crisis.Result.Id,
            ExpectedVersion = 1,
            Justification = "arrivals have stopped",
        }, poland);
        var ended = await ReportCasesTests.WaitForStatusAsync(client, stateOfEmergency.Id, MeasureStatus.Ended, poland);
        Assert.Equal("system:crisis-cascade", ended.History[^1].Decision.ActorSubject);
    }

    [Fact]
    public async Task The_feed_gives_committed_contracts_in_commit_order_to_a_coordinator_and_refuses_a_ministry_and_a_negative_position()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var poland = As(stack.Tokens.Ministry("PL"));
        await using var probe = await new BusProbe().Listen<Contracts.Declaration.V1.EmergencyDeclared>().StartAsync(stack.Infra);
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("fd_decl"), clock);
        var crises = StackFixture.Declaration(declaration);
        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await crises.DeclareEmergencyAsync(new DeclarationV1.DeclareEmergencyRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            CrisisId = crisis.Result.Id,
            ExpectedVersion = 1,
            LegalBasisCode = "PL-CONST-230",
            StartDate = "2021-09-02",
            EndDate = "2021-10-01",
            Justification = "Council of Ministers' request",
        }, poland);
        var (published, messageId) = await probe.WaitForAsync<Contracts.Declaration.V1.EmergencyDeclared>(e => e.CrisisId == crisis.Result.Id);

        var feed = new IntegrationEventFeed.IntegrationEventFeedClient(declaration.Channel);
        var items = await ReadAsync(feed, 0, As(stack.Tokens.Coordinator()));
        var events = items.Where(i => i.Event is not null).ToList();
        Assert.Equal(
            ["CrisisOps.Contracts.Declaration.V1.CrisisDeclared", "CrisisOps.Contracts.Declaration.V1.EmergencyDeclared",
                "CrisisOps.Contracts.Declaration.V1.EmergencyLegalTermSet"],
            events.Select(e => e.Event.ContractType));
        Assert.Equal(messageId.ToString(), events[1].Event.EventId);
        Assert.Equal(events[1].Event.EventId, events[2].Event.EventId);
        Assert.True(events[0].Position < events[1].Position);
        Assert.Equal(published.LegalMaxEnd, System.Text.Json.JsonSerializer.Deserialize<Contracts.Declaration.V1.EmergencyDeclared>(
            events[1].Event.PayloadJson, ServiceDefaults.Messaging.IntegrationEventFeedGrpcService.Json)!.LegalMaxEnd);
        var caughtUp = items[^1];
        Assert.NotNull(caughtUp.CaughtUp);
        Assert.True(caughtUp.Position >= events[^1].Position);
        Assert.DoesNotContain(await ReadAsync(feed, caughtUp.Position, As(stack.Tokens.Auditor())), i => i.Event is not null);

        var ministry = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(feed, 0, poland));
        Assert.Equal(StatusCode.PermissionDenied, ministry.StatusCode);
        var negative = await Assert.ThrowsAsync<RpcException>(() => ReadAsync(feed, -1, As(stack.Tokens.Coordinator())));
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);
        Assert.Contains("from_position", negative.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<List<FeedItem>> ReadAsync(IntegrationEventFeed.IntegrationEventFeedClient feed, long from, CallOptions caller)
    {
        using var call = feed.ReadIntegrationEvents(new ReadIntegrationEventsRequest { FromPosition = from }, caller);
        var items = new List<FeedItem>();
        await foreach (var item in call.ResponseStream.ReadAllAsync()) items.Add(item);
        return items;
    }

    private async Task DeleteQueueAsync(string queue)
    {
        var factory = new ConnectionFactory { Uri = new Uri(stack.Infra.RabbitMq) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }

    private async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(stack.Infra.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"drop schema {schema} cascade", connection);
        await command.ExecuteNonQueryAsync();
    }
}
