using CrisisOps.Common.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Picture;
using CrisisOps.Reception.Strain;
using CrisisOps.Reception.Transfers;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.ServiceDefaults.Security;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;
using static CrisisOps.Reception.Grpc.ReceptionProto;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Reception.Grpc;

/// <summary>The reception capacity API: maps proto to commands and back, and adds to a refusal for lack of places where to go instead.</summary>
[Authorize]
public sealed class ReceptionCapacityGrpcService(
    IDocumentStore store,
    StreamGate gate,
    TransferProcess transfers,
    StrainPolicy policy,
    ChangeFeed feed,
    TimeProvider clock) : V1.ReceptionCapacity.ReceptionCapacityBase
{
    public override Task<CommandResult> RegisterFacility(V1.RegisterFacilityRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.Country, "country");
        call.ActingFor(country);
        var section = Optional(request.BorderSection, "border_section", 100)
            ?? (request.DesignatedCrossingPoint ? throw new InvalidFieldException("border_section", "is required for a designated crossing point") : "");
        var open = ToDomain(request.Status, "status") switch
        {
            FacilityStatus.Open => true,
            FacilityStatus.Closed => false,
            _ => throw new InvalidFieldException("status", "is derived from occupancy: register a facility OPEN or CLOSED"),
        };
        var thresholds = request.StrainThresholds is { } t
            ? new StrainThresholds(t.Strained, t.Overflow).Validated("strain_thresholds")
            : policy.Default;
        var id = FacilityStream.IdFor(Guid.CreateVersion7(clock.GetUtcNow()));
        var command = new RegisterFacility(id, Required(request.Name, "name"), ToDomain(request.Kind), country, Region(request.Region), section,
            request.DesignatedCrossingPoint, ToDomain(request.Capacity, "capacity", someone: false), open, thresholds,
            call.Decision(Justification(request.Justification)));
        // A retried request finds its first answer (and facility id) under its request id, whatever id this attempt drew.
        return call.DecideAsync(FacilityStream.Definition, id, null, s => FacilityDecider.Decide(s, command)).AsResult();
    }

    public override Task<CommandResult> OpenFacility(V1.FacilityDecisionRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return DecisionAsync(call, request.FacilityId,
            new OpenFacility(ExpectedVersion(request.ExpectedVersion), call.Decision(Justification(request.Justification))));
    }

    public override Task<CommandResult> CloseFacility(V1.FacilityDecisionRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return DecisionAsync(call, request.FacilityId,
            new CloseFacility(ExpectedVersion(request.ExpectedVersion), call.Decision(Justification(request.Justification))));
    }

    public override Task<V1.MovementResponse> ReportArrivals(V1.MovementRequest request, ServerCallContext context)
    {
        var beyond = ToDomain(request.BeyondCapacity);
        var redirectedTo = Optional(request.RedirectedTo, "redirected_to", 100);
        if (redirectedTo is not null && beyond != NotPlacedOutcome.Redirected)
            throw new InvalidFieldException("redirected_to", "is given only with beyond_capacity NOT_PLACED_OUTCOME_REDIRECTED");
        // A report that places what fits is never refused for lack of room, so there is nothing to refuse from the view.
        return MovementAsync(request, context, "arrivals reported", (people, d) => new RecordArrivals(people, d, beyond, redirectedTo),
            beyond is null ? (call, people) => store.RefuseWhenFullAsync(call.Envelope(Required(request.FacilityId, "facility_id", 100), null), people, call.CancellationToken) : null);
    }

    public override Task<V1.MovementResponse> ReportDepartures(V1.MovementRequest request, ServerCallContext context) =>
        MovementAsync(request, context, "departures reported", (people, d) => new RecordDepartures(people, d), null);

    public override async Task<V1.MovementResponse> ReportWaiting(V1.WaitingRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var waiting = ToDomain(request.Waiting, "waiting", someone: false);
        var note = Optional(request.Note, "note", 500);
        var (outcome, after, _) = await OnFacilityAsync(call, request.FacilityId,
            new ReportWaiting(waiting, call.Decision(note is null ? "people waiting reported" : $"people waiting reported: {note}")));
        var view = after is null ? await LoadViewAsync(outcome.StreamId, context.CancellationToken) : FacilityView.From(after);
        return new V1.MovementResponse
        {
            Result = ToResult(outcome), Figures = ToProto(view.Figures, view.Thresholds), NotPlaced = ToProto(Places.None),
            NotPlacedFigures = ToProto(view.NotPlacedOrNone),
        };
    }

    public override async Task<V1.TransferResponse> TransferPeople(V1.TransferRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var ct = context.CancellationToken;
        var originId = Required(request.OriginFacilityId, "origin_facility_id", 100);
        var destinationId = Required(request.DestinationFacilityId, "destination_facility_id", 100);
        if (originId == destinationId) throw new InvalidFieldException("destination_facility_id", "must differ from origin_facility_id");
        var people = ToDomain(request.People, "people", someone: true);
        var decision = call.Decision(Justification(request.Justification));
        var origin = await LoadViewAsync(originId, ct);
        call.ActingFor(origin.Country);
        var transferId = await transfers.TransferAsync(call.Envelope(destinationId, null), origin, people, decision, ct);
        await using var session = store.QuerySession();
        return new V1.TransferResponse
        {
            TransferId = transferId,
            Destination = new CommandResult { Id = destinationId, Version = (await session.Events.FetchStreamStateAsync(destinationId, ct))!.Version },
            Origin = new CommandResult { Id = originId, Version = (await session.Events.FetchStreamStateAsync(originId, ct))!.Version },
        };
    }

    public override Task<CommandResult> DeclareContingencyPlan(V1.DeclareContingencyPlanRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return DecisionAsync(call, request.FacilityId,
            new DeclareContingencyPlan(ExpectedVersion(request.ExpectedVersion), Required(request.PlanCode, "plan_code", 100),
                Required(request.Name, "name"), ToDomain(request.Reserve, "reserve", someone: true), call.Decision(Justification(request.Justification))));
    }

    public override Task<CommandResult> ActivateContingencyPlan(V1.ContingencyDecisionRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return DecisionAsync(call, request.FacilityId,
            new ActivateContingencyPlan(ExpectedVersion(request.ExpectedVersion), Required(request.PlanCode, "plan_code", 100),
                call.Decision(Justification(request.Justification), Optional(request.LegalBasis, "legal_basis", 500))));
    }

    public override Task<CommandResult> DeactivateContingencyPlan(V1.ContingencyDecisionRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return DecisionAsync(call, request.FacilityId,
            new DeactivateContingencyPlan(ExpectedVersion(request.ExpectedVersion), Required(request.PlanCode, "plan_code", 100),
                call.Decision(Justification(request.Justification), Optional(request.LegalBasis, "legal_basis", 500))));
    }

    public override async Task<V1.FacilityDetails> GetFacility(V1.GetFacilityRequest request, ServerCallContext context)
    {
        var view = await LoadViewAsync(Required(request.FacilityId, "facility_id", 100), context.CancellationToken);
        context.Actor().EnsureMayRead(view.Country);
        var details = ToProto(view);
        if (request.IncludeHistory)
        {
            await using var session = store.QuerySession();
            var events = await session.Events.FetchStreamAsync(view.Id, token: context.CancellationToken);
            details.History.AddRange(events.Select(e => ToHistory(e, FacilityStream.Describe)));
        }

        return details;
    }

    public override async Task<V1.ListFacilitiesResponse> ListFacilities(V1.ListFacilitiesRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var country = CountryOf(actor, request.Country, required: false);
        await using var session = store.QuerySession();
        var query = session.Query<FacilityView>().AsQueryable();
        if (country is not null) query = query.Where(f => f.Country == country);
        if (!string.IsNullOrWhiteSpace(request.Region))
        {
            var region = Region(request.Region);
            query = query.Where(f => f.Region == region);
        }

        if (request.Kind != V1.FacilityKind.Unspecified)
        {
            var kind = ToDomain(request.Kind);
            query = query.Where(f => f.Kind == kind);
        }

        if (request.Status != V1.FacilityStatus.Unspecified)
        {
            var status = ToDomain(request.Status, "status");
            query = query.Where(f => f.Status == status);
        }

        var facilities = await query.OrderBy(f => f.Country).ThenBy(f => f.Region).ThenBy(f => f.Name).Take(2000).ToListAsync(context.CancellationToken);
        var response = new V1.ListFacilitiesResponse();
        response.Facilities.AddRange(facilities.Select(ToProto));
        return response;
    }

    /// <summary>The picture now, or as of a moment (<see cref="CapacityPictureReads.ReadCapacityPictureAsync"/>).</summary>
    public override async Task<V1.CapacityPicture> GetCapacityPicture(V1.GetCapacityPictureRequest request, ServerCallContext context)
    {
        var country = CountryOf(context.Actor(), request.Country, required: true)!;
        await using var session = store.QuerySession();
        return ToProto(await session.ReadCapacityPictureAsync(country, RegionOrAll(request.Region), request.AsOf?.ToDateTimeOffset(), clock.GetUtcNow(),
            policy, context.CancellationToken));
    }

    public override Task WatchCapacity(V1.WatchCapacityRequest request, IServerStreamWriter<V1.CapacityChange> responseStream, ServerCallContext context)
    {
        var country = CountryOf(context.Actor(), request.Country, required: true)!;
        var watch = new CapacityWatch(country, RegionOrAll(request.Region), policy);
        return responseStream.WatchAsync(feed, store, country,
            async (session, ct) =>
            {
                var (picture, cursor) = await watch.StartAsync(session, clock.GetUtcNow(), ct);
                return (new V1.CapacityChange { Picture = ToProto(picture) }, cursor);
            },
            async (session, cursor, ct) =>
            {
                var (update, after) = await watch.NextAsync(session, cursor, clock.GetUtcNow(), ct);
                return (update.Events.Count == 0 ? [] : [ToProto(update)], after);
            },
            context.CancellationToken);
    }

    private async Task<V1.MovementResponse> MovementAsync(V1.MovementRequest request, ServerCallContext context, string what,
        Func<Places, Decision, FacilityCommand> command, Func<DecisionCall, Places, Task>? beforeDeciding)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var people = ToDomain(request.People, "people", someone: true);
        var note = Optional(request.Note, "note", 500);
        try
        {
            var (outcome, after, decided) = await OnFacilityAsync(call, request.FacilityId,
                command(people, call.Decision(note is null ? what : $"{what}: {note}")),
                beforeDeciding is null ? null : () => beforeDeciding(call, people));
            var view = after is null ? await LoadViewAsync(outcome.StreamId, context.CancellationToken) : FacilityView.From(after);
            return new V1.MovementResponse
            {
                Result = ToResult(outcome), Figures = ToProto(view.Figures, view.Thresholds),
                NotPlaced = ToProto(Places.Sum(decided.OfType<ArrivalsNotPlaced>().Select(n => n.People))),
                NotPlacedFigures = ToProto(view.NotPlacedOrNone),
            };
        }
        catch (RuleViolationException ex) when (ex.Rule == FacilityDecider.CapacityRule)
        {
            throw await store.WithRedirectAsync(ex, request.FacilityId, people, context.CancellationToken);
        }
    }

    private async Task<CommandResult> DecisionAsync(DecisionCall call, string facilityId, FacilityCommand command) =>
        ToResult((await OnFacilityAsync(call, facilityId, command)).Outcome);

    /// <summary>Decides on a facility stream, one decision at a time, authorised against the state read for the decision itself.</summary>
    private async Task<(CommandOutcome Outcome, Facility? After, IReadOnlyList<object> Events)> OnFacilityAsync(DecisionCall call, string facilityId,
        FacilityCommand command, Func<Task>? beforeDeciding = null)
    {
        var id = Required(facilityId, "facility_id", 100);
        Facility? after = null;
        IReadOnlyList<object> decided = [];
        var outcome = await gate.RunAsync(id, async () =>
        {
            if (beforeDeciding is not null) await beforeDeciding();
            return await call.OnStreamAsync(FacilityStream.Definition, id, null, "facility", state =>
            {
                var events = FacilityDecider.Decide(state, FacilityStream.StampedNow(command, clock));
                after = FacilityStream.Definition.Fold(state, events);
                decided = events;
                return events;
            }, state => state.Country);
        }, call.CancellationToken);
        return (outcome, after, decided);
    }

    private async Task<FacilityView> LoadViewAsync(string id, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<FacilityView>(id, ct) ?? throw new NotFoundException("facility", id);
    }

    private static string? RegionOrAll(string? region) => string.IsNullOrWhiteSpace(region) ? null : Region(region);

    /// <summary>The country a read concerns: a ministry's own unless it names another (refused), anyone else's as named.</summary>
    private static string? CountryOf(Actor actor, string? field, bool required)
    {
        var country = string.IsNullOrWhiteSpace(field) ? null : Country(field, "country");
        if (actor.Role == Role.Ministry) country ??= actor.Country;
        if (country is null)
            return required ? throw new InvalidFieldException("country", "is required") : null;
        actor.EnsureMayRead(country);
        return country;
    }
}
