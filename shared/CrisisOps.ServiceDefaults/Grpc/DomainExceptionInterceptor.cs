using CrisisOps.Legal;
using Grpc.Core;
using Grpc.Core.Interceptors;
using CrisisOps.ServiceDefaults.Telemetry;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>Maps domain refusals to gRPC statuses, one kind to one status, with the field or rule in the message.</summary>
public sealed class DomainExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
        ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (DomainException ex)
        {
            DecisionTelemetry.Refused(ex);
            throw ToRpc(ex);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (DomainException ex)
        {
            DecisionTelemetry.Refused(ex);
            throw ToRpc(ex);
        }
    }

    /// <summary>The status for a refusal.</summary>
    public static RpcException ToRpc(DomainException ex)
    {
        var code = ex switch
        {
            InvalidFieldException => StatusCode.InvalidArgument,
            RuleViolationException => StatusCode.FailedPrecondition,
            NotFoundException => StatusCode.NotFound,
            VersionConflictException => StatusCode.Aborted,
            NotPermittedException => StatusCode.PermissionDenied,
            _ => StatusCode.Internal,
        };
        var trailers = new Metadata();
        if (ex is InvalidFieldException f) trailers.Add("crisisops-field", f.Field);
        if (ex is RuleViolationException r) trailers.Add("crisisops-rule", r.Rule);
        return new RpcException(new Status(code, ex.Message), trailers);
    }
}
