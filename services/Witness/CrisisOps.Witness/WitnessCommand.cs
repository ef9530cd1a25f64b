using System.CommandLine;
using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary><c>crisisops-witness keygen | poll | run [--listen URL]</c>.</summary>
public static class WitnessCommand
{
    /// <summary>Every log's checkpoint was cosigned, or had not changed.</summary>
    public const int AllCosigned = 0;

    /// <summary>A log served a checkpoint that does not extend what the witness cosigned: refused, evidence kept.</summary>
    public const int Refused = 1;

    /// <summary>The witness could not run, or could not reach or read a log (nothing refused).</summary>
    public const int CouldNotRun = 2;

    public static RootCommand Create() =>
        new("crisisops-witness: cosigns the checkpoints of CrisisOps transparency logs (C2SP tlog-witness, cosignature/v1) once it has " +
            "verified each extends the last it cosigned, and refuses, reports and keeps evidence of a split view, a rewrite or a rollback. " +
            "Run it as a party other than the operator. Exit code 0: cosigned (or unchanged); 1: a checkpoint was refused; 2: could not run.")
        {
            Keygen(),
            Poll("poll", "Polls every log once, then exits.", loop: false),
            Poll("run", "Polls every log at a fixed interval until stopped (Ctrl-C); a refusal is logged and counted, and the loop goes on. " +
                "With --listen it also serves its state over HTTP (GET /logs, /cosigned/{origin}, /refused/{origin}) and takes checkpoints " +
                "pushed by the logs (C2SP tlog-witness POST /add-checkpoint), one writer for both", loop: true),
        };

    private static Command Keygen()
    {
        var name = new Option<string>("--name") { Description = "The witness's name, a schema-less URL naming who runs it (e.g. witness.ombudsman.example)", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "Where to write the private key (mode 600); it must not exist", Required = true };
        var command = new Command("keygen", "Creates the witness's Ed25519 cosigner key; prints its verifier key, which auditors are given.") { name, key };
        command.SetAction(result =>
        {
            try
            {
                var file = result.GetRequiredValue(key).FullName;
                if (File.Exists(file)) throw new IOException($"{file} exists: a witness keeps its key (a new key starts a new history)");
                using var generated = NoteKey.Generate(result.GetRequiredValue(name), NoteKeyType.Cosignature);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, generated.Export() + "\n");
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Console.WriteLine(generated.Verifier);
                return AllCosigned;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"crisisops-witness: {ex.Message}");
                return CouldNotRun;
            }
        });
        return command;
    }

    private static Command Poll(string verb, string description, bool loop)
    {
        var key = new Option<FileInfo>("--key") { Description = "The witness's private key (crisisops-witness keygen), never the operator's", Required = true };
        var logs = new Option<FileInfo>("--logs")
        {
            Description = "The logs to witness, one per line: '<log verifier key> <transparency endpoint URL>' (the log's origin is its key's name)",
            Required = true,
        };
        var state = new Option<DirectoryInfo>("--state")
        {
            Description = "The witness's own directory: cosigned/ (what it publishes, and its state) and refused/ (evidence)",
            Required = true,
        };
        var interval = new Option<TimeSpan>("--interval")
        {
            Description = "Time between polls (run only); 00:00:00 polls never, with --listen: the logs push",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        };
        var listen = new Option<string?>("--listen")
        {
            Description = "Serve the state and add-checkpoint over HTTP at this address (run only), e.g. http://127.0.0.1:5230; loopback " +
                "unless you name another address (put a TLS proxy in front to publish it)",
        };
        var command = new Command(verb, description) { key, logs, state };
        if (loop)
        {
            command.Options.Add(interval);
            command.Options.Add(listen);
        }
        command.SetAction(async (result, ct) =>
        {
            NoteKey witness;
            IReadOnlyList<WitnessedLog> watched;
            try
            {
                witness = NoteKey.Load(result.GetRequiredValue(key).FullName);
                if (witness.Verifier.Type != NoteKeyType.Cosignature) throw new FormatException($"{witness.Name} is not a cosigner key (type 0x04): make one with keygen");
                watched = WitnessedLog.ReadFile(result.GetRequiredValue(logs).FullName);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"crisisops-witness: {ex.Message}");
                return CouldNotRun;
            }

            var every = result.GetValue(interval);
            var listenAt = result.GetValue(listen);
            Uri? address = null;
            if (listenAt is not null && (!Uri.TryCreate(listenAt, UriKind.Absolute, out address) || address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
            {
                Console.Error.WriteLine($"crisisops-witness: --listen '{listenAt}' is not an http:// address");
                return CouldNotRun;
            }

            if (loop && every <= TimeSpan.Zero && address is null)
            {
                Console.Error.WriteLine("crisisops-witness: --interval 00:00:00 polls never: give --listen, or an interval");
                return CouldNotRun;
            }

            using (witness)
            using (var cosigner = new Cosigner(witness, new WitnessState(result.GetRequiredValue(state).FullName), TimeProvider.System))
            {
                var poll = new WitnessPoll(cosigner);
                if (!loop) return Report(await poll.PollAsync(watched, ct));
                using var metrics = WitnessTelemetry.Start();
                await using var server = address is null ? null : WitnessServer.Build(address, cosigner, watched);
                try
                {
                    if (server is not null)
                    {
                        await server.StartAsync(ct);
                        Console.WriteLine($"serving {string.Join(", ", WitnessServer.Addresses(server))} (GET /logs, /cosigned/{{origin}}, /refused/{{origin}}; POST /add-checkpoint)");
                    }

                    if (every > TimeSpan.Zero)
                    {
                        using var timer = new PeriodicTimer(every);
                        do Report(await poll.PollAsync(watched, ct));
                        while (await timer.WaitForNextTickAsync(ct));
                    }
                    else
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    // Stopped: the state is written after each checkpoint, so nothing is half done.
                }
                catch (IOException ex)
                {
                    // Kestrel could not bind (the port is taken).
                    Console.Error.WriteLine($"crisisops-witness: --listen {address}: {ex.Message}");
                    return CouldNotRun;
                }
                finally
                {
                    if (server is not null) await server.StopAsync(CancellationToken.None);
                }

                return AllCosigned;
            }
        });
        return command;
    }

    /// <summary>Prints one line per log; returns the exit code of the round.</summary>
    private static int Report(IReadOnlyList<PollOutcome> outcomes)
    {
        foreach (var o in outcomes)
        {
            switch (o.Verdict)
            {
                case WitnessVerdict.Cosign c:
                    Console.WriteLine($"cosigned {o.Origin} at size {c.Offered.Checkpoint.Size}: {o.File}");
                    break;
                case WitnessVerdict.Unchanged u:
                    Console.WriteLine($"unchanged {o.Origin} at size {u.Cosigned.Checkpoint.Size}");
                    break;
                case WitnessVerdict.Refuse r:
                    Console.Error.WriteLine($"REFUSED {o.Origin} at size {r.Offered.Checkpoint.Size} ({WitnessState.Kebab(r.Kind)}): {r.Reason}; evidence: {o.File}");
                    break;
                default:
                    Console.Error.WriteLine($"could not poll {o.Origin}: {o.Problem}");
                    break;
            }
        }

        return outcomes.Any(o => o.Verdict is WitnessVerdict.Refuse) ? Refused
            : outcomes.Any(o => o.Verdict is null) ? CouldNotRun
            : AllCosigned;
    }
}
