using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using DeclarationV1 = CrisisOps.Declaration.Grpc.V1;

namespace CrisisOps.Measures.IntegrationTests;

/// <summary>Time limits and cascades that hold across a stopped service.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RestartTests(StackFixture stack)
{
    [Fact]
    public async Task A_measure_whose_end_passed_while_the_service_was_stopped_expires_at_start_up_with_the_legal_end()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var measuresSchema = TestSettings.NewSchema("rs_meas");
        var poland = As(stack.Tokens.Ministry("PL"));
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("rs_decl"), clock);

        string measureId;
        await using (var service = await stack.StartMeasuresAsync(measuresSchema, clock))
        {
            var crisis = await StackFixture.Declaration(declaration).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
            await StackFixture.WaitForCrisisAsync(service, crisis.Result.Id);
            var enacted = await StackFixture.Measures(service).EnactMeasureAsync(
                Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland);
            measureId = enacted.Id;
        }

        clock.SetUtcNow(new DateTimeOffset(2021, 10, 6, 8, 0, 0, TimeSpan.Zero));
        await using (var service = await stack.StartMeasuresAsync(measuresSchema, clock))
        {
            var details = await ReportCasesTests.WaitForStatusAsync(StackFixture.Measures(service), measureId, MeasureStatus.Expired, poland);
            Assert.Equal(MeasureStatus.Expired, details.Status);
            var expiry = System.Text.Json.JsonDocument.Parse(details.History[^1].DataJson).RootElement;
            Assert.Equal(new DateTimeOffset(2021, 10, 1, 22, 0, 0, TimeSpan.Zero), expiry.GetProperty("expiredAt").GetDateTimeOffset());
            Assert.Equal(clock.GetUtcNow(), expiry.GetProperty("recordedAt").GetDateTimeOffset());
        }
    }

    [Fact]
    public async Task A_crisis_that_ends_while_the_service_is_stopped_ends_its_measures_when_the_service_comes_back()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var measuresSchema = TestSettings.NewSchema("cc_meas");
        var poland = As(stack.Tokens.Ministry("PL"));
        await using var probe = await new BusProbe().Listen<Contracts.Declaration.V1.CrisisEnded>().StartAsync(stack.Infra);
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("cc_decl"), clock);
        var crises = StackFixture.Declaration(declaration);
        string stateOfEmergency, entryBan;
        DeclarationV1.DeclareCrisisResponse crisis;
        CrisisOps.Common.Grpc.V1.CommandResult emergency;
        await using (var service = await stack.StartMeasuresAsync(measuresSchema, clock))
        {
            crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
            emergency = await crises.DeclareEmergencyAsync(new DeclarationV1.DeclareEmergencyRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                CrisisId = crisis.Result.Id,
                ExpectedVersion = 1,
                LegalBasisCode = "PL-CONST-230",
                StartDate = "2021-09-02",
                EndDate = "2021-10-01",
                Justification = "Council of Ministers' request",
            }, poland);

            await StackFixture.WaitForCrisisAsync(service, crisis.Result.Id, f => f.EmergencyInForce);
            var measures = StackFixture.Measures(service);
            stateOfEmergency = (await measures.EnactMeasureAsync(
                Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland)).Id;
            entryBan = (await measures.EnactMeasureAsync(
                Requests.Enact("PL-BORDER-ZONE-ENTRY-BAN", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland)).Id;
        }

        clock.SetUtcNow(new DateTimeOffset(2021, 9, 10, 12, 0, 0, TimeSpan.FromHours(2)));
        await crises.EndCrisisAsync(new DeclarationV1.CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            CrisisId = crisis.Result.Id,
            ExpectedVersion = emergency.Version,
            Justification = "arrivals have stopped; the regime ended the operation",
        }, poland);
        // Once published (the probe has it), the message waits in the measures service's durable queue while it is down.
        await probe.WaitForAsync<Contracts.Declaration.V1.CrisisEnded>(e => e.CrisisId == crisis.Result.Id);

        await using (var service = await stack.StartMeasuresAsync(measuresSchema, clock))
        {
            var measures = StackFixture.Measures(service);
            foreach (var id in new[] { stateOfEmergency, entryBan })
            {
                var details = await ReportCasesTests.WaitForStatusAsync(measures, id, MeasureStatus.Ended, poland);
                Assert.Equal(MeasureStatus.Ended, details.Status);
                var end = details.History[^1];
                Assert.Equal("measure_ended", end.EventType);
                Assert.Equal("system:crisis-cascade", end.Decision.ActorSubject);
                Assert.Contains("arrivals have stopped", end.Decision.Justification, StringComparison.Ordinal);
                Assert.Equal(new DateTimeOffset(2021, 9, 10, 10, 0, 0, TimeSpan.Zero),
                    System.Text.Json.JsonDocument.Parse(end.DataJson).RootElement.GetProperty("endedAt").GetDateTimeOffset());
            }
        }
    }
}
