using System.Diagnostics;

namespace CrisisOps.Testing;

/// <summary>
/// The ministry integration kit in <c>clients/node</c> and the tools its package brings (<c>buf</c>): installed from
/// its lock file once per machine, then run as child processes of the test.
/// </summary>
public static class NodeKit
{
    /// <summary>The kit's folder.</summary>
    public static string Folder { get; } = Repository.File("clients/node");

    /// <summary>A tool of the kit's packages, e.g. <c>buf</c>.</summary>
    public static string Tool(string name) => Path.Combine(Folder, "node_modules", ".bin", name);

    /// <summary>
    /// Runs <c>npm ci</c> unless the locked packages are there. Test assemblies run in parallel, so one install at a
    /// time: an exclusive lock file beside the kit.
    /// </summary>
    public static async Task EnsureInstalledAsync()
    {
        var marker = Path.Combine(Folder, "node_modules", ".package-lock.json");
        if (File.Exists(marker)) return;
        var lockPath = Path.Combine(Folder, ".install.lock");
        FileStream? held = null;
        for (var attempt = 0; held is null; attempt++)
        {
            try
            {
                held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(500);
            }
        }

        await using (held)
        {
            if (File.Exists(marker)) return;
            var result = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], Folder, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
                throw new InvalidOperationException($"npm ci in {Folder} failed ({result.ExitCode}): {result.StandardError}");
        }
    }

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>) and returns what it printed.</summary>
    public static async Task<ProcessResult> RunAsync(string program, IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}: {await stdout}{await stderr}");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}

/// <summary>What a finished child process printed, and its exit code.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError);
