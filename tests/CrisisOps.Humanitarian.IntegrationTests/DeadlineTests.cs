extern alias humanitarian;
using System.Text.Json;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using AssistanceDeadlineHandler = humanitarian::CrisisOps.Humanitarian.Assistance.AssistanceDeadlineHandler;
using Contract = CrisisOps.Contracts.Humanitarian.V1;

namespace CrisisOps.Humanitarian.IntegrationTests;

/// <summary>"Access to basic needs must be guaranteed upon arrival": an unmet request past its deadline raises an alert.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class DeadlineTests(StackFixture stack)
{
    private static readonly DateTimeOffset Nov8 = new(2021, 11, 8, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_request_still_unmet_at_its_deadline_raises_AssistanceDeadlineMissed_once_stamped_with_the_deadline()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var probe = await new BusProbe().Listen<Contract.AssistanceDeadlineMissed>().StartAsync(stack.Infra);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_dl"), clock);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var iom = As(stack.Tokens.Partner("IOM"));
        var deadline = Nov8.AddHours(24);
        var id = (await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Kuznica, Sector.Winterisation, "Winter blankets", 3000, "pieces", deadline), poland)).Id;
        var pledge = await client.PledgeAssistanceAsync(Requests.Pledge(id, 3000), iom);
        await client.RecordDeliveryAsync(Requests.Delivery(id, pledge.PledgeId, 1000), iom);

        clock.SetUtcNow(deadline.AddMinutes(-1));
        var worker = service.Services.GetRequiredService<DeadlineWorker>();
        // Other test assemblies' overflow messages reach this instance's queue and open requests of their own, so the
        // check is on this request, not on how many deadlines the worker found.
        await worker.ActOnDueDeadlinesAsync(CancellationToken.None);
        Assert.False((await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, poland)).DeadlineMissed);

        clock.SetUtcNow(deadline.AddMinutes(7));
        var alert = await probe.WaitForAsync<Contract.AssistanceDeadlineMissed>(a => a.RequestId == id);
        Assert.Equal((deadline, 2000, "winterisation", "PL"), (alert.Message.Deadline, alert.Message.Remaining, alert.Message.Sector, alert.Message.Country));

        var details = await Requests.WaitForAsync(client, id, poland, d => d.DeadlineMissed);
        var missed = details.History[^1];
        Assert.Equal(("assistance_deadline_missed", "system:assistance-deadline"), (missed.EventType, missed.Decision.ActorSubject));
        var data = JsonDocument.Parse(missed.DataJson).RootElement;
        Assert.Equal(deadline, data.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal(deadline.AddMinutes(7), data.GetProperty("recordedAt").GetDateTimeOffset());
        Assert.Equal(AssistanceStatus.Open, details.Status);

        // However often it runs: the worker finds nothing due, and a handler that read the deadline before it was
        // removed records nothing either.
        await worker.ActOnDueDeadlinesAsync(CancellationToken.None);
        var handler = service.Services.GetServices<IDeadlineHandler>().OfType<AssistanceDeadlineHandler>().Single();
        await handler.HandleAsync(new Deadline { Id = Deadline.IdFor("assistance-deadline", id), Kind = "assistance-deadline", StreamId = id, DueAt = deadline },
            CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(1));
        await handler.HandleAsync(new Deadline { Id = Deadline.IdFor("assistance-deadline", id), Kind = "assistance-deadline", StreamId = id, DueAt = deadline },
            CancellationToken.None);
        var after = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, poland);
        Assert.Equal(details.Version, after.Version);
        Assert.Single(after.History, h => h.EventType == "assistance_deadline_missed");

        // Help arriving late is still recorded.
        await client.RecordDeliveryAsync(Requests.Delivery(id, pledge.PledgeId, 2000), iom);
        Assert.Equal(AssistanceStatus.Fulfilled, (await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, poland)).Status);
    }

    [Fact]
    public async Task A_deadline_that_passed_while_the_service_was_stopped_raises_the_alert_at_start_up_stamped_with_the_deadline()
    {
        var clock = new FakeTimeProvider(Nov8);
        var schema = TestSettings.NewSchema("hu_rs");
        var poland = As(stack.Tokens.Ministry("PL"));
        var deadline = Nov8.AddHours(12);
        string id;
        await using (var service = await stack.StartAsync(schema, clock))
        {
            id = (await StackFixture.Client(service).RequestAssistanceAsync(
                Requests.Assistance("PL", Requests.Bruzgi, Sector.Food, "Food rations", 5000, "rations", deadline), poland)).Id;
        }

        clock.SetUtcNow(Nov8.AddDays(3));
        await using (var service = await stack.StartAsync(schema, clock))
        {
            var details = await Requests.WaitForAsync(StackFixture.Client(service), id, poland, d => d.DeadlineMissed);
            Assert.True(details.DeadlineMissed);
            var data = JsonDocument.Parse(details.History[^1].DataJson).RootElement;
            Assert.Equal(deadline, data.GetProperty("deadline").GetDateTimeOffset());
            Assert.Equal(Nov8.AddDays(3), data.GetProperty("recordedAt").GetDateTimeOffset());
            Assert.Equal(5000, data.GetProperty("remaining").GetInt32());
            Assert.True(data.GetProperty("location").GetProperty("beyondBorder").GetBoolean());
        }
    }

    [Fact]
    public async Task A_request_met_before_its_deadline_raises_no_alert()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_met"), clock);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var pck = As(stack.Tokens.Partner("PCK", "pck-bialystok"));
        var deadline = Nov8.AddHours(6);
        var id = (await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Kuznica, Sector.WaterSanitationHygiene, "Hygiene kits", 400, "kits", deadline), poland)).Id;
        var pledge = await client.PledgeAssistanceAsync(Requests.Pledge(id, 400), pck);
        await client.RecordDeliveryAsync(Requests.Delivery(id, pledge.PledgeId, 400), pck);

        clock.SetUtcNow(deadline.AddHours(1));
        await using (var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession())
            Assert.Equal(0, await session.Query<Deadline>().CountAsync(d => d.StreamId == id));
        await service.Services.GetRequiredService<DeadlineWorker>().ActOnDueDeadlinesAsync(CancellationToken.None);
        var details = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, poland);
        Assert.False(details.DeadlineMissed);
        Assert.DoesNotContain(details.History, h => h.EventType == "assistance_deadline_missed");
    }
}
