using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Contract = CrisisOps.Contracts.Humanitarian.V1;

namespace CrisisOps.Humanitarian.IntegrationTests;

/// <summary>Requests, pledges and deliveries through gRPC on real PostgreSQL and RabbitMQ.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AssistanceTests(StackFixture stack)
{
    private static readonly DateTimeOffset Nov8 = new(2021, 11, 8, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Partners_pledge_against_a_ministrys_request_and_partial_deliveries_are_tracked_until_it_is_fulfilled()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var probe = await new BusProbe().Listen<Contract.AssistanceRequested>().Listen<Contract.PledgeMade>()
            .Listen<Contract.DeliveryRecorded>().StartAsync(stack.Infra);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_req"), clock);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var iom = As(stack.Tokens.Partner("IOM", "iom-warsaw"));
        var unhcr = As(stack.Tokens.Partner("UNHCR", "unhcr-warsaw"));

        var opened = await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Kuznica, Sector.Shelter, "Family tents", 300, "pieces", Nov8.AddHours(24)), poland);
        var id = opened.Id;
        var iomPledge = await client.PledgeAssistanceAsync(Requests.Pledge(id, 200), iom);
        Assert.Equal(("pledge-1", 2L), (iomPledge.PledgeId, iomPledge.Result.Version));

        var tooMuch = await Assert.ThrowsAsync<RpcException>(async () => await client.PledgeAssistanceAsync(Requests.Pledge(id, 150), unhcr));
        Assert.Equal(StatusCode.FailedPrecondition, tooMuch.StatusCode);
        Assert.StartsWith("pledge.exceeds-unpledged:", tooMuch.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("pledge at most 100", tooMuch.Status.Detail, StringComparison.Ordinal);
        var unhcrPledge = await client.PledgeAssistanceAsync(Requests.Pledge(id, 100), unhcr);

        clock.Advance(TimeSpan.FromHours(6));
        await client.RecordDeliveryAsync(Requests.Delivery(id, iomPledge.PledgeId, 120), iom);
        await client.RecordDeliveryAsync(Requests.Delivery(id, unhcrPledge.PledgeId, 100), unhcr);
        var beyondPledge = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.RecordDeliveryAsync(Requests.Delivery(id, iomPledge.PledgeId, 81), iom));
        Assert.Equal(StatusCode.FailedPrecondition, beyondPledge.StatusCode);
        Assert.StartsWith("delivery.exceeds-pledge:", beyondPledge.Status.Detail, StringComparison.Ordinal);
        var notTheirs = await Assert.ThrowsAsync<RpcException>(async () =>
            await client.RecordDeliveryAsync(Requests.Delivery(id, iomPledge.PledgeId, 10), unhcr));
        Assert.Equal(StatusCode.PermissionDenied, notTheirs.StatusCode);

        var partly = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, As(stack.Tokens.Coordinator()));
        Assert.Equal((300, 300, 220, 80, 0, AssistanceStatus.Open),
            (partly.Requested, partly.Pledged, partly.Delivered, partly.Remaining, partly.Unpledged, partly.Status));
        Assert.Equal([("IOM", 200, 120, ActivityStatus.Ongoing), ("UNHCR", 100, 100, ActivityStatus.Completed)],
            partly.Pledges.Select(p => (p.Organisation, p.Pledged, p.Delivered, p.Status)));
        Assert.Equal("International Organization for Migration", partly.Pledges[0].OrganisationName);

        await client.RecordDeliveryAsync(Requests.Delivery(id, iomPledge.PledgeId, 80), iom);
        var fulfilled = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = id }, poland);
        Assert.Equal((AssistanceStatus.Fulfilled, 0), (fulfilled.Status, fulfilled.Remaining));
        Assert.Equal(["assistance_requested", "pledge_made", "pledge_made", "delivery_recorded", "delivery_recorded", "delivery_recorded", "assistance_fulfilled"],
            fulfilled.History.Select(h => h.EventType));
        Assert.Equal(("iom-warsaw", "Partner", "IOM"),
            (fulfilled.History[1].Decision.ActorSubject, fulfilled.History[1].Decision.Role, fulfilled.History[1].Decision.Ministry));

        await probe.WaitForAsync<Contract.AssistanceRequested>(r => r.RequestId == id && r.Sector == "shelter" && r.Origin == "ministry");
        await probe.WaitForAsync<Contract.PledgeMade>(p => p.RequestId == id && p.Partner == "UNHCR" && p.Quantity == 100);
        var last = await probe.WaitForAsync<Contract.DeliveryRecorded>(d => d.RequestId == id && d.Remaining == 0);
        Assert.Equal(("IOM", 80), (last.Message.Partner, last.Message.Quantity));
        Assert.Equal(2, probe.Count<Contract.PledgeMade>(p => p.RequestId == id));
    }

    [Fact]
    public async Task A_retried_pledge_returns_its_first_answer_and_pledges_nothing_twice()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_idem"), clock);
        var client = StackFixture.Client(service);
        var iom = As(stack.Tokens.Partner("IOM"));
        var opened = await client.RequestAssistanceAsync(
            Requests.Assistance("PL", Requests.Kuznica, Sector.Food, "Food rations", 1000, "rations", Nov8.AddHours(12)), As(stack.Tokens.Ministry("PL")));

        var pledge = Requests.Pledge(opened.Id, 400);
        var first = await client.PledgeAssistanceAsync(pledge, iom);
        var retried = await client.PledgeAssistanceAsync(pledge, iom);
        Assert.Equal((first.PledgeId, first.Result.Version, true), (retried.PledgeId, retried.Result.Version, retried.Result.Replayed));
        var details = await client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = opened.Id }, iom);
        Assert.Equal((400, 1), (details.Pledged, details.Pledges.Count));

        pledge.Quantity = 300;
        var reused = await Assert.ThrowsAsync<RpcException>(async () => await client.PledgeAssistanceAsync(pledge, iom));
        Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
        Assert.StartsWith("request_id:", reused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ministry_acts_for_its_own_country_partners_for_their_registered_organisation_and_readers_only_read()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_auth"), clock);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var lithuania = As(stack.Tokens.Ministry("LT"));
        var request = Requests.Assistance("PL", Requests.Kuznica, Sector.Health, "First-aid kits", 50, "kits", Nov8.AddHours(6));

        await AssertStatus(StatusCode.PermissionDenied, () => client.RequestAssistanceAsync(request, lithuania));
        await AssertStatus(StatusCode.PermissionDenied, () => client.RequestAssistanceAsync(request, As(stack.Tokens.Coordinator())));
        await AssertStatus(StatusCode.PermissionDenied, () => client.RequestAssistanceAsync(request, As(stack.Tokens.Partner("IOM"))));
        var opened = await client.RequestAssistanceAsync(request, poland);

        await AssertStatus(StatusCode.PermissionDenied, () => client.PledgeAssistanceAsync(Requests.Pledge(opened.Id, 10), As(stack.Tokens.Partner("Wagner Logistics"))));
        await AssertStatus(StatusCode.PermissionDenied, () => client.PledgeAssistanceAsync(Requests.Pledge(opened.Id, 10), As(stack.Tokens.Coordinator())));
        await AssertStatus(StatusCode.PermissionDenied, () => client.PledgeAssistanceAsync(Requests.Pledge(opened.Id, 10), poland));
        await client.PledgeAssistanceAsync(Requests.Pledge(opened.Id, 10), As(stack.Tokens.Partner("UCPM-DE", "thw-liaison")));

        var get = new GetAssistanceRequest { AssistanceRequestId = opened.Id };
        await AssertStatus(StatusCode.PermissionDenied, () => client.GetAssistanceAsync(get, lithuania));
        Assert.Equal(10, (await client.GetAssistanceAsync(get, As(stack.Tokens.Auditor()))).Pledged);
        Assert.Equal(10, (await client.GetAssistanceAsync(get, As(stack.Tokens.Partner("MSF")))).Pledged);
        Assert.Empty((await client.ListAssistanceAsync(new ListAssistanceRequest(), lithuania)).Requests);
        Assert.Single((await client.ListAssistanceAsync(new ListAssistanceRequest(), poland)).Requests);
        await AssertStatus(StatusCode.PermissionDenied, () => client.ListAssistanceAsync(new ListAssistanceRequest { Country = "PL" }, lithuania));
        await AssertStatus(StatusCode.PermissionDenied,
            () => client.CancelAssistanceAsync(new CancelAssistanceRequest { RequestId = "c1", AssistanceRequestId = opened.Id, ExpectedVersion = 2, Justification = "x" }, lithuania));
    }

    [Fact]
    public async Task Bad_input_names_the_field_a_broken_rule_names_the_rule_and_neither_records_anything()
    {
        var clock = new FakeTimeProvider(Nov8);
        await using var service = await stack.StartAsync(TestSettings.NewSchema("hu_bad"), clock);
        var client = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));

        var noLocation = Requests.Assistance("PL", Requests.Kuznica, Sector.Shelter, "Tents", 10, "pieces", Nov8.AddHours(6));
        noLocation.Location = null;
        Assert.Equal("location: is required", await AssertStatus(StatusCode.InvalidArgument, () => client.RequestAssistanceAsync(noLocation, poland)));
        var formula = Requests.Assistance("PL", Requests.Kuznica, Sector.Shelter, "=HYPERLINK(\"http://x\")", 10, "pieces", Nov8.AddHours(6));
        Assert.StartsWith("item:", await AssertStatus(StatusCode.InvalidArgument, () => client.RequestAssistanceAsync(formula, poland)), StringComparison.Ordinal);
        var past = Requests.Assistance("PL", Requests.Kuznica, Sector.Shelter, "Tents", 10, "pieces", Nov8.AddHours(-1));
        Assert.StartsWith("deadline:", await AssertStatus(StatusCode.InvalidArgument, () => client.RequestAssistanceAsync(past, poland)), StringComparison.Ordinal);
        var unflagged = Requests.Assistance("PL", Requests.Bruzgi, Sector.Food, "Food rations", 10, "rations", Nov8.AddHours(6));
        unflagged.Location.BeyondBorder = false;
        Assert.StartsWith("location.beyond_border:", await AssertStatus(StatusCode.InvalidArgument, () => client.RequestAssistanceAsync(unflagged, poland)),
            StringComparison.Ordinal);
        var noSector = Requests.Assistance("PL", Requests.Kuznica, Sector.Unspecified, "Tents", 10, "pieces", Nov8.AddHours(6));
        Assert.Equal("sector: is required", await AssertStatus(StatusCode.InvalidArgument, () => client.RequestAssistanceAsync(noSector, poland)));

        var overReached = Requests.Needs("PL", Requests.Kuznica, Sector.Shelter, 4000, 3500, 3000, 3100, "2021-11-08");
        Assert.StartsWith("needs.reached-within-targeted:", await AssertStatus(StatusCode.FailedPrecondition,
            () => client.RecordNeedsAssessmentAsync(overReached, poland)), StringComparison.Ordinal);
        await AssertStatus(StatusCode.NotFound, () => client.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = "request-none" }, poland));
        await AssertStatus(StatusCode.NotFound, () => client.PledgeAssistanceAsync(Requests.Pledge("request-none", 1), As(stack.Tokens.Partner("IOM"))));

        Assert.Empty((await client.ListAssistanceAsync(new ListAssistanceRequest(), poland)).Requests);
        Assert.Empty((await client.ListNeedsAssessmentsAsync(new ListNeedsAssessmentsRequest(), poland)).Assessments);
    }

    private static async Task<string> AssertStatus<T>(StatusCode code, Func<AsyncUnaryCall<T>> call)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call());
        Assert.Equal(code, refused.StatusCode);
        return refused.Status.Detail;
    }
}
