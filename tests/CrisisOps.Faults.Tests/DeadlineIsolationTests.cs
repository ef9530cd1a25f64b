extern alias declaration;
using System.Diagnostics.Metrics;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using D = declaration::CrisisOps.Declaration.Grpc.V1;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;

namespace CrisisOps.Faults.Tests;

/// <summary>A deadline whose handler always fails is retried with back-off and reported, and holds up no other.</summary>
[Collection(AllServicesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeadlineIsolationTests(AllServicesFixture stack)
{
    /// <summary>A kind of deadline whose handler always throws, as a bug or a poisoned stream would.</summary>
    private sealed class PoisonedHandler : IDeadlineHandler
    {
        public const string PoisonedKind = "poisoned-for-test";

        public int Attempts;

        public string Kind => PoisonedKind;

        public Task HandleAsync(Deadline deadline, CancellationToken ct)
        {
            Interlocked.Increment(ref Attempts);
            throw new InvalidOperationException($"poisoned deadline {deadline.Id}");
        }
    }

    [Fact]
    public async Task A_poisoned_deadline_due_first_is_retried_with_back_off_and_counted_while_the_emergencies_due_after_it_expire_on_time()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var poisoned = new PoisonedHandler();
        var failures = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument is { Name: "crisisops.deadlines.failures", Meter.Name: DeadlineWorker.MeterName }) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "deadline.kind", Value: PoisonedHandler.PoisonedKind }) Interlocked.Add(ref failures, value);
            }
        });
        listener.Start();
        var settings = TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("fzdead"));
        settings["Deadlines:FirstRetryDelay"] = "00:01:00";
        await using var service = await RunningService.StartAsync((args, configure) => DeclarationService.Build(args, b =>
        {
            configure(b);
            b.Services.AddSingleton<IDeadlineHandler>(poisoned);
        }), settings, clock);
        var rpcs = AllServicesFixture.ApisOf(typeof(DeclarationService).Assembly).SelectMany(a => a.Methods).ToDictionary(m => m.Name);
        var poland = stack.Tokens.Ministry("PL");

        var crises = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var crisis = Seeds.All.OfType<D.DeclareCrisisRequest>().Single().Clone();
            crisis.RequestId = $"dl-{Guid.NewGuid():N}";
            var declared = await Ok(service, rpcs["DeclareCrisis"], crisis, poland);
            var id = D.DeclareCrisisResponse.Parser.ParseFrom(declared).Result.Id;
            await Ok(service, rpcs["DeclareEmergency"], new D.DeclareEmergencyRequest
            {
                RequestId = $"dl-{Guid.NewGuid():N}",
                CrisisId = id,
                ExpectedVersion = 1,
                LegalBasisCode = "PL-CONST-230",
                StartDate = "2021-09-02",
                EndDate = "2021-10-01",
                Justification = "state of emergency in the border zone",
            }, poland);
            crises.Add(id);
        }

        // The poisoned deadline falls due a day before both emergencies end, so it is first in every batch.
        var store = service.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Store(new Deadline
            {
                Id = Deadline.IdFor(PoisonedHandler.PoisonedKind, "poisoned-stream"),
                Kind = PoisonedHandler.PoisonedKind,
                StreamId = "poisoned-stream",
                DueAt = new DateTimeOffset(2021, 9, 30, 22, 0, 0, TimeSpan.Zero),
            });
            await session.SaveChangesAsync();
        }

        // Past the legal end (1 October 2021, 24:00 Warsaw time); the worker polls on its own, every 200 ms.
        clock.SetUtcNow(new DateTimeOffset(2021, 10, 2, 6, 0, 0, TimeSpan.Zero));
        var legalEnd = new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero);
        foreach (var id in crises)
        {
            var expired = await EventuallyAsync(async () =>
            {
                var crisis = D.CrisisDetails.Parser.ParseFrom(await Ok(service, rpcs["GetCrisis"], new D.GetCrisisRequest { CrisisId = id }, poland));
                return crisis.Emergency.Status == D.EmergencyStatus.Expired ? crisis : null;
            });
            var expiredAt = System.Text.Json.JsonDocument.Parse(expired.History[^1].DataJson).RootElement.GetProperty("expiredAt").GetDateTimeOffset();
            Assert.Equal(legalEnd, expiredAt);
        }

        // Failed once and backing off for a minute of the service's time: the polls in between do not retry it.
        var worker = service.Services.GetRequiredService<DeadlineWorker>();
        var failing = Assert.Single(worker.Failing).Value;
        Assert.Equal((1, clock.GetUtcNow().AddMinutes(1)), (failing.Attempts, failing.RetryAt));
        await Task.Delay(1_000);
        Assert.Equal(1, Volatile.Read(ref poisoned.Attempts));

        // A minute later it is tried again, fails again, and waits twice as long.
        clock.Advance(TimeSpan.FromMinutes(1));
        await EventuallyAsync(() => Task.FromResult(Volatile.Read(ref poisoned.Attempts) == 2 ? "retried" : null));
        failing = await EventuallyAsync(() => Task.FromResult(worker.Failing.Values.SingleOrDefault(f => f.Attempts == 2)));
        Assert.Equal(clock.GetUtcNow().AddMinutes(2), failing.RetryAt);
        Assert.Equal(2, Interlocked.Read(ref failures));
    }

    private static async Task<byte[]> Ok(RunningService service, Google.Protobuf.Reflection.MethodDescriptor rpc, IMessage request, string token)
    {
        var answer = await RawCalls.CallAsync(service.Channel, rpc, request.ToByteArray(), token);
        Assert.True(answer.Status == StatusCode.OK, $"{rpc.Name}: {answer.Status} {answer.Detail}");
        return answer.Response!;
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            if (await probe() is { } found) return found;
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition never held");
            await Task.Delay(100);
        }
    }
}
