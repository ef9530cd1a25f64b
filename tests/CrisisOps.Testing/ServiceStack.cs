using Xunit;

namespace CrisisOps.Testing;

/// <summary>
/// What every integration test collection shares: the real servers (<see cref="Infrastructure"/>) and one signing key.
/// Each test project's collection fixture derives from it and adds how to start its services.
/// </summary>
public abstract class ServiceStack : IAsyncLifetime
{
    public Infrastructure Infra { get; } = new();

    public Tokens Tokens { get; } = new();

    public virtual Task InitializeAsync() => Infra.InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        await Infra.DisposeAsync();
        Tokens.Dispose();
    }
}
