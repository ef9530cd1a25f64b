using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Measures.IntegrationTests;

/// <summary>The report's two cases replayed through the gRPC APIs of both services, with a controlled clock.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ReportCasesTests(StackFixture stack)
{
    [Fact]
    public async Task Greece_March_2020_the_suspension_of_asylum_is_refused_and_the_lawful_one_month_act_expires_on_its_date()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2020, 3, 1, 10, 0, 0, TimeSpan.FromHours(2)));
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("gr_decl"), clock);
        await using var service = await stack.StartMeasuresAsync(TestSettings.NewSchema("gr_meas"), clock);
        var greece = As(stack.Tokens.Ministry("GR", "gr-citizen-protection"));
        var measures = StackFixture.Measures(service);

        var crisis = await StackFixture.Declaration(declaration).DeclareCrisisAsync(Requests.Crisis("GR", "Turkey", "GR-TR-Evros"), greece);
        await StackFixture.WaitForCrisisAsync(service, crisis.Result.Id, f => f.Qualifies);

        var suspension = Requests.Enact("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", "GR", crisis.Result.Id, "2020-03-01", "2020-03-31", "GR-TR-Evros");
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(suspension, greece));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.StartsWith("safeguard.1.access-to-asylum:", refused.Status.Detail, StringComparison.Ordinal);

        var attempts = await measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "GR" }, As(stack.Tokens.Auditor()));
        var attempt = Assert.Single(attempts.Attempts);
        Assert.Equal("safeguard.1.access-to-asylum", attempt.Rule);
        Assert.Equal("gr-citizen-protection", attempt.AttemptedBy.ActorSubject);
        Assert.Equal("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", attempt.MeasureType);
        var nothingEnacted = await measures.ListMeasuresAsync(new ListMeasuresRequest { Country = "GR" }, greece);
        Assert.Empty(nothingEnacted.Measures);

        var act = await measures.EnactMeasureAsync(
            Requests.Enact("GR-EMERGENCY-ACT", "GR", crisis.Result.Id, "2020-03-01", "2020-03-31", "GR-TR-Evros"), greece);

        clock.SetUtcNow(new DateTimeOffset(2020, 4, 1, 0, 0, 30, TimeSpan.FromHours(3)));
        var expired = await WaitForStatusAsync(measures, act.Id, MeasureStatus.Expired, greece);
        var expiry = expired.History[^1];
        Assert.Equal("measure_expired", expiry.EventType);
        Assert.Equal("system:legal-deadline", expiry.Decision.ActorSubject);
        // The legal end: 1 April 2020 00:00 in Athens (UTC+3), not the moment the worker ran.
        Assert.Equal(new DateTimeOffset(2020, 4, 1, 0, 0, 0, TimeSpan.FromHours(3)),
            System.Text.Json.JsonDocument.Parse(expiry.DataJson).RootElement.GetProperty("expiredAt").GetDateTimeOffset());

        var midMarch = await measures.MeasuresInForceAtAsync(new MeasuresInForceAtRequest
        {
            At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 3, 15, 12, 0, 0, TimeSpan.Zero)),
            Country = "GR",
        }, As(stack.Tokens.Coordinator()));
        Assert.Equal(act.Id, Assert.Single(midMarch.Measures).MeasureId);
        var april = await measures.MeasuresInForceAtAsync(new MeasuresInForceAtRequest
        {
            At = Timestamp.FromDateTimeOffset(new DateTimeOffset(2020, 4, 2, 12, 0, 0, TimeSpan.Zero)),
            Country = "GR",
        }, As(stack.Tokens.Coordinator()));
        Assert.Empty(april.Measures);
    }

    [Fact]
    public async Task Poland_September_2021_extended_once_with_the_Sejms_consent_and_a_second_extension_refused_with_days_left()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("pl_decl"), clock);
        await using var service = await stack.StartMeasuresAsync(TestSettings.NewSchema("pl_meas"), clock);
        var poland = As(stack.Tokens.Ministry("PL"));
        var measures = StackFixture.Measures(service);

        var crisis = await StackFixture.Declaration(declaration).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await StackFixture.WaitForCrisisAsync(service, crisis.Result.Id);

        var beyond = await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(
            Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-12-01", "PL-BY"), poland));
        Assert.Equal(StatusCode.FailedPrecondition, beyond.StatusCode);
        Assert.StartsWith("measure.initial-duration:", beyond.Status.Detail, StringComparison.Ordinal);

        var enacted = await measures.EnactMeasureAsync(
            Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland);
        clock.SetUtcNow(new DateTimeOffset(2021, 9, 30, 18, 0, 0, TimeSpan.FromHours(2)));
        var extended = await measures.ExtendMeasureAsync(Requests.Extend(enacted.Id, enacted.Version, "2021-11-30", "Sejm resolution of 30 Sep 2021"), poland);

        clock.SetUtcNow(new DateTimeOffset(2021, 11, 20, 9, 0, 0, TimeSpan.FromHours(1)));
        var second = await Assert.ThrowsAsync<RpcException>(async () =>
            await measures.ExtendMeasureAsync(Requests.Extend(enacted.Id, extended.Version, "2021-12-30", "Sejm"), poland));
        Assert.Equal(StatusCode.FailedPrecondition, second.StatusCode);
        Assert.StartsWith("measure.extension.count:", second.Status.Detail, StringComparison.Ordinal);

        var details = await measures.GetMeasureAsync(new GetMeasureRequest { MeasureId = enacted.Id }, poland);
        Assert.Equal("2021-11-30", details.EndDate);
        Assert.Equal("2022-01-29", details.TotalCapEnd);
        Assert.Equal(MeasureScope.SpecificForInstrumentalizedMigration, details.Classification.Scope);
        Assert.Equal(2, details.History.Count);

        var byClassification = await measures.ListMeasuresAsync(new ListMeasuresRequest
        {
            Status = MeasureStatus.InForce,
            Scope = MeasureScope.SpecificForInstrumentalizedMigration,
            Purpose = MeasurePurpose.Countervailing,
        }, As(stack.Tokens.Coordinator()));
        Assert.Contains(byClassification.Measures, m => m.MeasureId == enacted.Id);

        async Task<ListMeasuresResponse> InForceOn(DateTimeOffset at) => await measures.MeasuresInForceAtAsync(
            new MeasuresInForceAtRequest { At = Timestamp.FromDateTimeOffset(at), CrisisId = crisis.Result.Id }, As(stack.Tokens.Auditor()));
        Assert.Empty((await InForceOn(new DateTimeOffset(2021, 9, 1, 12, 0, 0, TimeSpan.Zero))).Measures);
        var october15 = Assert.Single((await InForceOn(new DateTimeOffset(2021, 10, 15, 12, 0, 0, TimeSpan.Zero))).Measures);
        Assert.Equal("2021-11-30", october15.EndDate);
        var september20 = Assert.Single((await InForceOn(new DateTimeOffset(2021, 9, 20, 12, 0, 0, TimeSpan.Zero))).Measures);
        Assert.Equal("2021-10-01", september20.EndDate);
    }

    internal static async Task<MeasureDetails> WaitForStatusAsync(EmergencyMeasures.EmergencyMeasuresClient measures, string id,
        MeasureStatus status, CallOptions caller)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var details = await measures.GetMeasureAsync(new GetMeasureRequest { MeasureId = id }, caller);
            if (details.Status == status || DateTime.UtcNow > until) return details;
            await Task.Delay(100);
        }
    }
}
