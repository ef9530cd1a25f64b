using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;

namespace CrisisOps.Faults.Tests;

/// <summary>The answer to one raw call: the status, and the response message bytes when it was OK.</summary>
public sealed record RawAnswer(StatusCode Status, string Detail, byte[]? Response, Metadata Trailers);

/// <summary>
/// gRPC calls with the request as bytes (a <see cref="CallInvoker"/> with a byte-array marshaller), so that any
/// payload can be sent to any method of any service, well formed or not.
/// </summary>
public static class RawCalls
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);

    public static async Task<RawAnswer> CallAsync(GrpcChannel channel, MethodDescriptor rpc, byte[] payload, string? token)
    {
        var headers = new Metadata();
        if (token is not null) headers.Add("authorization", $"Bearer {token}");
        var type = rpc.IsServerStreaming ? MethodType.ServerStreaming : MethodType.Unary;
        var method = new Method<byte[], byte[]>(type, rpc.Service.FullName, rpc.Name, Bytes, Bytes);
        var invoker = channel.CreateCallInvoker();
        try
        {
            if (!rpc.IsServerStreaming)
            {
                using var unary = invoker.AsyncUnaryCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(30)), payload);
                var response = await unary.ResponseAsync;
                return new RawAnswer(StatusCode.OK, "", response, unary.GetTrailers());
            }

            // A watch that starts sends its current state first and then waits for changes: the first message is the answer.
            using var cancel = new CancellationTokenSource();
            using var stream = invoker.AsyncServerStreamingCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(5), cancel.Token), payload);
            var first = await stream.ResponseStream.MoveNext(CancellationToken.None) ? stream.ResponseStream.Current : null;
            await cancel.CancelAsync();
            return new RawAnswer(StatusCode.OK, "", first, []);
        }
        catch (RpcException ex)
        {
            return new RawAnswer(ex.StatusCode, ex.Status.Detail, null, ex.Trailers);
        }
    }
}
