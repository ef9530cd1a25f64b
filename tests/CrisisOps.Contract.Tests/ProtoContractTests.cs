using System.Text.RegularExpressions;
using CrisisOps.Testing;
using Xunit;

namespace CrisisOps.Contract.Tests;

/// <summary>
/// The .proto files as a published contract: <c>buf lint</c> with the rules of shared/protos/buf.yaml, and
/// <c>buf breaking</c> against the release named in shared/protos/RELEASE, so that a breaking change fails the suite.
/// </summary>
public sealed class ProtoContractTests : IAsyncLifetime, IDisposable
{
    private static readonly string Protos = Repository.File("shared/protos");
    private static readonly TimeSpan BufTimeout = TimeSpan.FromMinutes(2);
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), $"crisisops-contract-{Guid.NewGuid():N}");

    public Task InitializeAsync() => NodeKit.EnsureInstalledAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_protos_pass_buf_lint()
    {
        var result = await BufAsync(["lint", Protos]);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
    }

    [Fact]
    public async Task The_protos_break_nothing_of_the_released_contract()
    {
        var released = await ReleasedContractAsync();

        var result = await BufAsync(["breaking", Protos, "--against", released]);

        Assert.True(result.ExitCode == 0, $"breaking changes against release {ReleaseRef()}:\n{result.StandardOutput}{result.StandardError}");
    }

    [Fact]
    public async Task A_copy_with_a_field_whose_type_changed_and_a_removed_rpc_fails_buf_breaking_naming_both()
    {
        var released = await ReleasedContractAsync();
        var broken = Path.Combine(_scratch, "broken");
        CopyProtos(Protos, broken);
        var file = Path.Combine(broken, "declaration/v1/declaration.proto");
        var text = await File.ReadAllTextAsync(file);
        var changed = Regex.Replace(text, @"(message DeclareEmergencyRequest \{[^}]*?)string crisis_id = 2;", "$1int64 crisis_id = 2;");
        changed = Regex.Replace(changed, @"\n\s*rpc EscalateCrisis\([^;]*;", "");
        Assert.NotEqual(text, changed);
        await File.WriteAllTextAsync(file, changed);

        var result = await BufAsync(["breaking", broken, "--against", released]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("DeclareEmergencyRequest", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("crisis_id", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("EscalateCrisis", result.StandardOutput, StringComparison.Ordinal);
    }

    /// <summary>The released contract, taken from git at the commit shared/protos/RELEASE names, as a module of its own.</summary>
    private async Task<string> ReleasedContractAsync()
    {
        Directory.CreateDirectory(_scratch);
        var archive = Path.Combine(_scratch, "released.tar");
        var git = await NodeKit.RunAsync("git", ["archive", "-o", archive, ReleaseRef(), "shared/protos"], Repository.Root, BufTimeout);
        Assert.True(git.ExitCode == 0, $"the released contract {ReleaseRef()} is not in this clone's history: {git.StandardError}");
        var tar = await NodeKit.RunAsync("tar", ["-xf", archive, "-C", _scratch], _scratch, BufTimeout);
        Assert.True(tar.ExitCode == 0, tar.StandardError);
        var released = Path.Combine(_scratch, "shared/protos");
        // Its own buf.yaml makes it a module root: buf must not look above it for a workspace (the temp folder).
        await File.WriteAllTextAsync(Path.Combine(released, "buf.yaml"), "version: v2\n");
        return released;
    }

    private static string ReleaseRef() => File.ReadAllText(Path.Combine(Protos, "RELEASE")).Trim();

    private static void CopyProtos(string from, string to)
    {
        foreach (var source in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }
    }

    private static Task<ProcessResult> BufAsync(string[] arguments) =>
        NodeKit.RunAsync(NodeKit.Tool("buf"), arguments, Repository.Root, BufTimeout);

    public void Dispose()
    {
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }
}
