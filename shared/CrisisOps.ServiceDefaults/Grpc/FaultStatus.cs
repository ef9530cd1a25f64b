using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Core;
using Npgsql;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// The gRPC status for an exception that is not a domain refusal: what a caller may do about it, never how the server
/// failed. A database or broker that cannot be reached is <c>UNAVAILABLE</c> (retry; the reason, no stack), a database
/// pool exhausted after its wait is <c>RESOURCE_EXHAUSTED</c>, a serialization conflict is <c>ABORTED</c>, and anything
/// else <c>INTERNAL</c> with the trace id under which the details are logged.
/// </summary>
public static class FaultStatus
{
    /// <summary>The trailer that carries the trace id of the call (the log entry with the details has the same).</summary>
    public const string TraceTrailer = "crisisops-trace-id";

    /// <summary>The retryable fault <paramref name="ex"/> stands for, or null when it is none of the known kinds.</summary>
    public static (StatusCode Code, string Reason)? Classify(Exception ex)
    {
        foreach (var e in Chain(ex))
        {
            switch (e)
            {
                case PostgresException pg when Database(pg.SqlState) is { } reason:
                    return reason;
                case NpgsqlException n when n.Message.Contains("connection pool has been exhausted", StringComparison.Ordinal):
                    return (StatusCode.ResourceExhausted, "every connection to the event store is in use; retry shortly");
                case NpgsqlException { IsTransient: true }:
                    return (StatusCode.Unavailable, "the event store (PostgreSQL) cannot be reached; retry");
                case SocketException or TimeoutException:
                    return (StatusCode.Unavailable, "a server this service depends on did not answer; retry");
                case MassTransit.ConnectionException or RabbitMQ.Client.Exceptions.BrokerUnreachableException
                    or RabbitMQ.Client.Exceptions.AlreadyClosedException:
                    return (StatusCode.Unavailable, "the message broker (RabbitMQ) cannot be reached; retry");
            }
        }

        return null;
    }

    /// <summary>The status a caller gets for <paramref name="ex"/> (never its text outside Development).</summary>
    public static RpcException ToRpc(Exception ex, bool detailed, string traceId)
    {
        var trailers = new Metadata { { TraceTrailer, traceId } };
        if (Classify(ex) is var (code, reason))
            return new RpcException(new Status(code, $"{reason} (trace {traceId})"), trailers);
        var detail = detailed ? $" {ex.GetType().Name}: {ex.Message}" : "";
        return new RpcException(new Status(StatusCode.Internal, $"internal error, logged under trace {traceId}.{detail}"), trailers);
    }

    /// <summary>The id a caller can quote: the W3C trace id of the call, or ASP.NET Core's request id without tracing.</summary>
    public static string TraceId(ServerCallContext context) =>
        Activity.Current?.TraceId.ToHexString() ?? context.GetHttpContext().TraceIdentifier;

    private static (StatusCode, string)? Database(string sqlState) => sqlState switch
    {
        // Class 08: connection exception; 57P01-57P03: administrator shutdown, crash shutdown, cannot connect now.
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => (StatusCode.Unavailable, $"the event store connection failed ({sqlState}); retry"),
        "57P01" or "57P02" => (StatusCode.Unavailable, $"the event store is shutting down ({sqlState}); retry"),
        "57P03" => (StatusCode.Unavailable, $"the event store is starting up ({sqlState}); retry"),
        "57014" => (StatusCode.Unavailable, $"the event store did not answer in time ({sqlState}); retry"),
        "25P03" => (StatusCode.Unavailable, $"the event store closed an idle transaction ({sqlState}); retry"),
        // Class 53: insufficient resources (too many connections, out of memory, disk full) on the server's side.
        _ when sqlState.StartsWith("53", StringComparison.Ordinal) => (StatusCode.Unavailable, $"the event store is out of resources ({sqlState}); retry"),
        "40001" or "40P01" => (StatusCode.Aborted, $"a concurrent decision conflicted ({sqlState}); retry"),
        _ => null,
    };

    private static IEnumerable<Exception> Chain(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain)) yield return inner;
            }
        }
    }
}
