extern alias service;
using CrisisOps.Legal;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.Testing;
using Grpc.Core;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Reception.IntegrationTests.Requests;
using static CrisisOps.Testing.RunningService;
using Domain = service::CrisisOps.Reception.Facilities;
using TransferProcess = service::CrisisOps.Reception.Transfers.TransferProcess;

namespace CrisisOps.Reception.IntegrationTests;

/// <summary>People moved between facilities are never lost nor counted twice, even when the service dies half-way.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TransferTests(StackFixture stack)
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2021, 11, 9, 7, 0, 0, TimeSpan.FromHours(1)));

    [Fact]
    public async Task A_transfer_moves_people_from_one_facility_to_another_and_refuses_when_either_end_cannot_take_part()
    {
        await using var service = await stack.StartReceptionAsync(TestSettings.NewSchema("rc_xfer"), _clock);
        var api = StackFixture.Client(service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var region = NewRegion("PL");
        var (origin, destination) = await TwoFacilitiesAsync(api, poland, region);

        var moved = await api.TransferPeopleAsync(Transfer(origin, destination, 12), poland);
        var figures = await FiguresAsync(api, poland, origin, destination);
        Assert.Equal((18, 12, 0, 8), (figures.Origin.Occupied.General, figures.Destination.Occupied.General, figures.Destination.Incoming.General,
            figures.Destination.Free.General));
        Assert.StartsWith("transfer-", moved.TransferId, StringComparison.Ordinal);

        var tooMany = await Assert.ThrowsAsync<RpcException>(async () => await api.TransferPeopleAsync(Transfer(origin, destination, 9), poland));
        Assert.Equal(StatusCode.FailedPrecondition, tooMany.StatusCode);
        Assert.StartsWith("reception.capacity:", tooMany.Status.Detail, StringComparison.Ordinal);
        var notThere = await Assert.ThrowsAsync<RpcException>(async () => await api.TransferPeopleAsync(Transfer(destination, origin, 13), poland));
        Assert.StartsWith("reception.transfer.origin:", notThere.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(figures, await FiguresAsync(api, poland, origin, destination));

        var history = await api.GetFacilityAsync(new GetFacilityRequest { FacilityId = destination, IncludeHistory = true }, poland);
        Assert.Equal(["facility_registered", "transfer_reserved", "transfer_arrived"], history.History.Select(h => h.EventType));
        Assert.Equal(moved.Destination.Version, history.Version);
    }

    [Fact]
    public async Task A_transfer_whose_service_died_after_the_people_left_is_finished_after_the_restart_and_a_retry_repeats_nothing()
    {
        var schema = TestSettings.NewSchema("rc_crash");
        var poland = As(stack.Tokens.Ministry("PL"));
        var request = new TransferRequest();
        string origin, destination, transferId;
        await using (var service = await stack.StartReceptionAsync(schema, _clock))
        {
            var api = StackFixture.Client(service);
            (origin, destination) = await TwoFacilitiesAsync(api, poland, NewRegion("PL"));
            request = Transfer(origin, destination, 12);

            // What TransferPeople records before it dies: step 1 at the destination (under the caller's request id), step 2 at the origin.
            var store = StackFixture.Store(service);
            var officer = new Actor("interior-officer", "interior-officer", Role.Ministry, "Ministry of Interior (PL)", "PL");
            transferId = TransferProcess.TransferIdFor(officer.Subject, request.RequestId);
            var decision = new Decision(officer, _clock.GetUtcNow(), null, request.Justification, request.RequestId);
            var people = new Domain.Places(12, 0, 0, 0);
            await store.DecideAsync(Domain.FacilityStream.Definition,
                new CommandEnvelope(destination, null, officer, request.RequestId, ProtoFields.Fingerprint(request)),
                s => Domain.FacilityDecider.Decide(s, new Domain.ReserveTransfer(transferId, origin, people, decision)), _clock, default);
            await store.DecideAsync(Domain.FacilityStream.Definition,
                new CommandEnvelope(origin, null, TransferProcess.Steward, $"{transferId}/depart", TransferProcess.CompletionKind),
                s => Domain.FacilityDecider.Decide(s, new Domain.DepartTransfer(transferId, destination, people,
                    decision with { Actor = TransferProcess.Steward })), _clock, default);

            // On the road: gone from the origin, not yet occupying the destination, held there as incoming.
            var onTheRoad = await FiguresAsync(api, poland, origin, destination);
            Assert.Equal((18, 0, 12, 8), (onTheRoad.Origin.Occupied.General, onTheRoad.Destination.Occupied.General,
                onTheRoad.Destination.Incoming.General, onTheRoad.Destination.Free.General));
        }

        _clock.Advance(TimeSpan.FromMinutes(5));
        await using (var service = await stack.StartReceptionAsync(schema, _clock))
        {
            var api = StackFixture.Client(service);
            var arrived = await StackFixture.EventuallyAsync(() => FiguresAsync(api, poland, origin, destination),
                f => f.Destination.Occupied.General == 12, "the deadline worker finishing the transfer");
            Assert.Equal((18, 0, 8), (arrived.Origin.Occupied.General, arrived.Destination.Incoming.General, arrived.Destination.Free.General));
            await StackFixture.EventuallyAsync(async () =>
            {
                await using var session = StackFixture.Store(service).QuerySession();
                return await session.LoadAsync<Deadline>($"{TransferProcess.CompletionKind}/{transferId}");
            }, d => d is null, "the completion deadline removed");

            // The caller retries the request that died: the first transfer's answer, nobody moved twice.
            var retried = await api.TransferPeopleAsync(request, poland);
            Assert.Equal(transferId, retried.TransferId);
            Assert.Equal(arrived, await FiguresAsync(api, poland, origin, destination));
            var history = await api.GetFacilityAsync(new GetFacilityRequest { FacilityId = origin, IncludeHistory = true }, poland);
            Assert.Single(history.History, h => h.EventType == "transfer_departed");
        }
    }

    private static async Task<(string Origin, string Destination)> TwoFacilitiesAsync(ReceptionCapacity.ReceptionCapacityClient api,
        CallOptions poland, string region)
    {
        var origin = (await api.RegisterFacilityAsync(Facility("PL", region, General(50), "Kuźnica tent camp"), poland)).Id;
        var destination = (await api.RegisterFacilityAsync(Facility("PL", region, General(20), "Białystok centre"), poland)).Id;
        await api.ReportArrivalsAsync(People(origin, General(30)), poland);
        return (origin, destination);
    }

    private static async Task<(FacilityFigures Origin, FacilityFigures Destination)> FiguresAsync(ReceptionCapacity.ReceptionCapacityClient api,
        CallOptions who, string origin, string destination) =>
        ((await api.GetFacilityAsync(new GetFacilityRequest { FacilityId = origin }, who)).Figures,
            (await api.GetFacilityAsync(new GetFacilityRequest { FacilityId = destination }, who)).Figures);

    private static TransferRequest Transfer(string origin, string destination, int general) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        OriginFacilityId = origin,
        DestinationFacilityId = destination,
        People = General(general),
        Justification = "the tent camp cannot be heated",
    };
}
