extern alias declaration;
extern alias measures;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using CrisisOps.Transparency;
using Npgsql;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;
using MeasuresService = measures::CrisisOps.Measures.MeasuresService;

namespace CrisisOps.Auditor.IntegrationTests;

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack
{
    public Task<RunningService> StartDeclarationAsync(string schema, TimeProvider clock, Action<Dictionary<string, string?>>? settings = null) =>
        RunningService.StartAsync(DeclarationService.Build, With(TestSettings.For(Infra, Tokens, schema), settings), clock);

    public Task<RunningService> StartMeasuresAsync(string schema, TimeProvider clock, Action<Dictionary<string, string?>>? settings = null) =>
        RunningService.StartAsync(MeasuresService.Build, With(TestSettings.For(Infra, Tokens, schema), settings), clock);

    public static CrisisDeclaration.CrisisDeclarationClient Declaration(RunningService s) => new(s.Channel);

    public static EmergencyMeasures.EmergencyMeasuresClient Measures(RunningService s) => new(s.Channel);

    /// <summary>Runs SQL on the shared server as the owner of the test schemas (or as the role given).</summary>
    public async Task<int> ExecuteAsync(string sql, string? connection = null)
    {
        await using var c = new NpgsqlConnection(connection ?? Infra.Postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Reads one value on the shared server as the owner of the test schemas (or as the role given).</summary>
    public async Task<T> ScalarAsync<T>(string sql, string? connection = null)
    {
        await using var c = new NpgsqlConnection(connection ?? Infra.Postgres);
        await c.OpenAsync();
        await using var command = new NpgsqlCommand(sql, c);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Waits until the log chain has sealed every event of the store (the async daemon runs behind commits).</summary>
    public async Task WaitUntilSealedAsync(string schema, string? connection = null)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var verification = await VerifyAsync(schema, connection);
            if (verification.NotYetSealed == 0) return;
            if (DateTime.UtcNow > until) throw new TimeoutException($"the log chain of {schema} never caught up");
            await Task.Delay(100);
        }
    }

    /// <summary>Verifies a store's chains from its rows.</summary>
    public async Task<ChainVerification> VerifyAsync(string schema, string? connection = null)
    {
        await using var c = new NpgsqlConnection(connection ?? Infra.Postgres);
        await c.OpenAsync();
        var verifier = new ChainVerifier(schema, hasLogChain: true);
        await foreach (var row in EventStoreReader.ReadAsync(c, schema, hasLogChain: true, CancellationToken.None))
            verifier.Observe(row.Event, row.Link);
        return verifier.Complete();
    }

    /// <summary>Waits until the store's Merkle log holds at least <paramref name="leaves"/> leaves (the async daemon runs behind commits).</summary>
    public async Task WaitUntilLoggedAsync(string schema, long leaves, string? connection = null)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await ScalarAsync<long>($"select count(*) from {schema}.mt_doc_merkleleaf", connection) < leaves)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"the Merkle log of {schema} never reached {leaves} leaves");
            await Task.Delay(100);
        }
    }

    /// <summary>The store's leaves recomputed from its rows, in commit order (with the jsonb text shortcut when asked).</summary>
    public async Task<IReadOnlyList<EventLeaf>> LeavesAsync(string schema, string? connection = null, bool jsonbShortcut = false)
    {
        await using var c = new NpgsqlConnection(connection ?? Infra.Postgres);
        await c.OpenAsync();
        var leaves = new List<EventLeaf>();
        await foreach (var leaf in EventLeafRows.ReadAsync(c, schema, 0, long.MaxValue, jsonbShortcut, CancellationToken.None)) leaves.Add(leaf);
        return leaves;
    }

    private static Dictionary<string, string?> With(Dictionary<string, string?> settings, Action<Dictionary<string, string?>>? change)
    {
        change?.Invoke(settings);
        return settings;
    }
}

public static class Requests
{
    public static DeclareCrisisRequest Crisis(string country, string perpetrator, string section) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        TargetCountry = country,
        BorderSections = { section },
        Perpetrator = new Perpetrator { Name = perpetrator, Kind = PerpetratorKind.State },
        Scenario = Scenario.Belligerent,
        Criteria = new QualificationCriteria
        {
            HostileActor = new Criterion { Met = true, Evidence = "state authorities organise transport to the border" },
            EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "announcement that the border is open" },
            AimToDestabilise = new Criterion { Met = true, Evidence = "public statements" },
            RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "tens of thousands at the land border" },
        },
        Stage = BlueprintStage.CrisisManagement,
        Justification = "deliberate pushing of migrants to the border",
    };

    public static DeclareEmergencyRequest Emergency(string crisisId, long version, string basis, string start, string end) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CrisisId = crisisId,
        ExpectedVersion = version,
        LegalBasisCode = basis,
        StartDate = start,
        EndDate = end,
        Justification = "the Council of Ministers' request",
    };

    public static ExtendEmergencyRequest ExtendEmergency(string crisisId, long version, string newEnd, string? consent) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        CrisisId = crisisId,
        ExpectedVersion = version,
        NewEndDate = newEnd,
        ConsentReference = consent ?? "",
        Justification = "the situation at the border persists",
    };

    public static EnactMeasureRequest Enact(string type, string country, string crisisId, string start, string end, string section) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureType = type,
        Country = country,
        Territory = { section },
        StartDate = start,
        EndDate = end,
        LegalActReference = "act of " + start,
        CrisisId = crisisId,
        Justification = "necessary and proportionate to the situation at the border",
    };

    public static ExtendMeasureRequest ExtendMeasure(string id, long version, string newEnd, string? consent) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureId = id,
        ExpectedVersion = version,
        NewEndDate = newEnd,
        ConsentReference = consent ?? "",
        Justification = "the threat persists",
    };
}
