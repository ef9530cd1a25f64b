using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Declaration.V1;

namespace CrisisOps.Declaration.IntegrationTests;

/// <summary>The Poland 2021 case through the real gRPC API, on real PostgreSQL and RabbitMQ, with a controlled clock.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CrisisLifecycleTests(StackFixture stack) : IAsyncLifetime
{
    private static readonly DateTimeOffset September2 = new(2021, 9, 2, 9, 0, 0, TimeSpan.FromHours(2));
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = StackFixture.ClockAt(September2);
    private RunningService _service = null!;
    private BusProbe _probe = null!;
    private CrisisDeclaration.CrisisDeclarationClient _api = null!;
    private string _poland = "";

    public async Task InitializeAsync()
    {
        _probe = await new BusProbe().Listen<Contract.CrisisDeclared>().Listen<Contract.EmergencyDeclared>()
            .Listen<Contract.EmergencyExtended>().Listen<Contract.CrisisStageChanged>().StartAsync(stack.Infra);
        _service = await stack.StartDeclarationAsync(TestSettings.NewSchema("lifecycle"), _clock);
        _api = StackFixture.Client(_service);
        _poland = stack.Tokens.Ministry("PL");
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _probe.DisposeAsync();
    }

    private async Task<CrisisOps.Common.Grpc.V1.CommandResult> DeclareWithEmergencyAsync()
    {
        var declared = await _api.DeclareCrisisAsync(Requests.PolandBelarus(), As(_poland));
        return await _api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, declared.Result.Version, "2021-09-02", "2021-10-01"), As(_poland));
    }

    [Fact]
    public async Task Poland_2021_declared_extended_once_with_consent_and_refused_a_second_time()
    {
        var declared = await _api.DeclareCrisisAsync(Requests.PolandBelarus(), As(_poland));
        Assert.True(declared.QualifiesAsInstrumentalization);
        var id = declared.Result.Id;

        var emergency = await _api.DeclareEmergencyAsync(Requests.Emergency(id, 1, "2021-09-02", "2021-10-01"), As(_poland));
        Assert.Equal(2, emergency.Version);

        _clock.Advance(TimeSpan.FromDays(28));
        var extended = await _api.ExtendEmergencyAsync(Requests.Extend(id, 2, "2021-11-30", "Sejm resolution of 30 Sep 2021 (237-179-31)"), As(_poland));
        Assert.Equal(3, extended.Version);

        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _api.ExtendEmergencyAsync(Requests.Extend(id, 3, "2021-12-30", "Sejm"), As(_poland)));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("emergency.extension.count", refused.Status.Detail, StringComparison.Ordinal);

        var crisis = await _api.GetCrisisAsync(new GetCrisisRequest { CrisisId = id }, As(stack.Tokens.Coordinator()));
        Assert.Equal(3, crisis.Version);
        Assert.Equal("2021-11-30", crisis.Emergency.EndDate);
        Assert.Equal(1, crisis.Emergency.ExtensionsUsed);
        Assert.Equal(EmergencyStatus.InForce, crisis.Emergency.Status);
        Assert.Equal(3, crisis.History.Count);
        Assert.All(crisis.History, h => Assert.Equal("interior-officer", h.Decision.ActorSubject));
        Assert.Equal("PL-CONST-230", crisis.History[1].Decision.LegalBasis);
        Assert.Equal("Sejm resolution of 30 Sep 2021 (237-179-31)",
            System.Text.Json.JsonDocument.Parse(crisis.History[2].DataJson).RootElement.GetProperty("consentReference").GetString());

        var (message, messageId) = await _probe.WaitForAsync<Contract.EmergencyExtended>(e => e.CrisisId == id);
        Assert.Equal(1, message.ExtensionNumber);
        Assert.Equal("PL-CONST-230", message.Decision.LegalBasis);
        Assert.Equal("interior-officer", message.Decision.ActorSubject);
        Assert.NotNull(messageId);
        await _probe.WaitForAsync<Contract.EmergencyDeclared>(e => e.CrisisId == id);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named_and_nothing_is_recorded()
    {
        var request = Requests.PolandBelarus();
        request.Criteria = null;
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _api.DeclareCrisisAsync(request, As(_poland)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("criteria:", ex.Status.Detail, StringComparison.Ordinal);

        var result = await DeclareWithEmergencyAsync();
        var badDate = Requests.Extend(result.Id, result.Version, "30/11/2021", "Sejm");
        ex = await Assert.ThrowsAsync<RpcException>(async () => await _api.ExtendEmergencyAsync(badDate, As(_poland)));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.StartsWith("new_end_date:", ex.Status.Detail, StringComparison.Ordinal);

        var unknown = Requests.Extend("no-such-crisis", 1, "2021-11-30", "Sejm");
        ex = await Assert.ThrowsAsync<RpcException>(async () => await _api.ExtendEmergencyAsync(unknown, As(_poland)));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);

        var crises = await _api.ListCrisesAsync(new ListCrisesRequest { TargetCountry = "PL" }, As(_poland));
        var only = Assert.Single(crises.Crises);
        Assert.Equal(2, only.Version);
    }

    [Fact]
    public async Task Authorization_comes_from_the_token_only()
    {
        var noToken = await Assert.ThrowsAsync<RpcException>(async () => await _api.DeclareCrisisAsync(Requests.PolandBelarus()));
        Assert.Equal(StatusCode.Unauthenticated, noToken.StatusCode);

        var lithuania = await Assert.ThrowsAsync<RpcException>(async () =>
            await _api.DeclareCrisisAsync(Requests.PolandBelarus(), As(stack.Tokens.Ministry("LT"))));
        Assert.Equal(StatusCode.PermissionDenied, lithuania.StatusCode);

        var auditor = await Assert.ThrowsAsync<RpcException>(async () =>
            await _api.DeclareCrisisAsync(Requests.PolandBelarus(), As(stack.Tokens.Auditor())));
        Assert.Equal(StatusCode.PermissionDenied, auditor.StatusCode);

        var result = await DeclareWithEmergencyAsync();
        var readByLithuania = await Assert.ThrowsAsync<RpcException>(async () =>
            await _api.GetCrisisAsync(new GetCrisisRequest { CrisisId = result.Id }, As(stack.Tokens.Ministry("LT"))));
        Assert.Equal(StatusCode.PermissionDenied, readByLithuania.StatusCode);
        var readByAuditor = await _api.GetCrisisAsync(new GetCrisisRequest { CrisisId = result.Id }, As(stack.Tokens.Auditor()));
        Assert.Equal("PL", readByAuditor.TargetCountry);
    }

    [Fact]
    public async Task A_retried_request_is_recorded_once_and_a_stale_version_is_aborted()
    {
        var request = Requests.PolandBelarus(requestId: "ministry-retry-42");
        var first = await _api.DeclareCrisisAsync(request, As(_poland));
        var retry = await _api.DeclareCrisisAsync(request, As(_poland));
        Assert.False(first.Result.Replayed);
        Assert.True(retry.Result.Replayed);
        Assert.Equal(first.Result.Id, retry.Result.Id);
        var recorded = await _api.GetCrisisAsync(new GetCrisisRequest { CrisisId = first.Result.Id }, As(_poland));
        Assert.Single(recorded.History);

        var reused = request.Clone();
        reused.Justification = "another decision under the same request id";
        var conflict = await Assert.ThrowsAsync<RpcException>(async () => await _api.DeclareCrisisAsync(reused, As(_poland)));
        Assert.Equal(StatusCode.InvalidArgument, conflict.StatusCode);
        Assert.StartsWith("request_id:", conflict.Status.Detail, StringComparison.Ordinal);

        await _api.EscalateCrisisAsync(new CrisisDecisionRequest { RequestId = "e1", CrisisId = first.Result.Id, ExpectedVersion = 1, Justification = "arrivals surge" }, As(_poland));
        var stale = await Assert.ThrowsAsync<RpcException>(async () => await _api.DeescalateCrisisAsync(
            new CrisisDecisionRequest { RequestId = "d1", CrisisId = first.Result.Id, ExpectedVersion = 1, Justification = "calm" }, As(_poland)));
        Assert.Equal(StatusCode.Aborted, stale.StatusCode);

        var crises = await _api.ListCrisesAsync(new ListCrisesRequest { Status = CrisisStatus.Active }, As(stack.Tokens.Coordinator()));
        Assert.Single(crises.Crises, c => c.CrisisId == first.Result.Id);
    }

    [Fact]
    public async Task A_coordinator_watching_a_crisis_sees_every_change_live()
    {
        var declared = await _api.DeclareCrisisAsync(Requests.PolandBelarus(), As(_poland));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var watch = _api.WatchCrisis(new WatchCrisisRequest { CrisisId = declared.Result.Id }, As(stack.Tokens.Coordinator(), cts.Token));

        Assert.True(await watch.ResponseStream.MoveNext(cts.Token));
        Assert.Equal(1, watch.ResponseStream.Current.Crisis.Version);
        Assert.Null(watch.ResponseStream.Current.Change);

        await _api.DeclareEmergencyAsync(Requests.Emergency(declared.Result.Id, 1, "2021-09-02", "2021-10-01"), As(_poland));
        await _api.EscalateCrisisAsync(new CrisisDecisionRequest { RequestId = "esc", CrisisId = declared.Result.Id, ExpectedVersion = 2, Justification = "surge" }, As(_poland));

        var seen = new List<string>();
        while (seen.Count < 2 && await watch.ResponseStream.MoveNext(cts.Token))
            seen.Add(watch.ResponseStream.Current.Change!.EventType);
        Assert.Equal(["emergency_declared", "crisis_stage_changed"], seen);
        Assert.Equal(BlueprintStage.CrisisManagement, watch.ResponseStream.Current.Crisis.Stage);
    }

    [Fact]
    public async Task Indicators_raise_the_alert_picture_of_a_border_section()
    {
        async Task<RecordIndicatorResponse> Record(IndicatorGroup group, string kind, IndicatorLevel level) =>
            await _api.RecordIndicatorAsync(new RecordIndicatorRequest
            {
                RequestId = Guid.NewGuid().ToString(),
                TargetCountry = "PL",
                BorderSection = "PL-BY",
                Group = group,
                Kind = kind,
                Level = level,
                Evidence = "open-source monitoring",
                Source = "Border Guard analysis unit",
                ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(September2),
            }, As(_poland));

        await Record(IndicatorGroup.Intent, "hostile narratives", IndicatorLevel.High);
        var last = await Record(IndicatorGroup.Potential, "visa liberalisation for 73 countries", IndicatorLevel.Critical);
        Assert.Equal(AlertLevel.High, last.Picture.Level);

        var picture = await _api.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = "PL" }, As(stack.Tokens.Coordinator()));
        var section = Assert.Single(picture.Sections);
        Assert.Equal("PL-BY", section.BorderSection);
        Assert.Equal(AlertLevel.High, section.Level);
    }

    [Fact]
    public async Task Fifty_indicators_reported_at_once_on_one_border_section_are_all_recorded()
    {
        var reports = Enumerable.Range(0, 50).Select(i => _api.RecordIndicatorAsync(new RecordIndicatorRequest
        {
            RequestId = $"burst-{i}",
            TargetCountry = "PL",
            BorderSection = "PL-BY-burst",
            Group = IndicatorGroup.Potential,
            Kind = $"concentration at crossing {i}",
            Level = IndicatorLevel.Moderate,
            Evidence = "patrol report",
            Source = $"post {i}",
            ObservedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(September2),
        }, As(_poland)).ResponseAsync);
        var results = await Task.WhenAll(reports);
        Assert.Equal(50, results.Select(r => r.Result.Version).Distinct().Count());
        var picture = await _api.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = "PL", BorderSection = "PL-BY-burst" }, As(_poland));
        var potential = Assert.Single(Assert.Single(picture.Sections).Groups, g => g.Group == IndicatorGroup.Potential);
        Assert.Equal(50, potential.Indicators);
    }
}
