using CrisisOps.Reception.Facilities;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;

namespace CrisisOps.Reception.Tests;

/// <summary>The three steps of a transfer, each over one facility: reserve at the destination, depart the origin, arrive.</summary>
public class TransferTests
{
    private static FacilitySpec Origin() => new FacilitySpec().After(Centre(general: 50, id: "origin"), Arrivals(30));

    private static FacilitySpec Destination(int general = 20) => new FacilitySpec().After(Centre(general: general, id: "destination"));

    [Fact]
    public void Held_places_are_neither_free_nor_occupied_until_the_people_arrive()
    {
        var destination = Destination();
        destination.After(new ReserveTransfer("t1", "origin", General(12), By()));
        Assert.Equal(General(12), destination.State!.Figures.Incoming);
        Assert.Equal(General(8), destination.State.Figures.Free);
        Assert.Equal(Places.None, destination.State.Figures.Occupied);

        var origin = Origin();
        var departed = origin.Single<TransferDeparted>(new DepartTransfer("t1", "destination", General(12), By()));
        Assert.Equal(General(18), departed.After.Occupied);

        var arrived = destination.When(new CompleteTransfer("t1", true, "", By()));
        var after = Assert.IsType<TransferArrived>(arrived[0]).After;
        Assert.Equal((General(12), Places.None, General(8)), (after.Occupied, after.Incoming, after.Free));
    }

    [Fact]
    public void A_transfer_to_a_destination_without_room_is_refused_before_anything_is_held()
    {
        var destination = Destination(general: 5);
        Assert.Equal(FacilityDecider.CapacityRule, destination.Refused(new ReserveTransfer("t1", "origin", General(6), By())).Rule);
        Assert.Empty(destination.State!.IncomingTransfers);
    }

    [Fact]
    public void Held_places_count_against_arrivals_so_a_transfer_and_arrivals_never_overbook_together()
    {
        var destination = Destination(general: 20).After(new ReserveTransfer("t1", "origin", General(15), By()));
        Assert.Equal(FacilityDecider.CapacityRule, destination.Refused(Arrivals(6)).Rule);
        Assert.Single(destination.When(Arrivals(5)));
    }

    [Fact]
    public void Every_step_run_again_with_the_same_transfer_id_records_nothing()
    {
        var destination = Destination().After(new ReserveTransfer("t1", "origin", General(12), By()));
        Assert.Empty(destination.When(new ReserveTransfer("t1", "origin", General(12), By())));
        var origin = Origin().After(new DepartTransfer("t1", "destination", General(12), By()));
        Assert.Empty(origin.When(new DepartTransfer("t1", "destination", General(12), By())));
        Assert.Equal(General(18), origin.State!.Figures.Occupied);
        destination.After(new CompleteTransfer("t1", true, "", By()));
        Assert.Empty(destination.When(new CompleteTransfer("t1", true, "", By())));
        Assert.Empty(destination.When(new ReserveTransfer("t1", "origin", General(12), By())));
        Assert.Equal(General(12), destination.State!.Figures.Occupied);
    }

    [Fact]
    public void When_the_people_left_the_origin_meanwhile_the_refusal_is_recorded_once_and_the_held_places_are_released()
    {
        var origin = Origin().After(Departures(25));
        var refused = origin.Single<TransferDepartureRefused>(new DepartTransfer("t1", "destination", General(12), By()));
        Assert.Contains("accommodates only 5 general", refused.Reason, StringComparison.Ordinal);
        origin.Given(refused);
        // The outcome is fixed: people arriving later at the origin do not make a cancelled transfer leave after all.
        origin.After(Arrivals(20));
        Assert.Empty(origin.When(new DepartTransfer("t1", "destination", General(12), By())));
        Assert.Equal(General(25), origin.State!.Figures.Occupied);

        var destination = Destination().After(new ReserveTransfer("t1", "origin", General(12), By()));
        var cancelled = destination.Single<TransferCancelled>(new CompleteTransfer("t1", false, refused.Reason, By()));
        Assert.Equal((General(20), Places.None, Places.None), (cancelled.After.Free, cancelled.After.Incoming, cancelled.After.Occupied));
    }

    [Fact]
    public void A_facility_expecting_a_transfer_cannot_close()
    {
        var destination = Destination().After(new ReserveTransfer("t1", "origin", General(3), By()));
        Assert.Equal("reception.facility.occupied", destination.Refused(new CloseFacility(destination.State!.DecisionVersion, By())).Rule);
    }

    [Fact]
    public void Transfer_steps_do_not_move_the_decision_version()
    {
        var destination = Destination();
        var read = destination.State!.DecisionVersion;
        destination.After(new ReserveTransfer("t1", "origin", General(3), By()), new CompleteTransfer("t1", true, "", By()));
        Assert.Equal(read, destination.State!.DecisionVersion);
    }
}
