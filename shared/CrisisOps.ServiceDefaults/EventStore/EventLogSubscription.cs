using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;
using Npgsql;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// The one reader of every committed event for the store's own logs: the log chain (<see cref="LogChainWriter"/>) and
/// the Merkle log (<see cref="MerkleLogWriter"/>) both grow from one read of each page's rows, and commit with the
/// page's progress in one transaction. It runs in the async daemon, which pages in strict sequence order below the
/// high-water mark; a crash between pages replays the uncommitted page, which each log skips up to its own last row.
/// Each log resumes from its own stored tail, so a store whose Merkle log lagged its log chain (two subscriptions
/// before this one) is brought level by the first pages. The relay is not merged in: it publishes to RabbitMQ, outside the
/// transaction.
/// </summary>
public sealed class EventLogSubscription : SubscriptionBase
{
    /// <summary>
    /// The subscription's name (its progress row in <c>mt_event_progression</c>): the log chain's before the two logs
    /// shared one reader, so an existing store resumes where its log chain stood.
    /// </summary>
    public const string SubscriptionName = "log-chain";

    // One data source, so the reader's pool is one pool whatever opens it (a page read by an agent the daemon restarted
    // while the old one was still reading): the connection budget's LogReaderPoolSize holds.
    private readonly NpgsqlDataSource _connection;
    private readonly string _schema;
    private readonly bool _waitForDisk;

    public EventLogSubscription(string connection, string schema, bool waitForDisk = true)
    {
        _waitForDisk = waitForDisk;
        _connection = NpgsqlDataSource.Create(connection);
        _schema = schema;
        Name = SubscriptionName;
        Options.BatchSize = 500;
    }

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken cancellationToken)
    {
        DerivedCommit.Apply(operations, _waitForDisk);
        var chain = await LogChainWriter.ResumeAsync(operations, page.SequenceFloor, cancellationToken);
        var merkle = await MerkleLogWriter.ResumeAsync(operations, page.SequenceFloor, cancellationToken);

        // The rows as PostgreSQL holds them, read once for both logs (the Merkle leaf covers every column).
        await using var connection = await _connection.OpenConnectionAsync(cancellationToken);
        await foreach (var row in EventLeafRows.ReadAsync(connection, _schema, Math.Min(chain.After, merkle.After), page.SequenceCeiling, cancellationToken))
        {
            chain.Add(operations, row);
            merkle.Add(operations, row);
        }

        return NullChangeListener.Instance;
    }

    /// <summary>Closes the reader's pool with the store.</summary>
    public override async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await base.DisposeAsync();
    }
}
