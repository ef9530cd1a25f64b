using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>The chains are computed at append time by the services and recomputed from what PostgreSQL stores.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TamperEvidenceTests(StackFixture stack)
{
    [Fact]
    public async Task Every_event_appended_through_the_services_verifies_from_the_jsonb_PostgreSQL_stores()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var declarationSchema = TestSettings.NewSchema("tdecl");
        var measuresSchema = TestSettings.NewSchema("tmeas");
        await using var declaration = await stack.StartDeclarationAsync(declarationSchema, clock);
        await using var measures = await stack.StartMeasuresAsync(measuresSchema, clock);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declaration);

        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        var emergency = await crises.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        clock.SetUtcNow(new DateTimeOffset(2021, 9, 30, 18, 0, 0, TimeSpan.FromHours(2)));
        await crises.ExtendEmergencyAsync(Requests.ExtendEmergency(crisis.Result.Id, emergency.Version, "2021-11-30", "Sejm resolution of 30 Sep 2021"), poland);
        var sixWeeks = Requests.Enact("EU-CFMR-ART10-REGISTRATION-DELAY", "PL", crisis.Result.Id, "2021-10-01", "2021-10-30", "PL-BY");
        sixWeeks.Parameters = new() { RegistrationDelayWeeks = 6 };
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await StackFixture.Measures(measures).EnactMeasureAsync(sixWeeks, poland));
        Assert.StartsWith("safeguard.2.registration-delay", refused.Status.Detail, StringComparison.Ordinal);
        clock.SetUtcNow(new DateTimeOffset(2021, 12, 1, 0, 0, 5, TimeSpan.FromHours(1)));
        await WaitForEventsAsync(declarationSchema, "emergency_expired");

        await stack.WaitUntilSealedAsync(declarationSchema);
        await stack.WaitUntilSealedAsync(measuresSchema);
        var declarationChains = await stack.VerifyAsync(declarationSchema);
        var measuresChains = await stack.VerifyAsync(measuresSchema);

        Assert.Empty(declarationChains.Findings);
        // Each store first records the law it adopted at start-up, then its decisions.
        Assert.Equal(1 + 4, declarationChains.Events);
        Assert.Empty(measuresChains.Findings);
        Assert.Equal(1 + 1, measuresChains.Events);
        Assert.Equal(0, await stack.ScalarAsync<long>($"select count(*) from {declarationSchema}.mt_events where headers->>'chain-hash' is null"));
    }

    [Fact]
    public async Task A_row_edited_in_PostgreSQL_is_named_by_its_stream_and_version()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("tedit");
        await using var declaration = await stack.StartDeclarationAsync(schema, clock);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declaration);
        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await crises.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await stack.WaitUntilSealedAsync(schema);

        await stack.ExecuteAsync($$"""
            update {{schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2021-12-31"')
            where stream_id = '{{crisis.Result.Id}}' and version = 2
            """);
        var verification = await stack.VerifyAsync(schema);

        var finding = Assert.Single(verification.Findings);
        Assert.Equal(Tampering.Altered, finding.Kind);
        Assert.Equal(crisis.Result.Id, finding.StreamKey);
        Assert.Equal(2, finding.Version);
    }

    private async Task WaitForEventsAsync(string schema, string type)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await stack.ScalarAsync<long>($"select count(*) from {schema}.mt_events where type = '{type}'") == 0)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"no {type} was recorded in {schema}");
            await Task.Delay(100);
        }
    }
}
