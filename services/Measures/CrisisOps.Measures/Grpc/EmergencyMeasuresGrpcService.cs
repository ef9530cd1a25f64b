using CrisisOps.Common.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Security;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;
using NodaTime;
using static CrisisOps.Measures.Grpc.MeasureProto;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Measures.Grpc;

/// <summary>The emergency legal measures API: maps proto to commands and back, and keeps refused safeguard breaches.</summary>
[Authorize]
public sealed class EmergencyMeasuresGrpcService(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
    : V1.EmergencyMeasures.EmergencyMeasuresBase
{
    public override Task<V1.ListMeasureTypesResponse> ListMeasureTypes(V1.ListMeasureTypesRequest request, ServerCallContext context)
    {
        var response = new V1.ListMeasureTypesResponse { CatalogueVersion = catalogue.Version };
        response.Types_.AddRange(catalogue.MeasureTypes.Select(ToProto));
        return Task.FromResult(response);
    }

    public override async Task<CommandResult> EnactMeasure(V1.EnactMeasureRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.Country, "country");
        call.ActingFor(country);
        var type = catalogue.Measure(Required(request.MeasureType, "measure_type", 100));
        var crisisId = Optional(request.CrisisId, "crisis_id", 100);
        var command = new EnactMeasure(MeasureStream.IdFor(Guid.CreateVersion7(clock.GetUtcNow())), type.Code, country,
            Territory(request.Territory), Dates.ParseField(request.StartDate, "start_date"),
            string.IsNullOrWhiteSpace(request.EndDate) ? null : Dates.ParseField(request.EndDate, "end_date"),
            string.IsNullOrWhiteSpace(request.ReviewDueAt) ? null : Dates.ParseField(request.ReviewDueAt, "review_due_at").ToDateOnly(),
            Required(request.LegalActReference, "legal_act_reference", 500), ToDomain(request.Parameters), crisisId,
            call.Decision(Justification(request.Justification)));
        var situation = await SituationAsync(country, crisisId, request.CrisisVersion, context.CancellationToken);
        return await RecordingBreachesAsync(call, request, () => country, () => type.Code,
            () => call.DecideAsync(MeasureStream.Definition, command.MeasureId, null, s => MeasureDecider.Decide(s, command, catalogue, situation)));
    }

    public override Task<CommandResult> ExtendMeasure(V1.ExtendMeasureRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var command = new Measures.ExtendMeasure(Dates.ParseField(request.NewEndDate, "new_end_date"),
            Optional(request.ConsentReference, "consent_reference", 500), call.Decision(Justification(request.Justification)));
        return OnMeasureAsync(call, request, request.MeasureId, request.ExpectedVersion, LegalSituation.None, command);
    }

    public override async Task<CommandResult> AmendMeasure(V1.AmendMeasureRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        MeasureView view;
        await using (var session = store.QuerySession())
        {
            view = await LoadAsync(session, request.MeasureId, context.CancellationToken);
        }

        var situation = await SituationAsync(view.Country, view.CrisisId, request.CrisisVersion, context.CancellationToken);
        var command = new Measures.AmendMeasure(Territory(request.Territory), ToDomain(request.Parameters), call.Decision(Justification(request.Justification)));
        return await OnMeasureAsync(call, request, view.Id, request.ExpectedVersion, situation, command);
    }

    public override Task<CommandResult> RevokeMeasure(V1.MeasureDecisionRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return OnMeasureAsync(call, request, request.MeasureId, request.ExpectedVersion, LegalSituation.None,
            new Measures.RevokeMeasure(call.Decision(Justification(request.Justification))));
    }

    public override Task<CommandResult> EndorseMeasure(V1.ConfirmationRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return OnMeasureAsync(call, request, request.MeasureId, request.ExpectedVersion, LegalSituation.None,
            new Measures.EndorseMeasure(Required(request.ConfirmationReference, "confirmation_reference", 500), call.Decision(Justification(request.Justification))));
    }

    public override Task<CommandResult> AnnulMeasure(V1.ConfirmationRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return OnMeasureAsync(call, request, request.MeasureId, request.ExpectedVersion, LegalSituation.None,
            new Measures.AnnulMeasure(Required(request.ConfirmationReference, "confirmation_reference", 500), call.Decision(Justification(request.Justification))));
    }

    public override async Task<V1.MeasureDetails> GetMeasure(V1.GetMeasureRequest request, ServerCallContext context)
    {
        await using var session = store.QuerySession();
        var view = await LoadAsync(session, request.MeasureId, context.CancellationToken);
        context.Actor().EnsureMayRead(view.Country);
        var details = ToProto(view, catalogue);
        var events = await session.Events.FetchStreamAsync(view.Id, token: context.CancellationToken);
        details.History.AddRange(events.Select(e => ToHistory(e, MeasureStream.Describe)));
        return details;
    }

    public override async Task<V1.ListMeasuresResponse> ListMeasures(V1.ListMeasuresRequest request, ServerCallContext context)
    {
        await using var session = store.QuerySession();
        var query = Scope(session.Query<MeasureView>(), context.Actor(), request.Country, request.CrisisId);
        if (request.Status != V1.MeasureStatus.Unspecified)
        {
            var status = ToDomain(request.Status);
            query = query.Where(m => m.Status == status);
        }

        var measures = await query.OrderByDescending(m => m.StartDate).Take(1000).ToListAsync(context.CancellationToken);
        var response = new V1.ListMeasuresResponse();
        response.Measures.AddRange(measures.Where(m => Matches(m.Classification, request.Context, request.Scope, request.Purpose))
            .Select(m => ToProto(m, catalogue)));
        return response;
    }

    /// <summary>
    /// What was in force at a moment, from the event history: each measure is folded from the decisions taken up to
    /// that moment, and its legal end is applied even where the expiry was recorded later (or not at all).
    /// </summary>
    public override async Task<V1.ListMeasuresResponse> MeasuresInForceAt(V1.MeasuresInForceAtRequest request, ServerCallContext context)
    {
        var at = request.At?.ToDateTimeOffset() ?? throw new InvalidFieldException("at", "is required");
        var instant = Instant.FromDateTimeOffset(at);
        await using var session = store.QuerySession();
        var latestStart = DateOnly.FromDateTime(at.UtcDateTime).AddDays(1);
        var candidates = await Scope(session.Query<MeasureView>(), context.Actor(), request.Country, request.CrisisId)
            .Where(m => m.StartDate <= latestStart).ToListAsync(context.CancellationToken);
        var response = new V1.ListMeasuresResponse();
        foreach (var candidate in candidates.OrderBy(m => m.StartDate))
        {
            var known = (await session.Events.FetchStreamAsync(candidate.Id, token: context.CancellationToken))
                .Where(e => e.Data is IRecordedDecision { Decision.DecidedAt: var decided } && decided <= at).ToList();
            var state = known.Select(e => e.Data).Aggregate((Measure?)null, Measure.Transition);
            if (state is null || !state.InForceAt(instant)) continue;
            response.Measures.Add(ToProto(MeasureView.From(state, known[^1].Version), catalogue));
        }

        return response;
    }

    public override async Task<V1.ListRefusedAttemptsResponse> ListRefusedAttempts(V1.ListRefusedAttemptsRequest request, ServerCallContext context)
    {
        var country = Country(request.Country, "country");
        context.Actor().EnsureMayRead(country);
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(MeasureStream.RefusalsOf(country), token: context.CancellationToken);
        var response = new V1.ListRefusedAttemptsResponse();
        foreach (var e in events)
        {
            if (e.Data is not SafeguardBreachRefused r) continue;
            response.Attempts.Add(new V1.RefusedAttempt
            {
                Rule = r.Rule,
                Reason = r.Reason,
                MeasureType = r.MeasureTypeCode,
                Command = r.Command,
                AttemptedBy = ToProto(r.Decision),
                RecordedAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(e.Timestamp),
            });
        }

        return response;
    }

    private Task<CommandResult> OnMeasureAsync(DecisionCall call, IMessage request, string measureId, long expectedVersion,
        LegalSituation situation, MeasureCommand command)
    {
        var id = Required(measureId, "measure_id", 100);
        var version = ExpectedVersion(expectedVersion);
        string? country = null;
        string? typeCode = null;
        return RecordingBreachesAsync(call, request, () => country, () => typeCode,
            () => call.OnStreamAsync(MeasureStream.Definition, id, version, "measure", state =>
            {
                (country, typeCode) = (state.Country, state.TypeCode);
                return MeasureDecider.Decide(state, command, catalogue, situation);
            }, state => state.Country));
    }

    /// <summary>Runs the command; a safeguard breach is refused as ever, and the attempt is kept for auditors.</summary>
    private async Task<CommandResult> RecordingBreachesAsync(DecisionCall call, IMessage request, Func<string?> country,
        Func<string?> typeCode, Func<Task<CommandOutcome>> run)
    {
        try
        {
            return ToResult(await run());
        }
        catch (RuleViolationException ex) when (Safeguards.IsBreach(ex) && country() is { } where)
        {
            var refused = new SafeguardBreachRefused(where, typeCode() ?? "", ex.Rule, ex.Message, request.Descriptor.Name + " " + request,
                new Decision(call.Actor, clock.GetUtcNow(), null, "refused: " + ex.Rule, call.RequestId));
            await store.DecideAsync(MeasureStream.Refusals,
                call.Envelope(MeasureStream.RefusalsOf(where), null) with { RequestId = call.RequestId + "/refused" },
                _ => [refused], clock, CancellationToken.None);
            throw;
        }
    }

    /// <summary>How long a decision waits for the crisis version its caller saw before it answers UNAVAILABLE.</summary>
    private static readonly TimeSpan CausalWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The facts a decision is taken against. With a causal token (<paramref name="crisisVersion"/>), it waits until this
    /// service has received that version of the crisis, so that no refusal, and no safeguard breach kept for auditors,
    /// comes from a decision that had not arrived yet.
    /// </summary>
    private async Task<LegalSituation> SituationAsync(string country, string? crisisId, long crisisVersion, CancellationToken ct)
    {
        if (crisisVersion < 0) throw new InvalidFieldException("crisis_version", "must be 0 (no expectation) or the crisis version you read");
        if (crisisVersion > 0 && crisisId is null) throw new InvalidFieldException("crisis_version", "needs crisis_id");
        var deadline = clock.GetUtcNow() + CausalWait;
        while (true)
        {
            await using var session = store.QuerySession();
            var crisis = crisisId is null ? null : await session.LoadAsync<CrisisFacts>(crisisId, ct);
            if (crisisVersion == 0 || (crisis?.Version ?? 0) >= crisisVersion)
            {
                var open = await session.Query<RegistrationPoint>().Where(r => r.Country == country && r.Open).ToListAsync(ct);
                return new LegalSituation(crisis, open);
            }

            if (clock.GetUtcNow() >= deadline)
                throw new FactsNotYetKnownException(
                    $"crisis_version: crisis {crisisId} is at version {crisis?.Version ?? 0} here, not yet {crisisVersion}: retry shortly");
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }

    private static IQueryable<MeasureView> Scope(IQueryable<MeasureView> query, Actor actor, string? countryField, string? crisisField)
    {
        var country = string.IsNullOrWhiteSpace(countryField) ? null : Country(countryField, "country");
        if (actor.Role == Role.Ministry) country ??= actor.Country;
        if (country is not null)
        {
            actor.EnsureMayRead(country);
            query = query.Where(m => m.Country == country);
        }

        if (!string.IsNullOrWhiteSpace(crisisField)) query = query.Where(m => m.CrisisId == crisisField);
        return query;
    }

    private static bool Matches(Classification c, V1.MeasureContext context, V1.MeasureScope scope, V1.MeasurePurpose purpose) =>
        (context == V1.MeasureContext.Unspecified || ToProto(c).Context == context
            || (c.Context == MeasureContext.NegotiationAndBelligerent && context != V1.MeasureContext.NegotiationAndBelligerent))
        && (scope == V1.MeasureScope.Unspecified || ToProto(c).Scope == scope)
        && (purpose == V1.MeasurePurpose.Unspecified || ToProto(c).Purpose == purpose
            || (c.Purpose == MeasurePurpose.PreventiveAndCountervailing && purpose != V1.MeasurePurpose.PreventiveAndCountervailing));

    private static async Task<MeasureView> LoadAsync(IQuerySession session, string? measureId, CancellationToken ct)
    {
        var id = Required(measureId, "measure_id", 100);
        return await session.LoadAsync<MeasureView>(id, ct) ?? throw new NotFoundException("measure", id);
    }

}
