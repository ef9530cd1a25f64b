using CrisisOps.Reception.Facilities;
using CrisisOps.ServiceDefaults.EventStore;
using Xunit;
using static CrisisOps.Reception.Tests.Samples;

namespace CrisisOps.Reception.Tests;

/// <summary>The state a facility stream keeps reads back as it was written, and decides as the state folded from its events.</summary>
public class KeptStateTests
{
    [Fact]
    public void A_facility_with_a_plan_and_a_transfer_on_its_way_reads_back_whole_and_decides_the_same()
    {
        var spec = new FacilitySpec().After(Centre(100), Arrivals(60));
        spec.After(new DeclareContingencyPlan(spec.State!.DecisionVersion, "winter", "sports hall", General(40), By()));
        spec.After(new ReserveTransfer("transfer-1", "facility-0", General(10), By()));
        var folded = spec.State!;

        var json = KeptState.Write(folded);
        var read = KeptState.Read<Facility>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        Assert.Equal(KeptState.Write(FacilityView.From(folded)), KeptState.Write(FacilityView.From(read)));
        var arrivals = Arrivals(25);
        Assert.Equal(KeptState.Write(FacilityDecider.Decide(folded, arrivals)), KeptState.Write(FacilityDecider.Decide(read, arrivals)));
    }
}
