using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Messaging;
using CrisisOps.Humanitarian.Needs;
using JasperFx.Events;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;
using Contract = CrisisOps.Contracts.Humanitarian.V1;

namespace CrisisOps.Humanitarian.Tests;

public class ContractsTests
{
    private static readonly HumanitarianContracts Mapper = new();

    private static object? Map<T>(T data)
        where T : notnull => Mapper.ToContract(new Event<T>(data));

    [Fact]
    public void Requests_pledges_deliveries_and_alerts_leave_the_service_with_sector_location_and_decision()
    {
        var requested = new AssistanceSpec().Single<AssistanceRequested>(Tents(at: Bruzgi) with { Sector = Sector.Winterisation });
        var contract = Assert.IsType<Contract.AssistanceRequested>(Map(requested));
        Assert.Equal(("winterisation", "Bruzgi, Hrodna (BY04), BY, beyond the border", Origins.Ministry), (contract.Sector, contract.Location, contract.Origin));
        Assert.Equal("pl-interior", contract.Decision.ActorSubject);

        var delivery = Assert.IsType<Contract.DeliveryRecorded>(Map(new DeliveryRecorded("request-1", "pledge-1", "IOM", 10, 10, 290, By(Iom, Nov2021))));
        Assert.Equal(("IOM", 290), (delivery.Partner, delivery.Remaining));
        var missed = Assert.IsType<Contract.AssistanceDeadlineMissed>(Map(new AssistanceDeadlineMissed("request-1", "PL", Kuznica, Sector.Shelter, 290,
            Nov2021, Nov2021.AddDays(1), By(AssistanceDeadlineHandler.AssistanceDeadline, Nov2021.AddDays(1)))));
        Assert.Equal(("shelter", Nov2021), (missed.Sector, missed.Deadline));
        Assert.IsType<Contract.PledgeWithdrawn>(Map(new PledgeWithdrawn("request-1", "pledge-1", "IOM", 5, By(Iom, Nov2021))));
        Assert.IsType<Contract.AssistanceRequestCancelled>(Map(new AssistanceCancelled("request-1", "PL", 290, By(Poland, Nov2021))));
        Assert.Null(Map(new AssistanceFulfilled("request-1", "PL", By(Iom, Nov2021))));
    }

    [Fact]
    public void A_revised_assessment_publishes_the_figures_as_they_now_stand_under_the_same_assessment_id()
    {
        var revised = new NeedsReassessed("needs-1", "PL", Kuznica, Sector.Shelter, Figures(10, 9, 8, 7), null, new DateOnly(2021, 11, 9),
            null, "IOM", By(Iom, Nov2021));
        var contract = Assert.IsType<Contract.NeedsAssessed>(Map(revised));
        Assert.Equal(("needs-1", "shelter", 10, 9, 8, 7), (contract.AssessmentId, contract.Sector, contract.Affected, contract.InNeed, contract.Targeted, contract.Reached));
    }
}
