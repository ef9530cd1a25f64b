using CrisisOps.Benchmarks.Harness;
using CrisisOps.Benchmarks.Report;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;

namespace CrisisOps.Benchmarks.Scenarios;

/// <summary>
/// What sealing and signing cost an append (issue 11: within 10% of a plain append): the same one-event transactions
/// on new streams, in alternating rounds on the same store, with <see cref="DecisionStreams.AppendSealed"/> (the stream
/// chain and the decision signature with a key of the run) and with a plain Marten append.
/// </summary>
public static class AppendCost
{
    private static readonly Actor Officer = new("bench-duty-officer", "Benchmark duty officer", Role.Ministry, "Ministry of Interior", "PL");

    public static async Task RunAsync(BenchContext context, ScenarioResult result)
    {
        var calls = context.Size(1_500, 40);
        var limit = TimeSpan.FromSeconds(context.Size(10, 5));
        var rounds = context.Size(3, 1);
        await using var raw = await RawStore.CreateAsync(context, "append");
        using var key = NoteKey.Generate("bench.crisisops.example/decisions", NoteKeyType.Ed25519);
        DecisionSignatures.Use(raw.Store, key);

        foreach (var c in new[] { 1, 8 })
        {
            var sealedRates = new List<double>();
            var plainRates = new List<double>();
            LoadResult? sealedLast = null;
            LoadResult? plainLast = null;
            // Round 0 warms up and is not counted; then the two alternate, so drift in the machine's load hits both.
            for (var round = 0; round <= rounds; round++)
            {
                var s = await Load.RunAsync(c, calls, limit, i => SealedAsync(raw, i));
                var p = await Load.RunAsync(c, calls, limit, i => raw.AppendAsync($"plain-{Guid.NewGuid():N}", i));
                foreach (var r in new[] { s, p })
                {
                    result.LostDecisions += r.Failed;
                    if (r.FirstError is { } e) result.Error ??= e;
                }

                if (round == 0) continue;
                sealedRates.Add(s.PerSecond);
                plainRates.Add(p.PerSecond);
                (sealedLast, plainLast) = (s, p);
            }

            var sealedRate = Median(sealedRates);
            var plainRate = Median(plainRates);
            result.Add(Figure.AtLeast($"sealed + signed append (AppendSealed), {c} session(s): appends/s", sealedRate, "/s", plainRate,
                $"plain Marten append, {c} session(s)", 0.9, $"median of {rounds} round(s); last: {sealedLast!.Summary} vs {plainLast!.Summary}"));
        }
    }

    private static async Task SealedAsync(RawStore raw, int i)
    {
        await using var session = raw.Store.LightweightSession();
        DecisionStreams.StampMetadata(session, Officer, $"append-cost-{i}");
        DecisionStreams.AppendSealed(session, $"sealed-{Guid.NewGuid():N}", 0, EventChain.Genesis, [new BenchmarkEventAppended("sealed", i, "sealed and signed append")], raw.Store);
        await session.SaveChangesAsync();
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
