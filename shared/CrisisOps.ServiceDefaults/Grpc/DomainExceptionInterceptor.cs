using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Telemetry;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// Maps every exception of a handler to a gRPC status, so that no caller ever sees <c>UNKNOWN</c>: domain refusals one
/// kind to one status, with the field or rule in the message and a trailer; infrastructure faults and bugs as
/// <see cref="FaultStatus"/> says, their details only in the log, under the trace id the caller is given.
/// </summary>
public sealed partial class DomainExceptionInterceptor(ILogger<DomainExceptionInterceptor> logger, IOptions<GrpcServiceOptions> options) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request,
        ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            if (ex is DomainException refusal) DecisionTelemetry.Refused(refusal);
            throw Map(ex, context);
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
        catch (Exception ex) when (ex is not RpcException)
        {
            if (ex is DomainException refusal) DecisionTelemetry.Refused(refusal);
            throw Map(ex, context);
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
            FactsNotYetKnownException => StatusCode.Unavailable,
            _ => StatusCode.Internal,
        };
        var trailers = new Metadata();
        if (ex is InvalidFieldException f) trailers.Add("crisisops-field", f.Field);
        if (ex is RuleViolationException r) trailers.Add("crisisops-rule", r.Rule);
        return new RpcException(new Status(code, ex.Message), trailers);
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        if (ex is DomainException domain) return ToRpc(domain);
        if (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
            return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
        var traceId = FaultStatus.TraceId(context);
        var rpc = FaultStatus.ToRpc(ex, options.Value.EnableDetailedErrors == true, traceId);
        if (rpc.StatusCode == StatusCode.Internal) LogInternal(logger, ex, context.Method, traceId);
        else LogFault(logger, ex, context.Method, rpc.StatusCode, traceId);
        return rpc;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed (trace {TraceId}): the caller was told INTERNAL")]
    private static partial void LogInternal(ILogger logger, Exception ex, string method, string traceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} answered {Status} (trace {TraceId}): a server it depends on failed")]
    private static partial void LogFault(ILogger logger, Exception ex, string method, StatusCode status, string traceId);
}
