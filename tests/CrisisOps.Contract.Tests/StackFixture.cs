extern alias declaration;
extern alias measures;
extern alias reception;
using CrisisOps.Testing;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;
using ReceptionService = reception::CrisisOps.Reception.ReceptionService;

namespace CrisisOps.Contract.Tests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

/// <summary>
/// The three services a ministry's first integration calls (crisis declaration, emergency legal measures, reception
/// capacity), started for real on their own schemas and one message topology, and the Node.js kit installed.
/// </summary>
public sealed class StackFixture : ServiceStack
{
    public RunningService Declaration { get; private set; } = null!;

    public RunningService Measures { get; private set; } = null!;

    public RunningService Reception { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await NodeKit.EnsureInstalledAsync();
        Declaration = await RunningService.StartAsync(DeclarationService.Build, TestSettings.For(Infra, Tokens, TestSettings.NewSchema("kit_decl")));
        Measures = await RunningService.StartAsync(MeasuresService.Build, TestSettings.For(Infra, Tokens, TestSettings.NewSchema("kit_meas")));
        Reception = await RunningService.StartAsync(ReceptionService.Build, TestSettings.For(Infra, Tokens, TestSettings.NewSchema("kit_recp")));
    }

    public override async Task DisposeAsync()
    {
        foreach (var service in new[] { Reception, Measures, Declaration })
            if (service is not null) await service.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>host:port of a running service, as a gRPC client outside .NET names it.</summary>
    public static string Target(RunningService service) => new Uri(service.Address).Authority;
}
