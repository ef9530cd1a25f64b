using System.Collections.Concurrent;
using System.Diagnostics;
using CrisisOps.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>One trace follows a ministry's call from gRPC through PostgreSQL to the publication on RabbitMQ.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TracingTests(StackFixture stack)
{
    [Fact]
    public async Task A_declaration_is_one_trace_from_the_grpc_call_through_postgres_to_rabbitmq()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Microsoft.AspNetCore" or "Npgsql" or "CrisisOps.Relay" or "MassTransit" or "Marten",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var probe = await new BusProbe().Listen<Contract.CrisisDeclared>().StartAsync(stack.Infra);
        await using var service = await stack.StartDeclarationAsync(TestSettings.NewSchema("trace"));

        using var caller = new ActivitySource("ministry-integration").StartActivity("ministry declares a crisis", ActivityKind.Client)
            ?? new Activity("ministry declares a crisis").Start();
        var trace = caller.TraceId;
        var declared = await StackFixture.Client(service).DeclareCrisisAsync(Requests.PolandBelarus(), As(stack.Tokens.Ministry("PL")));
        caller.Stop();
        await probe.WaitForAsync<Contract.CrisisDeclared>(c => c.CrisisId == declared.Result.Id);

        bool InTrace(Activity a) => a.TraceId == trace;
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!spans.Any(s => InTrace(s) && s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer) && DateTime.UtcNow < until)
            await Task.Delay(100);

        var inTrace = spans.Where(InTrace).ToList();
        Assert.Contains(inTrace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server
            && s.DisplayName.Contains("DeclareCrisis", StringComparison.Ordinal));
        Assert.Contains(inTrace, s => s.Source.Name == "Npgsql");
        Assert.Contains(inTrace, s => s.Source.Name == "CrisisOps.Relay" && s.DisplayName == "relay CrisisDeclared");
        Assert.Contains(inTrace, s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);
    }
}
