using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// Refuses a request outside <see cref="FieldLimits"/> before its handler runs (<see cref="RequestValidator"/>), on
/// every RPC of every service: nothing a caller can send reaches a decider or the store malformed.
/// </summary>
public sealed class RequestValidationInterceptor : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) RequestValidator.Validate(message);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (request is IMessage message) RequestValidator.Validate(message);
        return continuation(request, responseStream, context);
    }
}
