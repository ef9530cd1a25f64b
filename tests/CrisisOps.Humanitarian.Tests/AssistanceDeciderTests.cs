using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Legal;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;

namespace CrisisOps.Humanitarian.Tests;

public class AssistanceDeciderTests
{
    private static readonly Actor Deadline = AssistanceDeadlineHandler.AssistanceDeadline;

    [Fact]
    public void A_ministry_requests_a_quantity_of_an_item_with_a_deadline_still_to_come()
    {
        var requested = Requested(300);
        Assert.Equal(300, requested.Quantity);
        Assert.Equal(Origins.Ministry, requested.Origin);
        Assert.Equal("quantity", Assert.Throws<InvalidFieldException>(() => new AssistanceSpec().When(Tents(0))).Field);
        Assert.Equal("deadline", Assert.Throws<InvalidFieldException>(() => new AssistanceSpec().When(Tents(deadline: Nov2021))).Field);
        Assert.Equal("location.beyond_border", Assert.Throws<InvalidFieldException>(() =>
            new AssistanceSpec().When(Tents(at: Bruzgi with { BeyondBorder = false }))).Field);
        Assert.Equal("assistance.unique", new AssistanceSpec().Given(requested).Refused(Tents()).Rule);
    }

    [Fact]
    public void The_system_may_open_a_request_whose_deadline_passed_while_it_heard_of_the_overflow_late()
    {
        var late = Tents(deadline: Nov2021.AddHours(-2)) with { Origin = Origins.ReceptionOverflow };
        Assert.Equal(Nov2021.AddHours(-2), new AssistanceSpec().Single<AssistanceRequested>(late).Deadline);
    }

    [Fact]
    public void Pledges_are_matched_to_what_remains_unpledged_and_one_exceeding_it_is_refused_naming_the_remainder()
    {
        var requested = Requested(300);
        var iom = new AssistanceSpec().Given(requested).Single<PledgeMade>(new PledgeAssistance("IOM", 200, By(Iom, Nov2021.AddHours(1))));
        Assert.Equal(("pledge-1", 100), (iom.PledgeId, iom.Unpledged));

        var tooMuch = new AssistanceSpec().Given(requested, iom).Refused(new PledgeAssistance("UNHCR", 150, By(Unhcr, Nov2021.AddHours(2))));
        Assert.Equal("pledge.exceeds-unpledged", tooMuch.Rule);
        Assert.Contains("at most 100", tooMuch.Message, StringComparison.Ordinal);

        var unhcr = new AssistanceSpec().Given(requested, iom).Single<PledgeMade>(new PledgeAssistance("UNHCR", 100, By(Unhcr, Nov2021.AddHours(2))));
        Assert.Equal(("pledge-2", 0), (unhcr.PledgeId, unhcr.Unpledged));
        Assert.Equal("pledge.fully-pledged",
            new AssistanceSpec().Given(requested, iom, unhcr).Refused(new PledgeAssistance("PCK", 1, By(Iom, Nov2021.AddHours(3)))).Rule);
        Assert.Equal("quantity", Assert.Throws<InvalidFieldException>(() =>
            new AssistanceSpec().Given(requested).When(new PledgeAssistance("IOM", 0, By(Iom, Nov2021)))).Field);
    }

    [Fact]
    public void Partial_deliveries_are_tracked_as_requested_pledged_delivered_and_remaining_until_the_last_one_fulfils_the_request()
    {
        var requested = Requested(300);
        var iom = new PledgeMade("request-1", "pledge-1", "IOM", 200, 100, By(Iom, Nov2021));
        var unhcr = new PledgeMade("request-1", "pledge-2", "UNHCR", 100, 0, By(Unhcr, Nov2021));
        var first = new AssistanceSpec().Given(requested, iom, unhcr).Single<DeliveryRecorded>(new RecordDelivery("pledge-1", "IOM", 120, By(Iom, Nov2021.AddHours(6))));
        Assert.Equal((120, 180), (first.Delivered, first.Remaining));

        var state = new AssistanceSpec().Given(requested, iom, unhcr, first).State!;
        Assert.Equal((300, 300, 120, 180, 0), (state.Quantity, state.Pledged, state.Delivered, state.Remaining, state.Unpledged));

        var second = new AssistanceSpec().Given(requested, iom, unhcr, first).Single<DeliveryRecorded>(new RecordDelivery("pledge-2", "UNHCR", 100, By(Unhcr, Nov2021.AddHours(8))));
        Assert.Equal(80, second.Remaining);
        var last = new AssistanceSpec().Given(requested, iom, unhcr, first, second).When(new RecordDelivery("pledge-1", "IOM", 80, By(Iom, Nov2021.AddHours(10))));
        Assert.Equal(0, Assert.IsType<DeliveryRecorded>(last[0]).Remaining);
        Assert.IsType<AssistanceFulfilled>(last[1]);

        var fulfilled = new AssistanceSpec().Given([requested, iom, unhcr, first, second, .. last]);
        Assert.Equal(AssistanceStatus.Fulfilled, fulfilled.State!.Status);
        Assert.Null(fulfilled.State.NextDeadline);
        Assert.Equal("assistance.closed", fulfilled.Refused(new PledgeAssistance("PCK", 1, By(Iom, Nov2021.AddHours(11)))).Rule);
    }

    [Fact]
    public void A_partner_delivers_no_more_than_is_outstanding_on_its_pledge()
    {
        var requested = Requested(300);
        var iom = new PledgeMade("request-1", "pledge-1", "IOM", 200, 100, By(Iom, Nov2021));
        var refused = new AssistanceSpec().Given(requested, iom).Refused(new RecordDelivery("pledge-1", "IOM", 201, By(Iom, Nov2021)));
        Assert.Equal("delivery.exceeds-pledge", refused.Rule);
        Assert.Contains("200 outstanding", refused.Message, StringComparison.Ordinal);
        Assert.Throws<NotFoundException>(() => new AssistanceSpec().Given(requested, iom).When(new RecordDelivery("pledge-9", "IOM", 1, By(Iom, Nov2021))));
    }

    [Fact]
    public void A_partner_acts_only_on_its_own_pledges()
    {
        var given = new AssistanceSpec().Given(Requested(300), new PledgeMade("request-1", "pledge-1", "IOM", 200, 100, By(Iom, Nov2021)));
        Assert.Throws<NotPermittedException>(() => given.When(new RecordDelivery("pledge-1", "UNHCR", 10, By(Unhcr, Nov2021))));
        Assert.Throws<NotPermittedException>(() => given.When(new WithdrawPledge("pledge-1", "UNHCR", By(Unhcr, Nov2021))));
    }

    [Fact]
    public void A_withdrawal_releases_what_was_not_delivered_so_that_another_partner_can_pledge_it()
    {
        var requested = Requested(300);
        var iom = new PledgeMade("request-1", "pledge-1", "IOM", 300, 0, By(Iom, Nov2021));
        var delivered = new DeliveryRecorded("request-1", "pledge-1", "IOM", 50, 50, 250, By(Iom, Nov2021.AddHours(2)));
        var withdrawn = new AssistanceSpec().Given(requested, iom, delivered).Single<PledgeWithdrawn>(new WithdrawPledge("pledge-1", "IOM", By(Iom, Nov2021.AddHours(3))));
        Assert.Equal(250, withdrawn.Released);
        var state = new AssistanceSpec().Given(requested, iom, delivered, withdrawn).State!;
        Assert.Equal((50, 50, 250), (state.Pledged, state.Delivered, state.Unpledged));

        Assert.Equal(250, new AssistanceSpec().Given(requested, iom, delivered, withdrawn)
            .Single<PledgeMade>(new PledgeAssistance("UNHCR", 250, By(Unhcr, Nov2021.AddHours(4)))).Quantity);
        Assert.Equal("pledge.nothing-outstanding", new AssistanceSpec().Given(requested, iom, delivered, withdrawn)
            .Refused(new WithdrawPledge("pledge-1", "IOM", By(Iom, Nov2021.AddHours(4)))).Rule);
    }

    [Fact]
    public void A_cancelled_request_takes_no_further_pledge_delivery_or_cancellation()
    {
        var requested = Requested(300);
        var cancelled = new AssistanceSpec().Given(requested).Single<AssistanceCancelled>(new CancelAssistance(By(Poland, Nov2021.AddHours(1))));
        Assert.Equal(300, cancelled.Remaining);
        var spec = new AssistanceSpec().Given(requested, cancelled);
        Assert.Equal("assistance.closed", spec.Refused(new PledgeAssistance("IOM", 1, By(Iom, Nov2021))).Rule);
        Assert.Equal("assistance.closed", spec.Refused(new CancelAssistance(By(Poland, Nov2021))).Rule);
        Assert.Null(spec.State!.NextDeadline);
    }

    [Fact]
    public void An_unmet_request_past_its_deadline_raises_the_alert_once_stamped_with_the_deadline_even_when_recorded_late()
    {
        var requested = Requested(300);
        var pledged = new PledgeMade("request-1", "pledge-1", "IOM", 300, 0, By(Iom, Nov2021));
        var spec = new AssistanceSpec().Given(requested, pledged);
        Assert.Equal(requested.Deadline, spec.State!.NextDeadline);

        Assert.Empty(spec.When(new MarkDeadlineMissed(By(Deadline, requested.Deadline.AddMinutes(-1)))));
        var late = requested.Deadline.AddDays(2);
        var missed = spec.Single<AssistanceDeadlineMissed>(new MarkDeadlineMissed(By(Deadline, late)));
        Assert.Equal((requested.Deadline, late, 300), (missed.Deadline, missed.RecordedAt, missed.Remaining));
        Assert.Equal(Deadline, missed.Decision.Actor);

        var after = new AssistanceSpec().Given(requested, pledged, missed);
        Assert.Empty(after.When(new MarkDeadlineMissed(By(Deadline, late.AddHours(1)))));
        Assert.Null(after.State!.NextDeadline);
        Assert.Equal(AssistanceStatus.Open, after.State.Status);
    }

    [Fact]
    public void A_request_met_or_cancelled_before_its_deadline_raises_no_alert()
    {
        var requested = Requested(10);
        var pledged = new PledgeMade("request-1", "pledge-1", "IOM", 10, 0, By(Iom, Nov2021));
        var delivered = new DeliveryRecorded("request-1", "pledge-1", "IOM", 10, 10, 0, By(Iom, Nov2021));
        var fulfilled = new AssistanceFulfilled("request-1", "PL", By(Iom, Nov2021));
        Assert.Empty(new AssistanceSpec().Given(requested, pledged, delivered, fulfilled).When(new MarkDeadlineMissed(By(Deadline, requested.Deadline))));
        var cancelled = new AssistanceCancelled("request-1", "PL", 10, By(Poland, Nov2021));
        Assert.Empty(new AssistanceSpec().Given(requested, cancelled).When(new MarkDeadlineMissed(By(Deadline, requested.Deadline))));
        Assert.Empty(new AssistanceSpec().When(new MarkDeadlineMissed(By(Deadline, requested.Deadline))));
    }
}
