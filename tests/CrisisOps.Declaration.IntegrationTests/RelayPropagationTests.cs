using System.Collections.Concurrent;
using System.Diagnostics;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Testing;
using MassTransit;
using Xunit;
using Xunit.Abstractions;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>
/// How a committed decision reaches RabbitMQ: the daemon is woken by the commit rather than by its poll, and the
/// relay publishes the streams of a page side by side while keeping each stream's order.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RelayPropagationTests(StackFixture stack, ITestOutputHelper output)
{
    private static readonly DateTimeOffset September2 = new(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2));

    [Fact]
    public async Task A_decision_reaches_the_bus_without_waiting_for_the_daemons_poll()
    {
        var received = new ConcurrentQueue<(string CrisisId, long Version)>();
        var bus = await StartListenerAsync(received);
        try
        {
            // Polls a minute apart: only the wake on commit can bring the event out within the wait below.
            await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("wake"), StackFixture.ClockAt(September2),
                new Dictionary<string, string?>
                {
                    ["EventStore:Daemon:SlowPollingTime"] = "00:01:00",
                    ["EventStore:Daemon:FastPollingTime"] = "00:01:00",
                });
            var api = StackFixture.Client(service);
            var poland = As(stack.Tokens.Ministry("PL"));

            foreach (var attempt in Enumerable.Range(1, 3))
            {
                var started = Stopwatch.GetTimestamp();
                var declared = await api.DeclareCrisisAsync(Requests.PolandBelarus(), poland);
                await Eventually(() => received.Any(r => r.CrisisId == declared.Result.Id), TimeSpan.FromSeconds(20));
                output.WriteLine($"decision {attempt}: on the bus {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms after the call began");
            }
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    [Fact]
    public async Task Streams_relayed_side_by_side_each_keep_their_order()
    {
        var received = new ConcurrentQueue<(string CrisisId, long Version)>();
        var bus = await StartListenerAsync(received);
        try
        {
            // The daemon looks at most twice a second, so the decisions below reach the relay as a few pages of many streams.
            await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("relayorder"), StackFixture.ClockAt(September2),
                new Dictionary<string, string?>
                {
                    ["EventStore:Daemon:WakeCoalescing"] = "00:00:00.500",
                    ["EventStore:Daemon:FastPollingTime"] = "00:00:01",
                    ["EventStore:Daemon:SlowPollingTime"] = "00:00:01",
                });
            var api = StackFixture.Client(service);
            var poland = As(stack.Tokens.Ministry("PL"));

            var crises = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
            {
                var declared = await api.DeclareCrisisAsync(Requests.PolandBelarus(), poland);
                await api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, 1, "2021-09-02", "2021-10-01"), poland);
                return declared.Result.Id;
            }));

            await Eventually(() => crises.All(c => received.Count(r => r.CrisisId == c) == 2), TimeSpan.FromSeconds(60));
            foreach (var crisis in crises)
                Assert.Equal([1L, 2L], received.Where(r => r.CrisisId == crisis).Select(r => r.Version));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>A queue read one message at a time, as the consumers that depend on a stream's order read theirs.</summary>
    private async Task<IBusControl> StartListenerAsync(ConcurrentQueue<(string CrisisId, long Version)> received)
    {
        var bus = stack.Infra.CreateBus(cfg => cfg.ReceiveEndpoint($"test-relay-{Guid.NewGuid():N}", e =>
        {
            e.AutoDelete = true;
            e.ConcurrentMessageLimit = 1;
            e.Handler<Contract.CrisisDeclared>(ctx =>
            {
                received.Enqueue((ctx.Message.CrisisId, ctx.Headers.Get<long>(RelayHeaders.Version) ?? 0));
                return Task.CompletedTask;
            });
            e.Handler<Contract.EmergencyDeclared>(ctx =>
            {
                received.Enqueue((ctx.Message.CrisisId, ctx.Headers.Get<long>(RelayHeaders.Version) ?? 0));
                return Task.CompletedTask;
            });
        }));
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return bus;
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, $"not within {timeout.TotalSeconds} s");
            await Task.Delay(20);
        }
    }
}
