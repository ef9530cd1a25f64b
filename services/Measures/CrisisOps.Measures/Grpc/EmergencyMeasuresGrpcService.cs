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
        var situation = await store.LegalSituationAsync(country, crisisId, request.CrisisVersion, clock, context.CancellationToken);
        return await store.KeepingBreachesAsync(call.Envelope(command.MeasureId, null), Attempted(request), () => (country, type.Code),
            () => call.DecideAsync(MeasureStream.Definition, command.MeasureId, null, s => MeasureDecider.Decide(s, command, catalogue, situation)), clock).AsResult();
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

        var situation = await store.LegalSituationAsync(view.Country, view.CrisisId, request.CrisisVersion, clock, context.CancellationToken);
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
        var inForce = await session.InForceAtAsync(MeasureStream.Definition, candidates.OrderBy(m => m.StartDate).Select(m => m.Id), at,
            m => m.InForceAt(instant), context.CancellationToken);
        var response = new V1.ListMeasuresResponse();
        response.Measures.AddRange(inForce.Select(m => ToProto(MeasureView.From(m.State, m.Version), catalogue)));
        return response;
    }

    public override async Task<V1.ListRefusedAttemptsResponse> ListRefusedAttempts(V1.ListRefusedAttemptsRequest request, ServerCallContext context)
    {
        var country = Country(request.Country, "country");
        context.Actor().EnsureMayRead(country);
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(MeasureStream.RefusalsOf(country), token: context.CancellationToken);
        var response = new V1.ListRefusedAttemptsResponse();
        response.Attempts.AddRange(events.Where(e => e.Data is SafeguardBreachRefused).Select(e => ToProto((SafeguardBreachRefused)e.Data, e.Timestamp)));
        return response;
    }

    private Task<CommandResult> OnMeasureAsync(DecisionCall call, IMessage request, string measureId, long expectedVersion,
        LegalSituation situation, MeasureCommand command)
    {
        var id = Required(measureId, "measure_id", 100);
        var version = ExpectedVersion(expectedVersion);
        (string, string)? decidedOn = null;
        return store.KeepingBreachesAsync(call.Envelope(id, version), Attempted(request), () => decidedOn,
            () => call.OnStreamAsync(MeasureStream.Definition, id, version, "measure", state =>
            {
                decidedOn = (state.Country, state.TypeCode);
                return MeasureDecider.Decide(state, command, catalogue, situation);
            }, state => state.Country), clock).AsResult();
    }

    /// <summary>The attempt as auditors read it: the RPC's request type and its fields.</summary>
    private static string Attempted(IMessage request) => request.Descriptor.Name + " " + request;

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
