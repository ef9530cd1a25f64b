using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.Situation.Picture;
using Marten;
using MassTransit;
using D = CrisisOps.Contracts.Declaration.V1;
using H = CrisisOps.Contracts.Humanitarian.V1;
using L = CrisisOps.Contracts.Leverages.V1;
using M = CrisisOps.Contracts.Measures.V1;
using R = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Situation.Messaging;

/// <summary>Which country a humanitarian request is in: pledges and deliveries name only their request.</summary>
public sealed record RequestCountry(string Id, string Country);

/// <summary>
/// Folds every integration event of the five services into the country's picture, once per event (the dedupe key
/// names the contract, because one event may publish two contracts under its id), whether it came from the bus or from
/// a catch-up on a feed. Runs one message at a time: the picture of a country has one writer.
/// </summary>
public sealed class SituationConsumer(IDocumentStore store, SituationChanges changes, TimeProvider clock) :
    IConsumer<D.CrisisDeclared>,
    IConsumer<D.EmergencyDeclared>,
    IConsumer<D.EmergencyLegalTermSet>,
    IConsumer<D.EmergencyExtended>,
    IConsumer<D.EmergencyExpired>,
    IConsumer<D.EmergencyLifted>,
    IConsumer<D.CrisisStageChanged>,
    IConsumer<D.CrisisEnded>,
    IConsumer<D.AlertLevelChanged>,
    IConsumer<M.MeasureEnacted>,
    IConsumer<M.MeasureLegalTermSet>,
    IConsumer<M.MeasureExtended>,
    IConsumer<M.MeasureAmended>,
    IConsumer<M.MeasureRevoked>,
    IConsumer<M.MeasureEndorsed>,
    IConsumer<M.MeasureAnnulled>,
    IConsumer<M.MeasureExpired>,
    IConsumer<M.MeasureEndedWithCrisis>,
    IConsumer<M.SafeguardBreachRefused>,
    IConsumer<R.RegistrationPointStatusChanged>,
    IConsumer<R.FacilityRegistered>,
    IConsumer<R.OccupancyChanged>,
    IConsumer<R.ReceptionStrainChanged>,
    IConsumer<R.PeopleNotPlaced>,
    IConsumer<R.ContingencyActivated>,
    IConsumer<R.ContingencyDeactivated>,
    IConsumer<H.NeedsAssessed>,
    IConsumer<H.AssistanceRequested>,
    IConsumer<H.PledgeMade>,
    IConsumer<H.DeliveryRecorded>,
    IConsumer<H.AssistanceDeadlineMissed>,
    IConsumer<H.PledgeWithdrawn>,
    IConsumer<H.AssistanceRequestCancelled>,
    IConsumer<L.LeverageProposed>,
    IConsumer<L.AllyPositionRecorded>,
    IConsumer<L.LeverageImposed>,
    IConsumer<L.LeverageReviewed>,
    IConsumer<L.LeverageRenewed>,
    IConsumer<L.LeverageEscalated>,
    IConsumer<L.LeverageSuspended>,
    IConsumer<L.LeverageResumed>,
    IConsumer<L.LeverageLifted>,
    IConsumer<L.LeverageLapsed>,
    IConsumer<L.LeverageReviewFellDue>,
    IConsumer<L.LeverageFlaggedForReview>
{
    public Task Consume(ConsumeContext<D.CrisisDeclared> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.EmergencyDeclared> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.EmergencyLegalTermSet> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.EmergencyExtended> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.EmergencyExpired> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.EmergencyLifted> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.CrisisStageChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.CrisisEnded> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<D.AlertLevelChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureEnacted> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureLegalTermSet> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureExtended> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureAmended> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureRevoked> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureEndorsed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureAnnulled> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureExpired> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.MeasureEndedWithCrisis> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<M.SafeguardBreachRefused> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.RegistrationPointStatusChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.FacilityRegistered> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.OccupancyChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.ReceptionStrainChanged> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.PeopleNotPlaced> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.ContingencyActivated> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<R.ContingencyDeactivated> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.NeedsAssessed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.AssistanceRequested> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.PledgeMade> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.DeliveryRecorded> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.AssistanceDeadlineMissed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.PledgeWithdrawn> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<H.AssistanceRequestCancelled> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageProposed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.AllyPositionRecorded> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageImposed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageReviewed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageRenewed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageEscalated> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageSuspended> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageResumed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageLifted> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageLapsed> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageReviewFellDue> context) => ApplyAsync(context);

    public Task Consume(ConsumeContext<L.LeverageFlaggedForReview> context) => ApplyAsync(context);

    private async Task ApplyAsync<T>(ConsumeContext<T> context)
        where T : class
    {
        object message = context.Message;
        var eventId = context.MessageId ?? throw new InvalidOperationException($"{typeof(T).Name} has no message id");
        var now = clock.GetUtcNow();
        CountryPicture? applied = null;
        await store.ConsumeOnceAsync($"situation/{typeof(T).Name}", eventId, now, async session =>
        {
            var country = SituationFold.CountryOf(message);
            if (country is null && SituationFold.RequestOf(message) is { } request)
                country = (await session.LoadAsync<RequestCountry>(request, context.CancellationToken))?.Country;
            // A pledge for a request never seen: its request comes first in the same stream, so this cannot happen
            // unless the request's country is unknown; nothing to draw it on.
            if (country is null) return;
            var picture = await session.LoadAsync<CountryPicture>(country.ToUpperInvariant(), context.CancellationToken)
                ?? CountryPicture.Empty(country.ToUpperInvariant());
            applied = SituationFold.Apply(picture, message, eventId, now);
            session.Store(applied);
            if (message is H.AssistanceRequested requested) session.Store(new RequestCountry(requested.RequestId, requested.Country.ToUpperInvariant()));
        }, context.CancellationToken);

        if (applied is { } p && p.Timeline.LastOrDefault(t => t.EventId == eventId) is { } item)
            changes.Publish(new SituationChanged(p.Id, item.CrisisId, item.EventType, item.Summary, item.At));
    }
}
