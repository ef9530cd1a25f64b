using System.Collections.Concurrent;
using MassTransit;

namespace CrisisOps.Testing;

/// <summary>A listener on the real RabbitMQ: records every message of the contract types it listens to.</summary>
public sealed class BusProbe : IAsyncDisposable
{
    private readonly ConcurrentQueue<(object Message, Guid? MessageId)> _received = new();
    private readonly List<Action<IRabbitMqReceiveEndpointConfigurator>> _handlers = [];
    private IBusControl? _bus;

    public IReadOnlyCollection<(object Message, Guid? MessageId)> Received => _received;

    public BusProbe Listen<T>()
        where T : class
    {
        _handlers.Add(e => e.Handler<T>(ctx =>
        {
            _received.Enqueue((ctx.Message, ctx.MessageId));
            return Task.CompletedTask;
        }));
        return this;
    }

    public async Task<BusProbe> StartAsync(Infrastructure infra)
    {
        _bus = infra.CreateBus(cfg =>
        {
            cfg.ReceiveEndpoint($"test-probe-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                foreach (var h in _handlers) h(e);
            });
        });
        await _bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return this;
    }

    /// <summary>Waits for a message of type <typeparamref name="T"/> matching <paramref name="match"/>.</summary>
    public async Task<(T Message, Guid? MessageId)> WaitForAsync<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (m, id) in _received)
                if (m is T t && match(t)) return (t, id);
            await Task.Delay(50);
        }

        throw new TimeoutException($"no {typeof(T).Name} matching the condition arrived on RabbitMQ");
    }

    public int Count<T>(Func<T, bool> match) => _received.Count(r => r.Message is T t && match(t));

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null) await _bus.StopAsync();
    }
}
