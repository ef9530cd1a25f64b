using CrisisOps.Testing;
using Grpc.Core;
using Npgsql;

namespace CrisisOps.Benchmarks.Harness;

/// <summary>
/// The five deciding services as Release processes (<c>dotnet X.dll</c>, as deploy/run.sh starts them) on
/// 127.0.0.1, each on a schema and a message topology of this run: the demo's stores and the tests' are never touched.
/// </summary>
public sealed class BenchStack : IAsyncDisposable
{
    public static readonly string[] Stores = ["declaration", "measures", "reception", "humanitarian", "leverages"];

    private readonly Dictionary<string, ServiceProcess> _services = [];

    private BenchStack(BenchContext context) => Context = context;

    public BenchContext Context { get; }

    public ServiceProcess this[string name] => _services[name];

    public IEnumerable<ServiceProcess> Services => _services.Values;

    public static string SchemaOf(BenchContext context, string store) => $"bench_{context.Run}_{store}";

    public static async Task<BenchStack> StartAsync(BenchContext context)
    {
        var stack = new BenchStack(context);
        try
        {
            foreach (var (name, i) in Stores.Select((s, i) => (s, i)))
            {
                var environment = new Dictionary<string, string>
                {
                    ["ConnectionStrings__postgres"] = context.Postgres,
                    ["ConnectionStrings__rabbitmq"] = context.RabbitMq,
                    ["Auth__SigningKeyFile"] = context.Tokens.PublicKeyFile,
                    ["Kestrel__EndpointDefaults__Protocols"] = "Http2",
                    ["DOTNET_ENVIRONMENT"] = "Production",
                    ["EventStore__Schema"] = SchemaOf(context, name),
                    ["Messaging__EndpointPrefix"] = $"bench-{context.Run}-{name}",
                    ["Messaging__TopologyPrefix"] = $"bench-{context.Run}",
                    ["Messaging__QueueExpiry"] = "00:10:00",
                    ["Logging__LogLevel__Default"] = "Warning",
                };
                var service = new ServiceProcess(name, context.Assembly(name), context.PortBase + i, environment, Path.Combine(context.Logs, $"{name}.log"));
                stack._services[name] = service;
            }

            // One after the other: five cold starts at once on two cores take longer than the same in turn.
            foreach (var s in stack._services.Values) await s.StartAsync(TimeSpan.FromSeconds(180));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Call options with a bearer token and a deadline (a hung call fails the scenario instead of hanging it).</summary>
    public static CallOptions As(string token, int seconds = 30) =>
        new(new Metadata { { "authorization", $"Bearer {token}" } }, DateTime.UtcNow.AddSeconds(seconds));

    public async ValueTask DisposeAsync()
    {
        foreach (var s in _services.Values) s.Dispose();
        if (Context.Keep) return;
        await using var c = new NpgsqlConnection(Context.Postgres);
        await c.OpenAsync();
        foreach (var store in Stores)
        {
            await using var drop = new NpgsqlCommand($"drop schema if exists {SchemaOf(Context, store)} cascade", c);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
