using CrisisOps.Common.Grpc.V1;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Leverages.Leverages;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.ServiceDefaults.Security;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;
using NodaTime;
using static CrisisOps.Leverages.Grpc.LeverageProto;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Leverages.Grpc;

/// <summary>The diplomatic leverages API: maps proto to commands and back, nothing else.</summary>
[Authorize]
public sealed class DiplomaticLeveragesGrpcService(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock, ChangeFeed feed)
    : V1.DiplomaticLeverages.DiplomaticLeveragesBase
{
    public override Task<V1.ListLeverageTypesResponse> ListLeverageTypes(V1.ListLeverageTypesRequest request, ServerCallContext context)
    {
        var response = new V1.ListLeverageTypesResponse { CatalogueVersion = catalogue.Version };
        response.Types_.AddRange(catalogue.LeverageTypes.Select(ToProto));
        return Task.FromResult(response);
    }

    public override Task<CommandResult> ProposeLeverage(V1.ProposeLeverageRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.Country, "country");
        call.ActingFor(country);
        var command = new Leverages.ProposeLeverage(LeverageStream.IdFor(Guid.CreateVersion7(clock.GetUtcNow())),
            Required(request.LeverageType, "leverage_type", 100), country, ToDomain(request.Target, "target"),
            Optional(request.CrisisId, "crisis_id", 100), request.ConditionalOnCrisis,
            [.. request.Evidence.Select(e => e.Trim()).Where(e => e.Length > 0)],
            [.. request.Allies.Select(a => a.Trim().ToUpperInvariant()).Where(a => a.Length > 0).Distinct()],
            call.Decision(Justification(request.Justification)));
        return call.DecideAsync(LeverageStream.Definition, command.LeverageId, null, s => LeverageDecider.Decide(s, command, catalogue)).AsResult();
    }

    public override Task<CommandResult> RecordAllyPosition(V1.AllyPositionRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context, call =>
            new Leverages.RecordAllyPosition(Required(request.Ally, "ally", 50).ToUpperInvariant(), ToDomain(request.Position, "position"),
                Required(request.Reference, "reference", 500), call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> ImposeLeverage(V1.ImposeLeverageRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context, call =>
            new Leverages.ImposeLeverage(Dates.ParseField(request.StartDate, "start_date"),
                string.IsNullOrWhiteSpace(request.EndDate) ? null : Dates.ParseField(request.EndDate, "end_date"),
                string.IsNullOrWhiteSpace(request.ReviewDueAt) ? null : Dates.ParseField(request.ReviewDueAt, "review_due_at").ToDateOnly(),
                Required(request.LegalActReference, "legal_act_reference", 500), call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> ReviewLeverage(V1.ReviewLeverageRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context, call =>
            new Leverages.ReviewLeverage(
                string.IsNullOrWhiteSpace(request.NextReviewDueAt) ? null : Dates.ParseField(request.NextReviewDueAt, "next_review_due_at").ToDateOnly(),
                call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> RenewLeverage(V1.RenewLeverageRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context, call =>
            new Leverages.RenewLeverage(Dates.ParseField(request.NewEndDate, "new_end_date"), Optional(request.ConsentReference, "consent_reference", 500),
                call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> EscalateLeverage(V1.EscalateLeverageRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context, call =>
            new Leverages.EscalateLeverage([.. request.AddedTargets.Select(t => ToDomain(t, "added_targets"))],
                call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> SuspendLeverage(V1.LeverageDecisionRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context,
            call => new Leverages.SuspendLeverage(call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> ResumeLeverage(V1.LeverageDecisionRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context,
            call => new Leverages.ResumeLeverage(call.Decision(Justification(request.Justification))));

    public override Task<CommandResult> LiftLeverage(V1.LeverageDecisionRequest request, ServerCallContext context) =>
        OnLeverageAsync(request, request.LeverageId, request.ExpectedVersion, request.RequestId, context,
            call => new Leverages.LiftLeverage(LiftReason.Decision, call.Decision(Justification(request.Justification))));

    public override async Task<V1.LeverageDetails> GetLeverage(V1.GetLeverageRequest request, ServerCallContext context)
    {
        await using var session = store.QuerySession();
        var view = await LoadAsync(session, request.LeverageId, context.CancellationToken);
        context.Actor().EnsureMayRead(view.Country);
        var details = ToProto(view);
        var events = await session.Events.FetchStreamAsync(view.Id, token: context.CancellationToken);
        details.History.AddRange(events.Select(e => ToHistory(e, LeverageStream.Describe)));
        return details;
    }

    public override async Task<V1.ListLeveragesResponse> ListLeverages(V1.ListLeveragesRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        await using var session = store.QuerySession();
        IQueryable<LeverageView> query = session.Query<LeverageView>();
        if (actor.Role == Role.Ministry) query = query.Where(l => l.Country == actor.Country);
        if (!string.IsNullOrWhiteSpace(request.CrisisId)) query = query.Where(l => l.CrisisId == request.CrisisId);
        if (request.Status != V1.LeverageStatus.Unspecified)
        {
            var status = ToDomain(request.Status);
            query = query.Where(l => l.Status == status);
        }

        var found = await query.Take(1000).ToListAsync(context.CancellationToken);
        var response = new V1.ListLeveragesResponse();
        response.Leverages.AddRange(found.Where(l => Matches(l, request.TargetName, request.TargetKind, request.Ally)).Select(ToProto));
        return response;
    }

    /// <summary>What was imposed at a moment, from the decisions taken up to then, with legal ends applied.</summary>
    public override async Task<V1.ListLeveragesResponse> LeveragesInForceAt(V1.LeveragesInForceAtRequest request, ServerCallContext context)
    {
        var at = request.At?.ToDateTimeOffset() ?? throw new InvalidFieldException("at", "is required");
        var actor = context.Actor();
        await using var session = store.QuerySession();
        IQueryable<LeverageView> query = session.Query<LeverageView>().Where(l => l.StartDate != null);
        if (actor.Role == Role.Ministry) query = query.Where(l => l.Country == actor.Country);
        if (!string.IsNullOrWhiteSpace(request.CrisisId)) query = query.Where(l => l.CrisisId == request.CrisisId);
        var candidates = (await query.ToListAsync(context.CancellationToken)).Where(l => Matches(l, request.TargetName, V1.TargetKind.Unspecified, ""));
        var instant = Instant.FromDateTimeOffset(at);
        var inForce = await session.InForceAtAsync(LeverageStream.Definition, candidates.Select(l => l.Id), at, l => l.InForceAt(instant),
            context.CancellationToken);
        var response = new V1.ListLeveragesResponse();
        response.Leverages.AddRange(inForce.Select(l => ToProto(LeverageView.From(l.State, l.Version))));
        return response;
    }

    public override Task WatchLeverage(V1.GetLeverageRequest request, IServerStreamWriter<V1.LeverageChange> responseStream, ServerCallContext context)
    {
        var actor = context.Actor();
        return responseStream.WatchStreamAsync(feed, store, Required(request.LeverageId, "leverage_id", 100),
            async (session, ct) =>
            {
                var view = await LoadAsync(session, request.LeverageId, ct);
                actor.EnsureMayRead(view.Country);
                return view;
            },
            view => view.Version,
            view => new V1.LeverageChange { Leverage = ToProto(view) },
            (e, view) => new V1.LeverageChange { Change = ToHistory(e, LeverageStream.Describe), Leverage = ToProto(view) },
            context.CancellationToken);
    }

    private Task<CommandResult> OnLeverageAsync(IMessage request, string leverageId, long expectedVersion, string requestId,
        ServerCallContext context, Func<DecisionCall, LeverageCommand> command)
    {
        var call = context.Deciding(request, requestId, store, clock);
        var id = Required(leverageId, "leverage_id", 100);
        var cmd = command(call);
        // Authorised by the decider: who may decide depends on the leverage's legal basis and whether it is in force.
        return call.OnStreamAsync(LeverageStream.Definition, id, ExpectedVersion(expectedVersion), "leverage",
            state => LeverageDecider.Decide(state, cmd, catalogue)).AsResult();
    }

    private static bool Matches(LeverageView l, string? targetName, V1.TargetKind kind, string? ally) =>
        (string.IsNullOrWhiteSpace(targetName) || l.Targets.Any(t => t.Name.Contains(targetName.Trim(), StringComparison.OrdinalIgnoreCase)))
        && (kind == V1.TargetKind.Unspecified || l.Targets.Any(t => ToProto(t.Kind) == kind))
        && (string.IsNullOrWhiteSpace(ally) || (l.Allies.TryGetValue(ally.Trim().ToUpperInvariant(), out var p) && p == AllyPosition.Joined));

    private static async Task<LeverageView> LoadAsync(IQuerySession session, string? leverageId, CancellationToken ct)
    {
        var id = Required(leverageId, "leverage_id", 100);
        return await session.LoadAsync<LeverageView>(id, ct) ?? throw new NotFoundException("leverage", id);
    }

}
