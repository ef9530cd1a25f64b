using CsCheck;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Xunit;
using Xunit.Abstractions;

namespace CrisisOps.Faults.Tests;

/// <summary>
/// Every RPC of every service, found in the generated descriptors (a new RPC is covered without a new test), called
/// with generated requests (CsCheck), malformed bytes, and wrong-country, expired, missing and garbage tokens. No call
/// may answer UNKNOWN, INTERNAL or UNIMPLEMENTED, every INVALID_ARGUMENT names its field, every service still answers
/// afterwards, and a refused call records nothing: neither under its request id, nor in any store's event count.
/// </summary>
[Collection(AllServicesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FuzzTests(AllServicesFixture stack, ITestOutputHelper output)
{
    /// <summary>Generated requests per RPC: with 67 RPCs, about 470 calls in all, a few seconds' work.</summary>
    private const int GeneratedPerRpc = 4;

    private static readonly StatusCode[] NeverForACaller = [StatusCode.Unknown, StatusCode.Internal, StatusCode.DataLoss, StatusCode.Unimplemented];

    private readonly List<string> _failures = [];
    private readonly Dictionary<StatusCode, int> _answers = [];
    private readonly ValuePool _pool = new();
    private readonly List<IMessage> _answeredOk = [];

    [Fact]
    public async Task Every_RPC_answers_hostile_input_with_a_status_a_caller_can_act_on_and_a_refused_call_records_nothing()
    {
        var tokens = Tokens();
        var rpcs = stack.Services.SelectMany(s => s.Apis.SelectMany(api => api.Methods).Select(m => (Service: s, Rpc: m))).ToList();
        Assert.True(rpcs.Count >= 60, $"only {rpcs.Count} RPCs found in the descriptors");

        // Every RPC once with an empty request: the catalogues and lists fill the pool with real codes and ids.
        foreach (var (service, rpc) in rpcs) await CallAsync(service, rpc, [], null, ("coordinator", tokens[2].Token));
        foreach (var seed in Seeds.All)
        {
            var (service, rpc) = rpcs.Single(r => r.Rpc.InputType == seed.Descriptor);
            var request = RequestGen.Copy(seed);
            request.Descriptor.FindFieldByName("request_id").Accessor.SetValue(request, $"fuzz-{Guid.NewGuid():N}");
            if (await CallAsync(service, rpc, request.ToByteArray(), request, tokens[0]) != StatusCode.OK) _failures.Add($"the seed {rpc.FullName} was refused");
        }

        foreach (var (service, rpc) in rpcs)
        {
            // Half the requests from scratch, half a lawful one (a seed, or one answered OK) changed in one field.
            var fresh = Gen.Select(Token(tokens), RequestGen.Message(rpc.InputType, _pool));
            await fresh.SampleAsync(async (token, request) =>
                await CallAsync(service, rpc, request.ToByteArray(), request, tokens[token]), iter: GeneratedPerRpc / 2, threads: 1);
            var known = Known(rpc.InputType);
            var mutated = known.Count == 0 ? fresh : Gen.Select(Token(tokens), RequestGen.Mutation(known, _pool));
            await mutated.SampleAsync(async (token, request) =>
                await CallAsync(service, rpc, request.ToByteArray(), request, tokens[token]), iter: GeneratedPerRpc / 2, threads: 1);
        }

        // Hostile only: whatever the earlier calls set in motion has settled, and these may change nothing at all.
        var before = await SettledCountsAsync();
        foreach (var (service, rpc) in rpcs)
        {
            await RequestGen.Malformed.SampleAsync(async bytes => await CallAsync(service, rpc, bytes, null, tokens[0]), iter: 1, threads: 1);
            await RequestGen.Message(rpc.InputType, _pool).SampleAsync(async request =>
                await CallAsync(service, rpc, request.ToByteArray(), request, ("expired", stack.Tokens.Expired("PL"))), iter: 1, threads: 1);
        }

        var after = await CountsAsync();

        foreach (var s in stack.Services) await AssertServingAsync(s);
        output.WriteLine($"{_answers.Values.Sum()} calls on {rpcs.Count} RPCs: " + string.Join(", ", _answers.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}")));
        Assert.Equal(before, after);
        Assert.True(_failures.Count == 0, $"{_failures.Count} calls failed the contract:\n" + string.Join("\n", _failures.Take(40)));
    }

    /// <summary>Mostly the ministry whose country the seeds are about; every other kind of caller now and then.</summary>
    private static Gen<int> Token((string Kind, string? Token)[] tokens) =>
        Gen.Frequency((6, Gen.Const(0)), (2, Gen.Const(2)), (1, Gen.Int[0, tokens.Length - 1]));

    private List<IMessage> Known(MessageDescriptor type) =>
        [.. Seeds.All.Where(s => s.Descriptor == type), .. _answeredOk.Where(m => m.Descriptor == type).TakeLast(5)];

    private (string Kind, string? Token)[] Tokens() =>
    [
        ("ministry PL", stack.Tokens.Ministry("PL")),
        ("ministry LT (another country)", stack.Tokens.Ministry("LT")),
        ("coordinator", stack.Tokens.Coordinator()),
        ("auditor", stack.Tokens.Auditor()),
        ("partner IOM", stack.Tokens.Partner("IOM")),
        ("expired", stack.Tokens.Expired("PL")),
        ("none", null),
        ("garbage", "not.a.jwt"),
    ];

    private async Task<StatusCode> CallAsync(ServiceUnderTest service, MethodDescriptor rpc, byte[] payload, IMessage? request, (string Kind, string? Token) token)
    {
        var answer = await RawCalls.CallAsync(service.Service.Channel, rpc, payload, token.Token);
        _answers[answer.Status] = _answers.GetValueOrDefault(answer.Status) + 1;
        var what = $"{rpc.FullName} as {token.Kind}: {answer.Status} \"{Clip(answer.Detail)}\" <- {Clip(request?.ToString() ?? Convert.ToHexString(payload))}";
        if (NeverForACaller.Contains(answer.Status)) _failures.Add(what);
        if (answer.Status == StatusCode.InvalidArgument && answer.Trailers.Get("crisisops-field") is null) _failures.Add("no crisisops-field trailer: " + what);
        if (answer is { Status: StatusCode.OK, Response: { } response })
        {
            _pool.Harvest(rpc.OutputType.Parser.ParseFrom(response));
            if (request is not null) _answeredOk.Add(request);
        }

        if (answer.Status != StatusCode.OK && service.Schema is { } schema && RequestIdOf(request) is { } requestId
            && await stack.RecordedUnderAsync(schema, requestId) > 0)
            _failures.Add("refused but recorded: " + what);
        return answer.Status;
    }

    private static string? RequestIdOf(IMessage? request) =>
        request?.Descriptor.FindFieldByName("request_id")?.Accessor.GetValue(request) is string id && id.StartsWith("fuzz-", StringComparison.Ordinal) ? id : null;

    private async Task<Dictionary<string, long>> CountsAsync()
    {
        var counts = new Dictionary<string, long>();
        foreach (var s in stack.Services.Where(s => s.Schema is not null)) counts[s.Name] = await stack.EventCountAsync(s.Schema!);
        return counts;
    }

    /// <summary>The stores' event counts once consumers and deadlines have stopped appending (unchanged for a second).</summary>
    private async Task<Dictionary<string, long>> SettledCountsAsync()
    {
        var last = await CountsAsync();
        for (var i = 0; i < 30; i++)
        {
            await Task.Delay(1_000);
            var now = await CountsAsync();
            if (now.SequenceEqual(last)) return now;
            last = now;
        }

        return last;
    }

    private static async Task AssertServingAsync(ServiceUnderTest s)
    {
        var health = new Grpc.Health.V1.Health.HealthClient(s.Service.Channel);
        var reply = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    private static string Clip(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
