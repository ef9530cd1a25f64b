using System.Text.Json;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Humanitarian.V1;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Humanitarian.IntegrationTests;

/// <summary>
/// Reception capacity reports a region in overflow on RabbitMQ (as its service will); humanitarian support opens an
/// emergency-shelter request for that region by itself, once.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OverflowChoreographyTests(StackFixture stack)
{
    private static readonly DateTimeOffset Nov9 = new(2021, 11, 9, 18, 0, 0, TimeSpan.Zero);

    /// <summary>A region of this test only: other test runs publish strain changes on the same broker.</summary>
    private static string NewRegion() => $"PL20-{Guid.NewGuid():N}"[..13].ToUpperInvariant();

    private static Reception.ReceptionStrainChanged Overflow(string region, int capacity = 500, int occupied = 560, string scope = "Region",
        string to = "Overflow") =>
        new(scope, region, "PL", "Podlaskie", "PL-BY", "Strained", to, capacity, occupied, (double)occupied / capacity, Nov9);

    private static async Task<List<AssistanceRequestDetails>> ShelterRequestsAsync(HumanitarianSupport.HumanitarianSupportClient client, string region,
        CallOptions caller) =>
        (await client.ListAssistanceAsync(new ListAssistanceRequest { Country = "PL", Origin = "reception-overflow" }, caller))
        .Requests.Where(r => r.Location.Admin1Pcode == region).OrderBy(r => r.AssistanceRequestId, StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_regional_overflow_opens_one_emergency_shelter_request_and_a_redelivered_message_changes_nothing()
    {
        var clock = new FakeTimeProvider(Nov9.AddMinutes(2));
        var consumed = new ConsumedMessages();
        await using var probe = await new BusProbe().Listen<Contract.AssistanceRequested>().StartAsync(stack.Infra);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_ovf"), clock, consumed,
            new Dictionary<string, string?> { ["ReceptionOverflow:ShelterDeadlineHours"] = "12" });
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var region = NewRegion();

        var first = Guid.NewGuid();
        await stack.PublishAsync(first, Overflow(region));
        await consumed.WaitForAsync(first);
        var opened = Assert.Single(await ShelterRequestsAsync(client, region, poland));
        Assert.Equal((Sector.Shelter, 60, "places", "reception-overflow", AssistanceStatus.Open),
            (opened.Sector, opened.Requested, opened.Unit, opened.Origin, opened.Status));
        Assert.Equal(("PL", "Podlaskie", region, ""), (opened.Location.Country, opened.Location.Admin1Name, opened.Location.Admin1Pcode, opened.Location.Name));
        Assert.Equal(Nov9.AddHours(12), opened.Deadline.ToDateTimeOffset());
        var details = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = opened.AssistanceRequestId }, poland);
        var decision = Assert.Single(details.History).Decision;
        Assert.Equal(("system:reception-overflow", "System"), (decision.ActorSubject, decision.Role));
        Assert.Contains("560 occupied for 500 places", decision.Justification, StringComparison.Ordinal);
        Assert.Equal(first.ToString(), JsonDocument.Parse(details.History[0].DataJson).RootElement.GetProperty("overflow").GetProperty("messageId").GetString());
        // Opened by the consumer, not a gRPC decision: chained all the same, for the audit.
        await EventChains.AssertChainedAsync(service.Services.GetRequiredService<IDocumentStore>(), opened.AssistanceRequestId);

        // The broker delivers the same message again (same MessageId): nothing changes.
        await stack.PublishAsync(first, Overflow(region));
        await consumed.WaitForAsync(first, 2);
        var afterRedelivery = Assert.Single(await ShelterRequestsAsync(client, region, poland));
        Assert.Equal((opened.AssistanceRequestId, 1L), (afterRedelivery.AssistanceRequestId, afterRedelivery.Version));
        // Partners hear of the automatic request as of any other.
        var published = await probe.WaitForAsync<Contract.AssistanceRequested>(r => r.RequestId == opened.AssistanceRequestId);
        Assert.Equal(("reception-overflow", "shelter", 60, "system:reception-overflow"),
            (published.Message.Origin, published.Message.Sector, published.Message.Quantity, published.Message.Decision.ActorSubject));

        // Another overflow report for the region while its shelter request is open: it already asks for shelter there.
        var again = Guid.NewGuid();
        await stack.PublishAsync(again, Overflow(region, occupied: 620));
        await consumed.WaitForAsync(again);
        Assert.Single(await ShelterRequestsAsync(client, region, poland));

        // Facility and country levels, and strain short of overflow, open nothing.
        var otherRegion = NewRegion();
        (Guid, Reception.ReceptionStrainChanged)[] noOverflow =
            [(Guid.NewGuid(), Overflow(otherRegion, scope: "Facility")), (Guid.NewGuid(), Overflow(otherRegion, to: "Strained")),
             (Guid.NewGuid(), Overflow(otherRegion, scope: "Country"))];
        await stack.PublishAsync(noOverflow);
        foreach (var (id, _) in noOverflow) await consumed.WaitForAsync(id);
        Assert.Empty(await ShelterRequestsAsync(client, otherRegion, poland));
    }

    [Fact]
    public async Task Once_the_regions_shelter_request_is_closed_the_next_overflow_opens_a_new_one_and_old_messages_still_change_nothing()
    {
        var clock = new FakeTimeProvider(Nov9.AddMinutes(2));
        var consumed = new ConsumedMessages();
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_ep"), clock, consumed);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var ucpm = As(stack.Tokens.Partner("UCPM-CZ", "cz-fire-rescue"));
        var region = NewRegion();

        var first = Guid.NewGuid();
        await stack.PublishAsync(first, Overflow(region, occupied: 530));
        await consumed.WaitForAsync(first);
        var episode1 = Assert.Single(await ShelterRequestsAsync(client, region, poland));
        var pledge = await client.PledgeAssistanceAsync(Requests.Pledge(episode1.AssistanceRequestId, 30), ucpm);
        await client.RecordDeliveryAsync(Requests.Delivery(episode1.AssistanceRequestId, pledge.PledgeId, 30), ucpm);

        var second = Guid.NewGuid();
        await stack.PublishAsync(second, Overflow(region, occupied: 700));
        await consumed.WaitForAsync(second);
        var both = await ShelterRequestsAsync(client, region, poland);
        Assert.Equal(2, both.Count);
        var episode2 = Assert.Single(both, r => r.Status == AssistanceStatus.Open);
        Assert.Equal(200, episode2.Requested);
        Assert.EndsWith("-2", episode2.AssistanceRequestId, StringComparison.Ordinal);

        // The ministry closes the second one; a late redelivery of either old message opens nothing.
        await client.CancelAssistanceAsync(new CancelAssistanceRequest
        {
            RequestId = Guid.NewGuid().ToString(),
            AssistanceRequestId = episode2.AssistanceRequestId,
            ExpectedVersion = episode2.Version,
            Justification = "people were transferred to the reception centre in Biała Podlaska",
        }, poland);
        await stack.PublishAsync(first, Overflow(region, occupied: 530));
        await stack.PublishAsync(second, Overflow(region, occupied: 700));
        await consumed.WaitForAsync(first, 2);
        await consumed.WaitForAsync(second, 2);
        Assert.Equal(2, (await ShelterRequestsAsync(client, region, poland)).Count);
    }

    [Fact]
    public async Task Overflow_reports_of_one_region_arriving_at_the_same_time_open_exactly_one_request()
    {
        var clock = new FakeTimeProvider(Nov9.AddMinutes(2));
        var consumed = new ConsumedMessages();
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_race"), clock, consumed);
        var client = StackFixture.Client(service);
        var region = NewRegion();

        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        await stack.PublishAsync([.. ids.Select((id, i) => (id, Overflow(region, occupied: 510 + i)))]);
        foreach (var id in ids) await consumed.WaitForAsync(id);

        var opened = Assert.Single(await ShelterRequestsAsync(client, region, As(stack.Tokens.Coordinator())));
        Assert.EndsWith("-1", opened.AssistanceRequestId, StringComparison.Ordinal);
    }
}
