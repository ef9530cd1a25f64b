extern alias service;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using DeclarationService = service::CrisisOps.Declaration.DeclarationService;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>The real servers and one signing key, shared by every test of the run.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack
{
    /// <summary>Starts the declaration service on its own schema (reuse the schema to restart it).</summary>
    public Task<RunningService> StartDeclarationAsync(string schema, TimeProvider? clock = null, IDictionary<string, string?>? extra = null)
    {
        var settings = TestSettings.For(Infra, Tokens, schema);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return RunningService.StartAsync(DeclarationService.Build, settings, clock);
    }

    public static CrisisDeclaration.CrisisDeclarationClient Client(RunningService service) => new(service.Channel);

    public static CrisisDeclaration.CrisisDeclarationClient Client(ServiceEndpoint service) => new(service.Channel);

    public static FakeTimeProvider ClockAt(DateTimeOffset now) => new(now);
}
