using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Measures.IntegrationTests;

/// <summary>
/// ListRefusedAttempts over real gRPC: what auditors read of the measures a safeguard stopped. Safeguards are judged
/// on what a measure does before anything else, so these attempts need no crisis.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RefusedAttemptsTests(StackFixture stack) : IAsyncLifetime
{
    private static readonly DateTimeOffset Morning = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _clock = new(Morning);
    private RunningService _service = null!;
    private EmergencyMeasures.EmergencyMeasuresClient _measures = null!;

    public async Task InitializeAsync()
    {
        _service = await stack.StartMeasuresAsync(TestSettings.NewSchema("refused"), _clock);
        _measures = StackFixture.Measures(_service);
    }

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task Each_refused_breach_is_listed_for_its_country_oldest_first_with_its_rule_reason_actor_and_time()
    {
        var poland = As(stack.Tokens.Ministry("PL", "pl-border-guard"));
        var suspension = Attempt("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", "PL", "suspend asylum applications at the Belarus border");
        var before = DateTimeOffset.UtcNow;
        await RefusedAsync(suspension, poland, "safeguard.1.access-to-asylum");
        _clock.Advance(TimeSpan.FromHours(2));
        var pushBack = Attempt("GROUP-RETURN-ORDER", "PL", "return the group that crossed near Kuźnica");
        await RefusedAsync(pushBack, poland, "safeguard.5.no-collective-expulsion");
        await RefusedAsync(Attempt("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", "LT", "suspend asylum applications"),
            As(stack.Tokens.Ministry("LT", "lt-interior")), "safeguard.1.access-to-asylum");
        var after = DateTimeOffset.UtcNow;

        var listed = await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "PL" }, As(stack.Tokens.Auditor()));
        Assert.Equal(["safeguard.1.access-to-asylum", "safeguard.5.no-collective-expulsion"], listed.Attempts.Select(a => a.Rule));
        var (first, second) = (listed.Attempts[0], listed.Attempts[1]);

        Assert.Equal("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", first.MeasureType);
        Assert.Contains("suspends access to the asylum procedure", first.Reason, StringComparison.Ordinal);
        Assert.StartsWith("EnactMeasureRequest ", first.Command, StringComparison.Ordinal);
        Assert.Contains("suspend asylum applications at the Belarus border", first.Command, StringComparison.Ordinal);
        Assert.Equal(("pl-border-guard", "Ministry", "PL", suspension.RequestId),
            (first.AttemptedBy.ActorSubject, first.AttemptedBy.Role, first.AttemptedBy.Country, first.AttemptedBy.RequestId));
        Assert.Equal(Morning, first.AttemptedBy.DecidedAt.ToDateTimeOffset());
        // The store's own commit time, not the service's clock.
        Assert.InRange(first.RecordedAt.ToDateTimeOffset(), before.AddSeconds(-5), after.AddSeconds(5));

        Assert.Equal(("GROUP-RETURN-ORDER", pushBack.RequestId), (second.MeasureType, second.AttemptedBy.RequestId));
        Assert.Contains("collective expulsion", second.Reason, StringComparison.Ordinal);
        Assert.Equal(Morning.AddHours(2), second.AttemptedBy.DecidedAt.ToDateTimeOffset());
        Assert.True(second.RecordedAt.ToDateTimeOffset() >= first.RecordedAt.ToDateTimeOffset());

        // The ministry reads its own refusals as the auditor does; nothing refused was enacted.
        var own = await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "pl" }, poland);
        Assert.Equal(listed.Attempts, own.Attempts);
        Assert.Empty((await _measures.ListMeasuresAsync(new ListMeasuresRequest { Country = "PL" }, poland)).Measures);
        var lithuania = await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "LT" }, As(stack.Tokens.Coordinator()));
        Assert.Equal("lt-interior", Assert.Single(lithuania.Attempts).AttemptedBy.ActorSubject);
    }

    [Fact]
    public async Task A_retried_refused_attempt_is_refused_again_and_listed_once()
    {
        var latvia = As(stack.Tokens.Ministry("LV", "lv-state-border-guard"));
        var attempt = Attempt("GROUP-RETURN-ORDER", "LV", "return the group at the Silene crossing");
        await RefusedAsync(attempt, latvia, "safeguard.5.no-collective-expulsion");
        await RefusedAsync(attempt, latvia, "safeguard.5.no-collective-expulsion");

        var listed = await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "LV" }, latvia);
        Assert.Equal(attempt.RequestId, Assert.Single(listed.Attempts).AttemptedBy.RequestId);
    }

    [Fact]
    public async Task A_country_with_no_refusal_lists_none()
    {
        var listed = await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "EE" }, As(stack.Tokens.Auditor()));
        Assert.Empty(listed.Attempts);
    }

    [Theory]
    [InlineData("", "country: is required")]
    [InlineData("POL", "country: ")]
    [InlineData("P1", "country: must be an ISO 3166-1 alpha-2 code")]
    public async Task Reading_without_a_valid_country_is_invalid_argument_naming_the_field(string country, string detail)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = country }, As(stack.Tokens.Auditor())));
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith(detail, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("country", refused.Trailers.GetValue("crisisops-field"));
    }

    [Fact]
    public async Task A_ministry_cannot_read_another_countrys_refusals()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () =>
            await _measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = "PL" }, As(stack.Tokens.Ministry("LT"))));
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
    }

    private static EnactMeasureRequest Attempt(string type, string country, string justification) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        MeasureType = type,
        Country = country,
        Territory = { $"{country}-BY" },
        StartDate = "2026-03-02",
        EndDate = "2026-03-31",
        LegalActReference = "draft regulation of 2 March 2026",
        Justification = justification,
    };

    private async Task RefusedAsync(EnactMeasureRequest request, CallOptions caller, string rule)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _measures.EnactMeasureAsync(request, caller));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.StartsWith(rule + ":", refused.Status.Detail, StringComparison.Ordinal);
    }
}
