using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ExpiryAcrossRestartTests(StackFixture stack)
{
    [Fact]
    public async Task An_emergency_whose_legal_end_passed_while_the_service_was_down_expires_at_start_up_stamped_with_the_legal_end()
    {
        var schema = TestSettings.NewSchema("expiry");
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var poland = stack.Tokens.Ministry("PL");
        await using var probe = await new BusProbe().Listen<Contract.EmergencyExpired>().StartAsync(stack.Infra);

        string crisisId;
        await using (var service = await stack.StartDeclarationAsync(schema, clock))
        {
            var api = StackFixture.Client(service);
            var declared = await api.DeclareCrisisAsync(Requests.PolandBelarus(), As(poland));
            crisisId = declared.Result.Id;
            await api.DeclareEmergencyAsync(Requests.Emergency(crisisId, 1, "2021-09-02", "2021-10-01"), As(poland));
        }

        // The service is down across the legal end (1 October 2021, 24:00 Warsaw time) and comes back on 5 October.
        clock.SetUtcNow(new DateTimeOffset(2021, 10, 5, 7, 30, 0, TimeSpan.Zero));
        await using (var service = await stack.StartDeclarationAsync(schema, clock))
        {
            var api = StackFixture.Client(service);
            var (expired, _) = await probe.WaitForAsync<Contract.EmergencyExpired>(e => e.CrisisId == crisisId);
            var legalEnd = new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero);
            Assert.Equal(legalEnd, expired.ExpiredAt);
            Assert.Equal(clock.GetUtcNow(), expired.RecordedAt);

            var crisis = await api.GetCrisisAsync(new GetCrisisRequest { CrisisId = crisisId }, As(stack.Tokens.Auditor()));
            Assert.Equal(EmergencyStatus.Expired, crisis.Emergency.Status);
            var last = crisis.History[^1];
            Assert.Equal("emergency_expired", last.EventType);
            Assert.Equal("system:legal-deadline", last.Decision.ActorSubject);
            Assert.Equal("PL-CONST-230", last.Decision.LegalBasis);
        }
    }

    [Fact]
    public async Task A_lawfully_extended_emergency_does_not_expire_at_its_first_end()
    {
        var schema = TestSettings.NewSchema("extended");
        var clock = StackFixture.ClockAt(new DateTimeOffset(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2)));
        var poland = stack.Tokens.Ministry("PL");
        await using var service = await stack.StartDeclarationAsync(schema, clock);
        var api = StackFixture.Client(service);
        var declared = await api.DeclareCrisisAsync(Requests.PolandBelarus(), As(poland));
        await api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, 1, "2021-09-02", "2021-10-01"), As(poland));
        clock.SetUtcNow(new DateTimeOffset(2021, 9, 30, 12, 0, 0, TimeSpan.Zero));
        await api.ExtendEmergencyAsync(Requests.Extend(declared.Result.Id, 2, "2021-11-30", "Sejm resolution of 30 Sep 2021"), As(poland));

        clock.SetUtcNow(new DateTimeOffset(2021, 10, 3, 0, 0, 0, TimeSpan.Zero));
        var worker = (CrisisOps.ServiceDefaults.Deadlines.DeadlineWorker)service.Services.GetService(typeof(CrisisOps.ServiceDefaults.Deadlines.DeadlineWorker))!;
        Assert.Equal(0, await worker.ActOnDueDeadlinesAsync(CancellationToken.None));
        var crisis = await api.GetCrisisAsync(new GetCrisisRequest { CrisisId = declared.Result.Id }, As(poland));
        Assert.Equal(EmergencyStatus.InForce, crisis.Emergency.Status);

        clock.SetUtcNow(new DateTimeOffset(2021, 11, 30, 23, 0, 0, TimeSpan.Zero));
        await worker.ActOnDueDeadlinesAsync(CancellationToken.None);
        crisis = await api.GetCrisisAsync(new GetCrisisRequest { CrisisId = declared.Result.Id }, As(poland));
        Assert.Equal(EmergencyStatus.Expired, crisis.Emergency.Status);
        // The legal end of 30 November in Warsaw (CET) is 30 November 23:00 UTC.
        var expiredAt = System.Text.Json.JsonDocument.Parse(crisis.History[^1].DataJson).RootElement.GetProperty("expiredAt").GetDateTimeOffset();
        Assert.Equal(new DateTimeOffset(2021, 11, 30, 23, 0, 0, TimeSpan.Zero), expiredAt);
    }
}
