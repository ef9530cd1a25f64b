extern alias witness;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Transparency;
using CrisisOps.Transparency.Grpc.V1;
using Xunit;
using static CrisisOps.Testing.RunningService;
using WitnessCommand = witness::CrisisOps.Witness.WitnessCommand;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// The witness over HTTP (issue 11): <c>crisisops-audit --witness URL</c> checks what a witness serves exactly as a copy of
/// its directory, and a log pushes its checkpoints with C2SP tlog-witness <c>add-checkpoint</c>, answered with the
/// witness's cosignature, or 403, 404, 409 and 422 as the specification says. Real Kestrel on loopback, the real
/// declaration service and PostgreSQL.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WitnessOverHttpTests(StackFixture stack)
{
    [Fact]
    public async Task The_audit_against_a_witness_served_over_http_passes_when_every_store_extends_what_it_cosigned()
    {
        using var w = await Witnessed.RecordAsync(stack, "hclean");
        await using var served = await ServedWitness.StartAsync(w);

        using var index = JsonDocument.Parse(await served.Http.GetStringAsync(new Uri(served.Url, "logs")));
        var entry = Assert.Single(index.RootElement.EnumerateArray());
        Assert.Equal((w.Setup.Key.Name, 5L), (entry.GetProperty("origin").GetString(), entry.GetProperty("size").GetInt64()));
        var newest = SignedCheckpoint.Parse(await served.Http.GetStringAsync(new Uri(served.Url, "cosigned/" + ServedWitness.PathOf(w.Setup.Key.Name))));
        Assert.Equal(5L, newest.Checkpoint.Size);
        Assert.True(newest.Note.IsSignedBy(w.Setup.Key.Verifier));
        Assert.NotNull(Cosignature.VerifiedBy(newest, w.Key.Verifier));
        Assert.Equal("[]", await served.Http.GetStringAsync(new Uri(served.Url, "refused/" + ServedWitness.PathOf(w.Setup.Key.Name))));

        var (exit, report) = await AuditAsync(w, served.Url.AbsoluteUri);
        Assert.Equal("", string.Join("; ", report.Findings.Where(f => f.Severity == Severity.Error).Select(f => $"{f.Rule}: {f.Message}")));
        Assert.Equal(AuditCommand.Passed, exit);
    }

    [Fact]
    public async Task A_rewrite_after_the_cosigned_checkpoint_fails_the_audit_over_http_naming_the_store_the_checkpoint_and_the_position()
    {
        using var w = await Witnessed.RecordAsync(stack, "hrewrite");
        await using var served = await ServedWitness.StartAsync(w);
        await stack.ExecuteAsync($$"""update {{w.Schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2022-12-31"') where seq_id = 3""");
        await w.ForgetPublishedCheckpointsAsync();
        await OperatorAttacks.RecomputeEverythingAsync(stack, w.Schema);
        await using (var service = await w.StartAsync())
        {
            await StackFixture.Declaration(service).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-4"), As(stack.Tokens.Ministry("PL")));
            await stack.WaitUntilLoggedAsync(w.Schema, 6);
            // The poll writes while the served witness holds the same state: one writer at a time, through the lock file.
            Assert.Equal(WitnessCommand.Refused, await w.PollAsync(service));
        }

        var (exit, report) = await AuditAsync(w, served.Url.AbsoluteUri);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        var mismatch = report.Findings.First(f => f.Rule == "integrity.checkpoint-mismatch");
        Assert.Equal((Severity.Error, w.Schema), (mismatch.Severity, mismatch.Store));
        Assert.Contains($"checkpoint {TransparencySetup.LogName}/{w.Schema} at size 5 (cosigned by {w.Key.Name} at ", mismatch.Message, StringComparison.Ordinal);
        Assert.NotNull(mismatch.Sequence);
        var refused = Assert.Single(report.Findings, f => f.Rule == "integrity.witness-refused");
        Assert.Equal(w.Schema, refused.Store);
        Assert.Contains("(not-an-extension)", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"evidence: {served.Url}refused/", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_checkpoint_cosigns_a_proven_extension_and_answers_400_403_404_409_and_422_as_c2sp_tlog_witness_says()
    {
        using var w = await Witnessed.RecordAsync(stack, "hpush");
        await using var served = await ServedWitness.StartAsync(w);
        string note;
        List<string> proof;
        await using (var service = await w.StartAsync())
        {
            await StackFixture.Declaration(service).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-4"), As(stack.Tokens.Ministry("PL")));
            await stack.WaitUntilLoggedAsync(w.Schema, 6);
            var log = new CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyClient(service.Channel);
            note = (await log.GetCheckpointAsync(new GetCheckpointRequest { Refresh = true })).Note;
            proof = [.. (await log.GetConsistencyProofAsync(new GetConsistencyProofRequest { FirstSize = 5, SecondSize = 6 })).Hashes.Select(h => Convert.ToBase64String(h.ToByteArray()))];
        }

        var offered = SignedCheckpoint.Parse(note);
        Assert.Equal(6L, offered.Checkpoint.Size);
        var origin = w.Setup.Key.Name;

        // Anyone may post: a checkpoint under the log's name signed by another key is turned away and nothing is kept.
        using (var forger = NoteKey.Generate(origin, NoteKeyType.Ed25519))
            Assert.Equal(HttpStatusCode.Forbidden, (await PushAsync(served, 5, proof, SignedCheckpoint.Sign(offered.Checkpoint, forger).ToString())).Status);
        using (var stranger = NoteKey.Generate($"{TransparencySetup.LogName}/elsewhere", NoteKeyType.Ed25519))
            Assert.Equal(HttpStatusCode.NotFound, (await PushAsync(served, 0, [], SignedCheckpoint.Sign(offered.Checkpoint with { Origin = stranger.Name }, stranger).ToString())).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PushAsync(served, 7, proof, note)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(served, $"old 05\n{string.Concat(proof.Select(p => p + "\n"))}\n{note}")).Status);

        // A wrong old size: 409 with the size the witness cosigned last, as text/x.tlog.size.
        var conflict = await PushAsync(served, 3, proof, note);
        Assert.Equal((HttpStatusCode.Conflict, "5\n", "text/x.tlog.size"), (conflict.Status, conflict.Body, conflict.ContentType));

        // A proof that does not verify: 422, and the log's signed checkpoint is kept as evidence.
        var forged = proof.Select(Convert.FromBase64String).ToList();
        forged[0][0] ^= 1;
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await PushAsync(served, 5, [.. forged.Select(Convert.ToBase64String)], note)).Status);
        var refusals = JsonDocument.Parse(await served.Http.GetStringAsync(new Uri(served.Url, "refused/" + ServedWitness.PathOf(origin)))).RootElement;
        Assert.Contains("kind: not-an-extension", Assert.Single(refusals.EnumerateArray()).GetProperty("evidence").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(w.State, "cosigned"), "*.checkpoint", SearchOption.AllDirectories).Length);

        // The true extension: 200 and one cosignature line, which verifies on the checkpoint; the witness now stands at 6.
        var cosigned = await PushAsync(served, 5, proof, note);
        Assert.Equal((HttpStatusCode.OK, 1), (cosigned.Status, cosigned.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length));
        Assert.StartsWith($"{SignedNote.Dash} {w.Key.Name} ", cosigned.Body, StringComparison.Ordinal);
        Assert.NotNull(Cosignature.VerifiedBy(SignedCheckpoint.Parse(note + cosigned.Body), w.Key.Verifier));
        var newest = SignedCheckpoint.Parse(await served.Http.GetStringAsync(new Uri(served.Url, "cosigned/" + ServedWitness.PathOf(origin))));
        Assert.Equal(6L, newest.Checkpoint.Size);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Conflict), ((await PushAsync(served, 6, [], note)).Status, (await PushAsync(served, 5, proof, note)).Status));

        // The log's own checkpoint of 5 offered after 6 was cosigned: a rollback, 409 at 6, and kept as evidence.
        var five = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(w.State, "cosigned"), "00000000000000000005.checkpoint", SearchOption.AllDirectories).Single());
        var rollback = await PushAsync(served, 5, [], five);
        Assert.Equal((HttpStatusCode.Conflict, "6\n"), (rollback.Status, rollback.Body));

        // And the audit over HTTP reports both refusals.
        var (exit, report) = await AuditAsync(w, served.Url.AbsoluteUri);
        Assert.Equal(AuditCommand.ChecksFailed, exit);
        Assert.Equal(["not-an-extension", "rollback"], report.Findings.Where(f => f.Rule == "integrity.witness-refused")
            .Select(f => f.Message.Contains("(rollback)", StringComparison.Ordinal) ? "rollback" : "not-an-extension").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Run_with_listen_serves_the_state_until_it_is_stopped()
    {
        using var w = await Witnessed.RecordAsync(stack, "hrun");
        var logs = Path.Combine(w.Setup.Root, "witness", "logs-run");
        await File.WriteAllTextAsync(logs, $"{w.Setup.Key.Verifier} http://127.0.0.1:9\n");
        var url = $"http://127.0.0.1:{FreePort()}/";
        using var stop = new CancellationTokenSource();
        // Push only (no polls): the command's own host, as deploy/run.sh starts it.
        var run = WitnessCommand.Create().Parse(["run", "--key", w.KeyFile, "--logs", logs, "--state", w.State, "--interval", "00:00:00", "--listen", url])
            .InvokeAsync(cancellationToken: stop.Token);
        using var http = new HttpClient();
        string? index = null;
        for (var i = 0; i < 200 && index is null && !run.IsCompleted; i++)
        {
            try
            {
                index = await http.GetStringAsync(new Uri(new Uri(url), "logs"));
            }
            catch (HttpRequestException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Contains($"\"origin\":\"{w.Setup.Key.Name}\"", index ?? "(it never answered)", StringComparison.Ordinal);
        await stop.CancelAsync();
        Assert.Equal(WitnessCommand.AllCosigned, await run);
        Assert.Equal(WitnessCommand.CouldNotRun, await WitnessCommand.Create().Parse(
            ["run", "--key", w.KeyFile, "--logs", logs, "--state", w.State, "--listen", "not a url"]).InvokeAsync());
    }

    [Fact]
    public async Task A_witness_that_cannot_be_reached_is_an_error_naming_its_url_never_a_pass()
    {
        using var w = await Witnessed.RecordAsync(stack, "hgone");
        var url = $"http://127.0.0.1:{FreePort()}/";

        var (logKeys, witnessKeys) = await KeyFilesAsync(w);
        var report = await AuditRunner.RunAsync(stack.Infra.Postgres, await AuditRunner.StoresAsync(stack.Infra.Postgres, [w.Schema], CancellationToken.None),
            new AuditOptions(DateTimeOffset.Parse("2021-09-04T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), AuditOptions.DefaultTolerance, null, null, null, null),
            null, TimeProvider.System, CancellationToken.None);
        var unreachable = await Assert.ThrowsAsync<IOException>(() =>
            AuditCommand.WithCheckpointsAsync(report, stack.Infra.Postgres, new AuditCommand.KeptCheckpoints(null, logKeys, url, witnessKeys), CancellationToken.None));
        Assert.Contains($"the witness at {url}logs cannot be reached", unreachable.Message, StringComparison.Ordinal);
        Assert.Equal(AuditCommand.CouldNotRun, await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", w.Schema, "--as-of", "2021-09-04", "--witness", url, "--witness-keys", witnessKeys, "--log-keys", logKeys]).InvokeAsync());
    }

    /// <summary>A loopback port nothing listens on (taken, then given back).</summary>
    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed record Answer(HttpStatusCode Status, string Body, string? ContentType);

    private static Task<Answer> PushAsync(ServedWitness served, long old, IReadOnlyList<string> proof, string checkpoint) =>
        PostAsync(served, $"old {old}\n{string.Concat(proof.Select(p => p + "\n"))}\n{checkpoint}");

    private static async Task<Answer> PostAsync(ServedWitness served, string body)
    {
        using var response = await served.Http.PostAsync(new Uri(served.Url, "add-checkpoint"), new StringContent(body, Encoding.UTF8, "text/plain"));
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<(string LogKeys, string WitnessKeys)> KeyFilesAsync(Witnessed w)
    {
        var logKeys = Path.Combine(w.Setup.Root, "log-keys");
        var witnessKeys = Path.Combine(w.Setup.Root, "witness-keys");
        await File.WriteAllTextAsync(logKeys, w.Setup.Key.Verifier + "\n");
        await File.WriteAllTextAsync(witnessKeys, w.Key.Verifier + "\n");
        return (logKeys, witnessKeys);
    }

    private async Task<(int Exit, AuditReport Report)> AuditAsync(Witnessed w, string witnessUrl)
    {
        var json = Path.Combine(w.Setup.Root, $"audit-{Guid.NewGuid():N}.json");
        var (logKeys, witnessKeys) = await KeyFilesAsync(w);
        var exit = await AuditCommand.Create().Parse(
            ["--connection", stack.Infra.Postgres, "--schema", w.Schema, "--as-of", "2021-09-04", "--json", json,
             "--witness", witnessUrl, "--witness-keys", witnessKeys, "--log-keys", logKeys]).InvokeAsync();
        return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
    }
}
