extern alias humanitarian;
using System.Collections.Concurrent;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using MassTransit;
using Xunit;
using HumanitarianService = humanitarian::CrisisOps.Humanitarian.HumanitarianService;

namespace CrisisOps.Humanitarian.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack
{
    /// <summary>
    /// Starts the service on its schema (the same schema, and so the same queues, is a restart), with an observer
    /// of the messages its consumers have finished with.
    /// </summary>
    public Task<RunningService> StartAsync(string schema, TimeProvider clock, ConsumedMessages? consumed = null,
        IDictionary<string, string?>? settings = null)
    {
        var all = TestSettings.For(Infra, Tokens, schema);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        return RunningService.StartAsync((args, configure) => HumanitarianService.Build(args, b =>
        {
            configure(b);
            if (consumed is not null) b.Services.AddConsumeObserver(_ => consumed);
        }), all, clock);
    }

    public static HumanitarianSupport.HumanitarianSupportClient Client(RunningService s) => new(s.Channel);

    /// <summary>Publishes on the real RabbitMQ as another service would, with the message id it chose.</summary>
    public Task PublishAsync<T>(Guid messageId, T message)
        where T : class => PublishAsync((messageId, message));

    /// <summary>Publishes every message at once, from one bus connection.</summary>
    public async Task PublishAsync<T>(params (Guid MessageId, T Message)[] messages)
        where T : class
    {
        var bus = Infra.CreateBus();
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            await Task.WhenAll(messages.Select(m => bus.Publish(m.Message, ctx => ctx.MessageId = m.MessageId)));
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}

/// <summary>The message ids the service's consumers finished with (successfully or as duplicates), in order.</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    private readonly ConcurrentQueue<Guid> _consumed = new();

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id) _consumed.Enqueue(id);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class => Task.CompletedTask;

    public int Count(Guid messageId) => _consumed.Count(id => id == messageId);

    /// <summary>Waits until <paramref name="messageId"/> was consumed <paramref name="times"/> times.</summary>
    public async Task WaitForAsync(Guid messageId, int times = 1)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (Count(messageId) < times)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"message {messageId} was consumed {Count(messageId)} time(s), not {times}");
            await Task.Delay(50);
        }
    }
}

public static class Requests
{
    public static Location Kuznica => new() { Country = "PL", Admin1Name = "Podlaskie", Admin1Pcode = "PL20", Name = "Kuźnica" };

    public static Location Bruzgi => new() { Country = "BY", Admin1Name = "Hrodna", Admin1Pcode = "BY04", Name = "Bruzgi", BeyondBorder = true };

    public static RequestAssistanceRequest Assistance(string country, Location location, Sector sector, string item, int quantity, string unit,
        DateTimeOffset deadline) => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            Country = country,
            Location = location,
            Sector = sector,
            Item = item,
            Quantity = quantity,
            Unit = unit,
            Deadline = Timestamp.FromDateTimeOffset(deadline),
            Justification = "several thousand people at the crossing, night temperatures below zero",
        };

    public static PledgeAssistanceRequest Pledge(string requestId, int quantity) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        AssistanceRequestId = requestId,
        Quantity = quantity,
    };

    public static RecordDeliveryRequest Delivery(string requestId, string pledgeId, int quantity) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        AssistanceRequestId = requestId,
        PledgeId = pledgeId,
        Quantity = quantity,
        Justification = "convoy reached the site",
    };

    public static RecordNeedsAssessmentRequest Needs(string country, Location location, Sector sector, int affected, int inNeed, int targeted, int reached,
        string assessedOn) => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            Country = country,
            Location = location,
            Sector = sector,
            Figures = new PopulationFigures { Affected = affected, InNeed = inNeed, Targeted = targeted, Reached = reached },
            VulnerableGroups = new VulnerableGroups { Children = inNeed / 3, UnaccompaniedMinors = inNeed / 50, PersonsWithDisabilities = inNeed / 40, OlderPersons = inNeed / 20 },
            AssessedOn = assessedOn,
            Source = "IOM DTM flow monitoring",
            Justification = "joint assessment at the site",
        };

    /// <summary>Polls a request until <paramref name="condition"/> holds or 30 seconds passed.</summary>
    public static async Task<AssistanceRequestDetails> WaitForAsync(HumanitarianSupport.HumanitarianSupportClient client, string id, CallOptions caller,
        Func<AssistanceRequestDetails, bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var details = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, caller);
            if (condition(details) || DateTime.UtcNow > until) return details;
            await Task.Delay(100);
        }
    }
}
