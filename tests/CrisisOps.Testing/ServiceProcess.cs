using System.Diagnostics;
using System.Globalization;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CrisisOps.Testing;

/// <summary>
/// One service run as its own process (<c>dotnet X.dll</c>, as deploy/run.sh runs it), stopped or killed by its pid:
/// the fault suite kills it, the benchmark suite reads its peak memory.
/// </summary>
public sealed class ServiceProcess(string name, string assembly, int port, IReadOnlyDictionary<string, string> environment, string logFile) : IDisposable
{
    private Process? _process;

    public string Name { get; } = name;

    public GrpcChannel Channel { get; } = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");

    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts the process and waits until its health service answers SERVING.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        if (!File.Exists(assembly)) throw new FileNotFoundException($"{Name}: {assembly} is not built (dotnet build -c Release)", assembly);
        var info = new ProcessStartInfo("dotnet", [assembly]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var health = new Health.HealthClient(Channel);
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} at start-up; see {logFile}");
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (Grpc.Core.RpcException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > until) throw new TimeoutException($"{Name} did not answer within {timeout}; see {logFile}");
            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The process's peak resident memory so far in MB (<c>VmHWM</c> of /proc/&lt;pid&gt;/status: the kernel's
    /// high-water mark, so no sampling can miss a peak); null where /proc is not there or the process has exited.
    /// </summary>
    public double? PeakResidentMegabytes()
    {
        if (Pid is not { } pid) return null;
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        if (line is null) return null;
        var kilobytes = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kilobytes / 1024.0;
    }

    /// <summary>kill -9: SIGKILL to the pid, no shutdown hook runs.</summary>
    public void KillHard()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: false);
        p.WaitForExit(10_000);
    }

    public void Dispose()
    {
        KillHard();
        _process?.Dispose();
        Channel.Dispose();
    }
}
