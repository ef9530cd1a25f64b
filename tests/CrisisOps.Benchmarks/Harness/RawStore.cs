using CrisisOps.ServiceDefaults.EventStore;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace CrisisOps.Benchmarks.Harness;

/// <summary>What the raw baseline appends: one small event, like a decision's.</summary>
public sealed record BenchmarkEventAppended(string Stream, int Number, string Note);

/// <summary>
/// The baseline every decision is compared with: a plain Marten append of one event per transaction, on a scratch
/// schema with the services' own store conventions (<see cref="MartenConventions.ConfigureStore"/>: string keys, Rich
/// appends, metadata columns). It goes around DecisionStreams on purpose: it is what a decision costs at the least.
/// </summary>
public sealed class RawStore : IAsyncDisposable
{
    private readonly string _postgres;

    private RawStore(string postgres, string schema, DocumentStore store)
    {
        _postgres = postgres;
        Schema = schema;
        Store = store;
    }

    public string Schema { get; }

    public DocumentStore Store { get; }

    public static async Task<RawStore> CreateAsync(BenchContext context, string name)
    {
        var schema = $"bench_{context.Run}_{name}";
        var store = Open(context.Postgres, schema);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return new RawStore(context.Postgres, schema, store) { Keep = context.Keep };
    }

    private bool Keep { get; init; }

    /// <summary>A store on <paramref name="schema"/> with the services' conventions, for appends only: no daemon runs here.</summary>
    public static DocumentStore Open(string postgres, string schema) => DocumentStore.For(o =>
    {
        MartenConventions.ConfigureStore(o, postgres, schema);
        // The services' subscriptions are configured with the conventions; saying no daemon runs them here keeps Marten
        // from warning at every store that "the async daemon is disabled".
        o.Projections.AsyncMode = DaemonMode.ExternallyManaged;
    });

    /// <summary>One event in its own transaction, on its own stream or appended to <paramref name="stream"/>.</summary>
    public async Task AppendAsync(string stream, int i)
    {
        await using var session = Store.LightweightSession();
        session.Events.Append(stream, new BenchmarkEventAppended(stream, i, "raw append"));
        await session.SaveChangesAsync();
    }

    /// <summary>The hot-stream baseline: one event to one stream under the same advisory lock decisions take.</summary>
    public async Task AppendLockedAsync(string stream, int i)
    {
        await using var session = Store.LightweightSession();
        await DecisionStreams.LockAsync(session, stream, CancellationToken.None);
        session.Events.Append(stream, new BenchmarkEventAppended(stream, i, "raw append under the stream lock"));
        await session.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Store.Dispose();
        if (Keep) return;
        await using var c = new NpgsqlConnection(_postgres);
        await c.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", c);
        await drop.ExecuteNonQueryAsync();
    }
}
