extern alias witness;
using CrisisOps.Testing;
using CrisisOps.Transparency;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using WitnessCommand = witness::CrisisOps.Witness.WitnessCommand;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>A store, the service's log key, and a witness of its own (key and state) in the setup's directory.</summary>
public sealed class Witnessed(StackFixture stack, string schema, TransparencySetup setup) : IDisposable
{
    private NoteKey? _key;

    public string Schema => schema;

    public TransparencySetup Setup => setup;

    public string KeyFile { get; } = Path.Combine(setup.Root, "witness", "witness.key");

    public string State { get; } = Path.Combine(setup.Root, "witness", "state");

    public NoteKey Key => _key ??= NoteKey.Load(KeyFile);

    /// <summary>The first crisis recorded (its stream: the law, then the crisis at v1 and its emergency at v2).</summary>
    public string First { get; private set; } = "";

    /// <summary>The service, signing with the setup's key, and reading the witness's cosignatures for its receipts.</summary>
    public Task<RunningService> StartAsync() =>
        stack.StartDeclarationAsync(schema, new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2))), s =>
        {
            setup.Apply(s);
            s["Transparency:WitnessDirectory"] = State;
        });

    /// <summary>One <c>crisisops-witness poll</c> of the service's log.</summary>
    public async Task<int> PollAsync(RunningService service)
    {
        var logs = Path.Combine(setup.Root, "witness", "logs");
        await File.WriteAllTextAsync(logs, $"# the declaration service's log\n{setup.Key.Verifier} {service.Address}\n");
        return await WitnessCommand.Create().Parse(["poll", "--key", KeyFile, "--logs", logs, "--state", State]).InvokeAsync();
    }

    /// <summary>The operator owns the service's checkpoint directory too: it deletes what the service published.</summary>
    public Task ForgetPublishedCheckpointsAsync()
    {
        Directory.Delete(Path.Combine(setup.Checkpoints, schema), recursive: true);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _key?.Dispose();
        setup.Dispose();
    }

    /// <summary>A store of five events (the law adopted, a crisis, its emergency, two more crises), its checkpoints at 3 and 5 cosigned by a witness.</summary>
    public static async Task<Witnessed> RecordAsync(StackFixture stack, string prefix)
    {
        var schema = TestSettings.NewSchema(prefix);
        var w = new Witnessed(stack, schema, new TransparencySetup(schema));
        Assert.Equal(WitnessCommand.AllCosigned, await WitnessCommand.Create().Parse(["keygen", "--name", "witness.ombudsman.test", "--key", w.KeyFile]).InvokeAsync());
        await using var declaration = await w.StartAsync();
        var crises = StackFixture.Declaration(declaration);
        var poland = As(stack.Tokens.Ministry("PL"));

        var first = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        w.First = first.Result.Id;
        await crises.DeclareEmergencyAsync(Requests.Emergency(first.Result.Id, first.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await stack.WaitUntilLoggedAsync(schema, 3);
        Assert.Equal(WitnessCommand.AllCosigned, await w.PollAsync(declaration));
        await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-2"), poland);
        await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY-3"), poland);
        await stack.WaitUntilLoggedAsync(schema, 5);
        await stack.WaitUntilSealedAsync(schema);
        Assert.Equal(WitnessCommand.AllCosigned, await w.PollAsync(declaration));
        return w;
    }
}
