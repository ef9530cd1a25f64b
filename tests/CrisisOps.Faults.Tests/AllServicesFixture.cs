extern alias auditor;
extern alias declaration;
extern alias humanitarian;
extern alias leverages;
extern alias measures;
extern alias reception;
using System.Reflection;
using CrisisOps.Testing;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Xunit;

namespace CrisisOps.Faults.Tests;

[CollectionDefinition(Name)]
public sealed class AllServicesCollection : ICollectionFixture<AllServicesFixture>
{
    public const string Name = "all-services";
}

/// <summary>One of the six services, started for real, with the descriptors of the gRPC API it serves.</summary>
public sealed record ServiceUnderTest(string Name, RunningService Service, string? Schema, IReadOnlyList<ServiceDescriptor> Apis);

/// <summary>
/// The six services started for real on the shared servers, each on its own schema, all in one message topology so
/// that their integration events reach each other as in production.
/// </summary>
public sealed class AllServicesFixture : ServiceStack
{
    private readonly List<ServiceUnderTest> _services = [];

    public IReadOnlyList<ServiceUnderTest> Services => _services;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var stores = new List<string>();
        foreach (var (name, build, assembly) in new (string, Func<string[], Action<WebApplicationBuilder>, WebApplication>, Assembly)[]
                 {
                     ("declaration", declaration::CrisisOps.Declaration.DeclarationService.Build, typeof(declaration::CrisisOps.Declaration.DeclarationService).Assembly),
                     ("measures", measures::CrisisOps.Measures.MeasuresService.Build, typeof(measures::CrisisOps.Measures.MeasuresService).Assembly),
                     ("reception", reception::CrisisOps.Reception.ReceptionService.Build, typeof(reception::CrisisOps.Reception.ReceptionService).Assembly),
                     ("humanitarian", humanitarian::CrisisOps.Humanitarian.HumanitarianService.Build, typeof(humanitarian::CrisisOps.Humanitarian.HumanitarianService).Assembly),
                     ("leverages", leverages::CrisisOps.Leverages.LeveragesService.Build, typeof(leverages::CrisisOps.Leverages.LeveragesService).Assembly),
                 })
        {
            var schema = TestSettings.NewSchema($"fz{name[..4]}");
            stores.Add(schema);
            var service = await RunningService.StartAsync(build, TestSettings.For(Infra, Tokens, schema));
            _services.Add(new ServiceUnderTest(name, service, schema, ApisOf(assembly)));
        }

        var audit = TestSettings.For(Infra, Tokens, TestSettings.NewSchema("fzaudit"));
        for (var i = 0; i < stores.Count; i++) audit[$"Audit:Schemas:{i}"] = stores[i];
        var auditorService = await RunningService.StartAsync(auditor::CrisisOps.Auditor.AuditorService.Build, audit);
        _services.Add(new ServiceUnderTest("auditor", auditorService, null, ApisOf(typeof(auditor::CrisisOps.Auditor.AuditorService).Assembly)));
    }

    public override async Task DisposeAsync()
    {
        foreach (var s in _services) await s.Service.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Every gRPC service declared in the generated code of <paramref name="assembly"/> (its *Reflection classes).</summary>
    public static IReadOnlyList<ServiceDescriptor> ApisOf(Assembly assembly) =>
    [
        .. assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .SelectMany(p => ((FileDescriptor)p!.GetValue(null)!).Services),
    ];

    /// <summary>Events recorded in a store.</summary>
    public async Task<long> EventCountAsync(string schema) =>
        await ScalarAsync($"select count(*) from {schema}.mt_events");

    /// <summary>Events and processed commands a request id left in a store (0: the call recorded nothing).</summary>
    public async Task<long> RecordedUnderAsync(string schema, string requestId)
    {
        await using var c = new NpgsqlConnection(Infra.Postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select (select count(*) from {schema}.mt_events where causation_id = @r) + (select count(*) from {schema}.mt_doc_processedcommand where id like '%/' || @r)", c);
        command.Parameters.AddWithValue("r", requestId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var c = new NpgsqlConnection(Infra.Postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
