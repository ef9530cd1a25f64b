using System.Text.Json;
using CrisisOps.Testing;
using Xunit;

namespace CrisisOps.Contract.Tests;

/// <summary>
/// The ministry integration kit (<c>clients/node</c>, @grpc/grpc-js loading the .proto files alone) run by <c>node</c>
/// against the real services: its own ES256 token, a crisis, the live watch, an emergency, a measure, arrivals.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class NodeClientTests(StackFixture stack) : IDisposable
{
    private readonly string _keyFile = Path.Combine(Path.GetTempPath(), $"crisisops-kit-{Guid.NewGuid():N}.pem");

    [Fact]
    public async Task The_walkthrough_declares_a_crisis_an_emergency_and_a_measure_reports_arrivals_and_sees_each_change_on_the_watch()
    {
        await File.WriteAllTextAsync(_keyFile, stack.Tokens.PrivateKeyPem);

        var (exitCode, lines, stderr) = await WalkthroughAsync(_keyFile);

        Assert.True(exitCode == 0, $"exit {exitCode}: {string.Join('\n', lines.Select(l => l.GetRawText()))}\n{stderr}");
        Assert.Equal(
            ["token", "ListLegalBases", "DeclareCrisis", "WatchCrisis", "DeclareEmergency", "WatchCrisis:change", "EnactMeasure",
                "RegisterFacility", "ReportArrivals", "EndCrisis"],
            lines.Where(l => l.TryGetProperty("step", out _)).Select(l => l.GetProperty("step").GetString()));
        Assert.All(lines, l => Assert.True(l.GetProperty("ok").GetBoolean(), l.GetRawText()));
        var step = lines.ToDictionary(l => l.TryGetProperty("step", out var s) ? s.GetString()! : "done");
        Assert.True(step["DeclareCrisis"].GetProperty("qualifies_as_instrumentalization").GetBoolean());
        // The watch carried the emergency as the service recorded it, under the actor of the kit's own token.
        Assert.Equal("EMERGENCY_STATUS_IN_FORCE", step["WatchCrisis:change"].GetProperty("emergency_status").GetString());
        Assert.Equal("node-client:pl-duty-officer", step["WatchCrisis:change"].GetProperty("actor").GetString());
        Assert.StartsWith("measure-", step["EnactMeasure"].GetProperty("measure_id").GetString(), StringComparison.Ordinal);
        Assert.Equal(20, step["ReportArrivals"].GetProperty("occupied").GetInt32());
        // int64 versions arrive as decimal strings (longs: String), never rounded JavaScript numbers.
        Assert.Equal(JsonValueKind.String, step["DeclareEmergency"].GetProperty("version").ValueKind);
        Assert.Equal("EMERGENCY_STATUS_ENDED_WITH_CRISIS", step["EndCrisis"].GetProperty("emergency_status").GetString());
    }

    [Fact]
    public async Task A_token_signed_with_a_key_the_services_do_not_trust_is_refused_as_unauthenticated_and_the_kit_says_so()
    {
        using var stranger = new Tokens();
        await File.WriteAllTextAsync(_keyFile, stranger.PrivateKeyPem);

        var (exitCode, lines, _) = await WalkthroughAsync(_keyFile);

        Assert.Equal(1, exitCode);
        var done = lines[^1];
        Assert.False(done.GetProperty("ok").GetBoolean());
        Assert.Equal("UNAUTHENTICATED", done.GetProperty("code").GetString());
        Assert.DoesNotContain(lines, l => l.TryGetProperty("step", out var s) && s.GetString() == "DeclareCrisis");
    }

    private async Task<(int ExitCode, List<JsonElement> Lines, string StandardError)> WalkthroughAsync(string keyFile)
    {
        var result = await NodeKit.RunAsync("node",
            ["src/walkthrough.js", "--key", keyFile, "--declaration", StackFixture.Target(stack.Declaration),
                "--measures", StackFixture.Target(stack.Measures), "--reception", StackFixture.Target(stack.Reception)],
            NodeKit.Folder, TimeSpan.FromMinutes(2));
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (result.ExitCode, lines, result.StandardError);
    }

    public void Dispose() => File.Delete(_keyFile);
}
