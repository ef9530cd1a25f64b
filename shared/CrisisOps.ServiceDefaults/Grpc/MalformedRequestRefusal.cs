using System.Reflection;
using Google.Protobuf;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// Malformed request bytes answered <c>INVALID_ARGUMENT</c> instead of <c>UNKNOWN</c>. grpc-dotnet parses the request
/// before any interceptor runs, and reports a parser exception as "Exception was thrown by handler" (UNKNOWN), with
/// no option to change it (<c>HttpContextServerCallContext.ProcessHandlerError</c>; only an <see cref="RpcException"/>
/// keeps its status). So the services are bound through <see cref="RefusingServiceMethodProvider{TService}"/>, which
/// binds every method exactly as grpc-dotnet's own <c>BinderServiceMethodProvider</c> does (same handlers, same
/// endpoint metadata, so the same authorization) but with a request marshaller that turns a parse failure into an
/// <see cref="RpcException"/> naming the request.
/// </summary>
public static class MalformedRequestRefusal
{
    /// <summary>grpc-dotnet's default method provider, replaced by ours (it is internal, so it is found by name).</summary>
    private const string DefaultProvider = "Grpc.AspNetCore.Server.Model.Internal.BinderServiceMethodProvider`1";

    /// <summary>Replaces grpc-dotnet's binder; call after <c>AddGrpc</c>.</summary>
    public static IServiceCollection RefuseMalformedRequests(this IServiceCollection services)
    {
        var defaults = services.Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType?.FullName == DefaultProvider).ToList();
        if (defaults.Count == 0 && !services.Any(d => d.ImplementationType == typeof(RefusingServiceMethodProvider<>)))
            throw new InvalidOperationException($"{DefaultProvider} is not registered: grpc-dotnet changed, review {nameof(MalformedRequestRefusal)}");
        foreach (var d in defaults) services.Remove(d);
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(RefusingServiceMethodProvider<>));
        return services;
    }

    /// <summary>
    /// Fails start-up when grpc-dotnet's binder came back (a later <c>AddGrpc</c>): every method would then be bound
    /// twice, and every call would fail as ambiguous.
    /// </summary>
    public static void EnsureOnlyProvider(IServiceProvider services)
    {
        if (services.GetServices<IServiceMethodProvider<ProbeService>>().Any(p => p.GetType() is { IsGenericType: true } t && t.GetGenericTypeDefinition().FullName == DefaultProvider))
            throw new InvalidOperationException($"AddGrpc was called after AddServiceDefaults: call {nameof(RefuseMalformedRequests)} again after it");
    }

    /// <summary>The request marshaller of <paramref name="method"/>, refusing bytes that do not parse.</summary>
    public static Method<TRequest, TResponse> Refusing<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var inner = method.RequestMarshaller;
        var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"request: is not a valid {typeof(TRequest).Name} ({ex.Message})"),
                    new Metadata { { "crisisops-field", "request" } });
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    /// <summary>A type only for <see cref="EnsureOnlyProvider"/> to close the provider's generic over.</summary>
    private sealed class ProbeService;
}

/// <summary>Binds a generated gRPC service with <see cref="MalformedRequestRefusal.Refusing{TRequest,TResponse}"/> marshallers.</summary>
/// <typeparam name="TService">The service implementation (e.g. <c>CrisisDeclarationGrpcService</c>).</typeparam>
public sealed class RefusingServiceMethodProvider<TService> : IServiceMethodProvider<TService>
    where TService : class
{
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        if (BindMethod(typeof(TService)) is not { } bind) return;
        bind.Invoke(null, [new Binder(context, bind.GetParameters()[1].ParameterType), null]);
    }

    /// <summary>The generated <c>BindService(ServiceBinderBase, TBase)</c>, found as grpc-dotnet finds it.</summary>
    private static MethodInfo? BindMethod(Type serviceType)
    {
        for (var type = serviceType; type is not null; type = type.BaseType)
        {
            if (type.GetCustomAttribute<BindServiceMethodAttribute>() is { } attribute)
                return attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), type]);
        }

        return null;
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaringType) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
            context.AddUnaryMethod(MalformedRequestRefusal.Refusing(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddServerStreamingMethod(MalformedRequestRefusal.Refusing(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
            context.AddClientStreamingMethod(MalformedRequestRefusal.Refusing(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name,
                [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddDuplexStreamingMethod(MalformedRequestRefusal.Refusing(method), metadata, invoker);
        }

        /// <summary>The handler and the endpoint metadata, as grpc-dotnet's <c>ProviderServiceBinder</c> builds them.</summary>
        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = Handler(name, parameters) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            var metadata = new List<object>();
            // The service's attributes first, then the method's, which take precedence ([Authorize], [AllowAnonymous]...).
            metadata.AddRange(typeof(TService).GetCustomAttributes(inherit: true));
            metadata.AddRange(handler.GetCustomAttributes(inherit: true));
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        /// <summary>The override of the generated base method (a method that only hides it is skipped).</summary>
        private MethodInfo? Handler(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, parameters);
                if (method is null) return null;
                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == declaringType) return method;
            }

            return null;
        }
    }
}
