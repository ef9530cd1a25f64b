extern alias auditor;
using CrisisOps.Auditor.Grpc.V1;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using AuditorService = auditor::CrisisOps.Auditor.AuditorService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>The auditor's read-only gRPC API: the same checks as crisisops-audit, for the auditor role only.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditApiTests(StackFixture stack)
{
    [Fact]
    public async Task An_auditor_audits_a_crisis_over_gRPC_and_finds_the_row_edited_afterwards_while_a_ministry_may_not_audit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var schema = TestSettings.NewSchema("apidecl");
        await using var declaration = await stack.StartDeclarationAsync(schema, clock);
        var settings = TestSettings.For(stack.Infra, stack.Tokens, schema);
        settings["Audit:Schemas:0"] = schema;
        await using var auditorService = await RunningService.StartAsync(AuditorService.Build, settings, clock);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declaration);
        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await crises.DeclareEmergencyAsync(Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await stack.WaitUntilSealedAsync(schema);
        var audit = new Audit.AuditClient(auditorService.Channel);
        var request = new RunAuditRequest
        {
            CrisisId = crisis.Result.Id,
            AsOf = Timestamp.FromDateTimeOffset(new DateTimeOffset(2021, 9, 15, 0, 0, 0, TimeSpan.Zero)),
            IncludeHtml = true,
        };

        var clean = await audit.RunAuditAsync(request, As(stack.Tokens.Auditor()));

        Assert.True(clean.Passed);
        // The law the store adopted and the crisis's two decisions, nothing else: this fixture's exchanges carry no other
        // test assembly's events.
        Assert.Equal(1 + 2, clean.EventsReplayed);
        var emergency = Assert.Single(Assert.Single(clean.Crises).Items);
        Assert.Equal((ItemKind.Emergency, "PL-CONST-230", "2021-10-01", true), (emergency.Kind, emergency.Code, emergency.LawfulEnd, emergency.InForce));
        Assert.Contains("<svg", clean.Html, StringComparison.Ordinal);
        var ministry = await Assert.ThrowsAsync<RpcException>(async () => await audit.RunAuditAsync(request, poland));
        Assert.Equal(StatusCode.PermissionDenied, ministry.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(async () => await audit.RunAuditAsync(request));
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        var badCountry = await Assert.ThrowsAsync<RpcException>(async () =>
            await audit.RunAuditAsync(new RunAuditRequest(request) { Country = "Poland" }, As(stack.Tokens.Auditor())));
        Assert.Equal(StatusCode.InvalidArgument, badCountry.StatusCode);
        Assert.StartsWith("country:", badCountry.Status.Detail, StringComparison.Ordinal);
        var backwards = await Assert.ThrowsAsync<RpcException>(async () => await audit.RunAuditAsync(new RunAuditRequest(request)
        {
            From = Timestamp.FromDateTimeOffset(new DateTimeOffset(2021, 10, 1, 0, 0, 0, TimeSpan.Zero)),
            To = Timestamp.FromDateTimeOffset(new DateTimeOffset(2021, 9, 1, 0, 0, 0, TimeSpan.Zero)),
        }, As(stack.Tokens.Auditor())));
        Assert.Equal((StatusCode.InvalidArgument, "to: is before from"), (backwards.StatusCode, backwards.Status.Detail));

        await stack.ExecuteAsync($$"""
            update {{schema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2021-12-15"')
            where stream_id = '{{crisis.Result.Id}}' and version = 2
            """);
        var tampered = await audit.RunAuditAsync(request, As(stack.Tokens.Auditor()));

        Assert.False(tampered.Passed);
        var altered = Assert.Single(tampered.Findings, f => f.Rule == "integrity.altered");
        Assert.Equal((schema, crisis.Result.Id, 2L, Severity.Error), (altered.Store, altered.StreamKey, altered.Version, altered.Severity));
        Assert.Contains(tampered.Findings, f => f.Rule == "emergency.initial-duration");
    }
}
