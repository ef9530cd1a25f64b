using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace CrisisOps.ServiceDefaults.EventStore;

/// <summary>
/// The share of PostgreSQL's connections one service may hold (<c>EventStore:Connections</c> configuration section).
/// PostgreSQL allows 100 connections by default, 3 of them kept for superusers; Npgsql's defaults (100 per pool,
/// idle connections kept 300 s) let two loaded services take them all, and a third then failed with
/// <c>53300: remaining connection slots are reserved</c> (issue 12). The budget, for the six services with a store
/// and the auditor on one server: 6 × (<see cref="MaxPoolSize"/> 10 + <see cref="LogReaderPoolSize"/> 1) + the
/// auditor's 4 = 70 of the 97, leaving 27 for operators, migrations at start-up and a second instance of a service.
/// The async daemon (high-water mark, relay, log chain, Merkle log page writes, HotCold leadership) draws on the same
/// pool as the calls. A caller beyond the pool waits in Npgsql's queue, at most the connection string's
/// <c>Timeout</c> (15 s unless set), and is then answered <c>RESOURCE_EXHAUSTED</c> (<see cref="Grpc.FaultStatus"/>).
/// </summary>
public sealed class ConnectionBudget
{
    /// <summary>The configuration section.</summary>
    public const string Section = "EventStore:Connections";

    /// <summary>
    /// The service's pool: the calls, the consumers, the deadline worker and the async daemon. PostgreSQL on our two
    /// cores does no more work with more than about ten transactions at once; beyond that a caller waits its turn.
    /// </summary>
    public int MaxPoolSize { get; set; } = 10;

    /// <summary>The Merkle log's reader of raw event rows (one page at a time).</summary>
    public int LogReaderPoolSize { get; set; } = 1;

    /// <summary>An idle connection is closed after this long (Npgsql's default: 300 s), so a load's burst is given back.</summary>
    public TimeSpan IdleLifetime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <paramref name="connectionString"/> named <paramref name="applicationName"/> (what <c>pg_stat_activity</c>
    /// shows) and limited to <paramref name="maxPoolSize"/> connections, idle ones closed after
    /// <see cref="IdleLifetime"/>, its most used statements prepared (<see cref="MaxAutoPrepare"/>). A limit the
    /// connection string sets itself is kept: an operator's word wins.
    /// </summary>
    public string Apply(string connectionString, string applicationName, int maxPoolSize)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        var keys = given.Keys.Cast<string>().Select(Normalize).ToHashSet(StringComparer.Ordinal);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!keys.Contains("applicationname")) builder.ApplicationName = applicationName;
        if (!keys.Overlaps(["maxpoolsize", "maximumpoolsize"])) builder.MaxPoolSize = maxPoolSize;
        if (!keys.Contains("connectionidlelifetime"))
            builder.ConnectionIdleLifetime = (int)Math.Ceiling(IdleLifetime.TotalSeconds);
        // Npgsql prunes idle connections every 10 s by default; the interval may not exceed the lifetime.
        if (!keys.Contains("connectionpruninginterval") && builder.ConnectionPruningInterval > builder.ConnectionIdleLifetime)
            builder.ConnectionPruningInterval = builder.ConnectionIdleLifetime;
        if (!keys.Contains("maxautoprepare") && MaxAutoPrepare > 0) builder.MaxAutoPrepare = MaxAutoPrepare;
        return builder.ConnectionString;
    }

    /// <summary>
    /// How many of its most used statements each connection keeps prepared (Npgsql's automatic preparation; Npgsql's
    /// default is none). Marten sends every statement as an unnamed one, and PostgreSQL parsed and planned each of them
    /// afresh: in a profile of 4,000 legal ends falling due at once, the parser was the largest single cost of the
    /// server, which took half the machine. Prepared, a batch of 200 expiries saved in 322 ms instead of 512 ms, and the
    /// throughput run (same hour, 2026-12-02) gave 20-35% more decisions/s at 32 callers (RequestAssistance 593/s
    /// against 437/s, EnactMeasure 349 against 273). Statements are prepared per connection and kept across the pool's
    /// reuse of it. 0 turns it off.
    /// </summary>
    public int MaxAutoPrepare { get; set; } = 64;

    /// <summary>The application name of a service's store: <c>crisisops-{schema}</c> (as the services are named).</summary>
    public static string ApplicationNameOf(string schema) => string.Create(CultureInfo.InvariantCulture, $"crisisops-{schema}");

    private static string Normalize(string key) => key.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant();
}
