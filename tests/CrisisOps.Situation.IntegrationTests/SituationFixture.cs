extern alias declaration;
extern alias humanitarian;
extern alias measures;
extern alias reception;
extern alias situation;
using System.Net;
using System.Net.Sockets;
using CrisisOps.Testing;
using Grpc.Net.Client;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using HumanitarianService = humanitarian::CrisisOps.Humanitarian.HumanitarianService;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;
using ReceptionService = reception::CrisisOps.Reception.ReceptionService;
using SituationService = situation::CrisisOps.Situation.SituationService;

namespace CrisisOps.Situation.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class SituationCollection : ICollectionFixture<SituationFixture>
{
    public const string Name = "situation";
}

/// <summary>Crisis declaration and measures for real, and the situation service catching up on their feeds.</summary>
public sealed class SituationFixture : ServiceStack
{
    public Task<RunningService> StartDeclarationAsync(string schema) =>
        RunningService.StartAsync(DeclarationService.Build, TestSettings.For(Infra, Tokens, schema));

    public Task<RunningService> StartMeasuresAsync(string schema, RunningService declaration)
    {
        var settings = TestSettings.For(Infra, Tokens, schema);
        settings["Feed:Sources:declaration"] = declaration.Address;
        settings["Feed:Token"] = Tokens.Coordinator("crisisops-measures");
        return RunningService.StartAsync(MeasuresService.Build, settings);
    }

    public Task<RunningService> StartReceptionAsync(string schema) =>
        RunningService.StartAsync(ReceptionService.Build, TestSettings.For(Infra, Tokens, schema));

    /// <summary>Humanitarian support on its schema: it hears reception's overflows on the bus of this fixture.</summary>
    public Task<RunningService> StartHumanitarianAsync(string schema) =>
        RunningService.StartAsync(HumanitarianService.Build, TestSettings.For(Infra, Tokens, schema));

    /// <summary>The situation service on its schema, catching up on the given services' feeds; its board on a port of its own.</summary>
    public async Task<SituationInstance> StartSituationAsync(string schema, IReadOnlyDictionary<string, RunningService> sources)
    {
        var settings = TestSettings.For(Infra, Tokens, schema);
        foreach (var (name, source) in sources) settings[$"Feed:Sources:{name}"] = source.Address;
        settings["Feed:Token"] = Tokens.Coordinator("crisisops-situation");
        var grpc = $"http://127.0.0.1:{FreePort()}";
        var board = $"http://127.0.0.1:{FreePort()}";
        settings["Kestrel:Endpoints:Grpc:Url"] = grpc;
        settings["Kestrel:Endpoints:Grpc:Protocols"] = "Http2";
        settings["Kestrel:Endpoints:Board:Url"] = board;
        settings["Kestrel:Endpoints:Board:Protocols"] = "Http1";
        var service = await RunningService.StartAsync(SituationService.Build, settings);
        return new SituationInstance(service, GrpcChannel.ForAddress(grpc), board);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A running situation service: its gRPC channel and its board's address.</summary>
public sealed class SituationInstance(RunningService service, GrpcChannel channel, string board) : IAsyncDisposable
{
    public RunningService Service { get; } = service;

    public Grpc.V1.Situation.SituationClient Client { get; } = new(channel);

    public string Board { get; } = board;

    public async ValueTask DisposeAsync()
    {
        channel.Dispose();
        await Service.DisposeAsync();
    }
}
