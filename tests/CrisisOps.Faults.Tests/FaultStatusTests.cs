using System.Net.Sockets;
using CrisisOps.ServiceDefaults.Grpc;
using Grpc.Core;
using Npgsql;
using Xunit;

namespace CrisisOps.Faults.Tests;

/// <summary>What a caller is told when a server the service depends on fails, or the service itself does.</summary>
public class FaultStatusTests
{
    private static RpcException Status(Exception ex, bool detailed = false) => FaultStatus.ToRpc(ex, detailed, "4bf92f3577b34da6a3ce929d0e0e4736");

    [Theory]
    [InlineData("57P01", "the database system is shutting down")]
    [InlineData("57P03", "the database system is starting up")]
    [InlineData("08006", "connection failure")]
    [InlineData("53300", "sorry, too many clients already")]
    public void A_database_that_is_going_down_starting_or_full_is_unavailable_to_retry(string sqlState, string text)
    {
        var rpc = Status(new PostgresException(text, "FATAL", "FATAL", sqlState));
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
        Assert.Contains(sqlState, rpc.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", rpc.Trailers.GetValue(FaultStatus.TraceTrailer));
    }

    [Fact]
    public void A_refused_connection_is_unavailable_and_its_wrapper_does_not_hide_it()
    {
        var refused = new NpgsqlException("Failed to connect to 127.0.0.1:5432", new SocketException((int)SocketError.ConnectionRefused));
        var rpc = Status(new InvalidOperationException("Marten could not run the command", refused));
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
        Assert.DoesNotContain("127.0.0.1", rpc.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exhausted_connection_pool_is_resource_exhausted()
    {
        var exhausted = new NpgsqlException("The connection pool has been exhausted, either raise 'Max Pool Size' (currently 100) or 'Timeout' (currently 15 seconds) in your connection string.",
            new TimeoutException());
        Assert.Equal(StatusCode.ResourceExhausted, Status(exhausted).StatusCode);
    }

    [Fact]
    public void A_serialization_failure_is_aborted_to_retry() =>
        Assert.Equal(StatusCode.Aborted, Status(new PostgresException("could not serialize access", "ERROR", "ERROR", "40001")).StatusCode);

    [Fact]
    public void Any_other_failure_is_internal_with_the_trace_id_and_without_its_text_outside_development()
    {
        var bug = new InvalidOperationException("secret: table mt_doc_x, row 42");
        var rpc = Status(bug);
        Assert.Equal(StatusCode.Internal, rpc.StatusCode);
        Assert.Contains("4bf92f3577b34da6a3ce929d0e0e4736", rpc.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", rpc.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("secret", Status(bug, detailed: true).Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Internal, Status(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")).StatusCode);
    }
}
