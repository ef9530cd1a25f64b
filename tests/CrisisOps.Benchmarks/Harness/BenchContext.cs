using System.Globalization;
using CrisisOps.Testing;

namespace CrisisOps.Benchmarks.Harness;

/// <summary>What every scenario of one run shares: the servers, the run's key and tokens, its sizes and its folders.</summary>
public sealed class BenchContext : IDisposable
{
    public BenchContext(string[] args)
    {
        Ci = args.Contains("--ci");
        Keep = args.Contains("--keep");
        Root = Option(args, "--root") ?? Directory.GetCurrentDirectory();
        PortBase = Option(args, "--port-base") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 5180;
        AuditSizes = Option(args, "--audit-sizes") is { } sizes
            ? sizes.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : null;
        ExpiryCount = Option(args, "--expiry-count") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : null;
        Postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres")
            ?? throw new InvalidOperationException("run `eval \"$(deploy/infra.sh)\"` first (ConnectionStrings__postgres is not set)");
        RabbitMq = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq")
            ?? throw new InvalidOperationException("ConnectionStrings__rabbitmq is not set: run `eval \"$(deploy/infra.sh)\"` first");
        Results = Path.Combine(Root, "deploy", ".local", "bench");
        Logs = Directory.CreateDirectory(Path.Combine(Results, Run)).FullName;
    }

    /// <summary>The run's id: in schema names, queue names and the log folder.</summary>
    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];

    public bool Ci { get; }

    /// <summary>Leaves the run's schemas in place (to look at them afterwards).</summary>
    public bool Keep { get; }

    public string Root { get; }

    public int PortBase { get; }

    /// <summary>
    /// <c>--audit-sizes 20000,200000</c>: the two store sizes of audit-replay instead of its full or --ci ones, to see
    /// where the time goes at a size that shows it without the full million-event run.
    /// </summary>
    public int[]? AuditSizes { get; }

    /// <summary>
    /// <c>--expiry-count 2000</c>: how many emergencies end at each of expiry's two instants instead of its full or --ci
    /// number (its other sizes stay the run's), for a bounded run between the two.
    /// </summary>
    public int? ExpiryCount { get; }

    public string Postgres { get; }

    public string RabbitMq { get; }

    public string Results { get; }

    public string Logs { get; }

    public Tokens Tokens { get; } = new();

    /// <summary>The full size, or the --ci one.</summary>
    public T Size<T>(T full, T ci) => Ci ? ci : full;

    /// <summary>The built Release assembly of a service (deploy/bench.sh builds it).</summary>
    public string Assembly(string service)
    {
        var name = char.ToUpperInvariant(service[0]) + service[1..];
        return Path.Combine(Root, "services", name, $"CrisisOps.{name}", "bin", "Release", "net10.0", $"CrisisOps.{name}.dll");
    }

    public void Dispose() => Tokens.Dispose();

    private static string? Option(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
