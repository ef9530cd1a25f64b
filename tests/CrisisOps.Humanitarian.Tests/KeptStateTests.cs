using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.ServiceDefaults.EventStore;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;

namespace CrisisOps.Humanitarian.Tests;

/// <summary>The state a stream keeps reads back as it was written, and its view follows from it alone.</summary>
public class KeptStateTests
{
    [Fact]
    public void A_request_with_pledges_and_deliveries_reads_back_whole_and_its_view_totals_them()
    {
        var spec = new AssistanceSpec().Given(Requested());
        foreach (var command in new AssistanceCommand[]
                 {
                     new PledgeAssistance("IOM", 200, By(Iom, Nov2021.AddHours(1))),
                     new PledgeAssistance("UNHCR", 100, By(Unhcr, Nov2021.AddHours(2))),
                 })
            spec.Given([.. spec.When(command)]);
        var iomPledge = spec.State!.Pledges[0].Id;
        spec.Given([.. spec.When(new RecordDelivery(iomPledge, "IOM", 150, By(Iom, Nov2021.AddHours(5))))]);
        spec.Given([.. spec.When(new WithdrawPledge(iomPledge, "IOM", By(Iom, Nov2021.AddHours(6))))]);
        var folded = spec.State!;

        var json = KeptState.Write(folded);
        var read = KeptState.Read<AssistanceRequest>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        var view = AssistanceRequestView.From(read, 5);
        Assert.Equal((150, 150, 150, 100), (view.Delivered, view.Remaining, view.Pledged - 100, view.Pledges[1].Pledged));
        var iom = view.Pledges[0];
        Assert.Equal((150, 150, 50, Nov2021.AddHours(5), Nov2021.AddHours(6), Iom.Subject),
            (iom.Pledged, iom.Delivered, iom.Withdrawn, iom.LastDeliveryAt!.Value, iom.UpdatedAt, iom.PledgedBy));
        Assert.Equal((Poland.Organisation, Nov2021, Nov2021.AddHours(6)), (view.RequestedBy, view.OpenedAt, view.UpdatedAt));
        var delivery = new RecordDelivery(spec.State!.Pledges[1].Id, "UNHCR", 100, By(Unhcr, Nov2021.AddHours(7)));
        Assert.Equal(KeptState.Write(AssistanceDecider.Decide(folded, delivery)), KeptState.Write(AssistanceDecider.Decide(read, delivery)));
    }

    [Fact]
    public void A_reassessed_location_reads_back_whole_and_its_view_shows_the_latest_figures()
    {
        var spec = new NeedsSpec();
        spec.Given([.. spec.When(Assess(Figures(4000, 3000, 2500, 0)))]);
        var reassessed = spec.State! with { };
        var json = KeptState.Write(reassessed);
        var read = KeptState.Read<NeedsAssessment>(json)!;

        Assert.Equal(json, KeptState.Write(read));
        var view = NeedsView.From(read, 1);
        Assert.Equal((Figures(4000, 3000, 2500, 0), "IOM DTM flow monitoring", "IOM", Nov2021), (view.Figures, view.Source, view.RecordedFor, view.UpdatedAt));
    }
}
