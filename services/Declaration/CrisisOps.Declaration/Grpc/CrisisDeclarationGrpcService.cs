using System.Collections.Immutable;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Crises;
using CrisisOps.Declaration.EarlyWarning;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Messaging;
using CrisisOps.ServiceDefaults.Security;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;
using static CrisisOps.Declaration.Grpc.ProtoMapping;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Declaration.Grpc;

/// <summary>The crisis declaration API: maps proto to commands and back, nothing else.</summary>
[Authorize]
public sealed class CrisisDeclarationGrpcService(
    IDocumentStore store,
    LegalCatalogue catalogue,
    TimeProvider clock,
    ChangeFeed feed) : V1.CrisisDeclaration.CrisisDeclarationBase
{
    public override async Task<V1.RecordIndicatorResponse> RecordIndicator(V1.RecordIndicatorRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.TargetCountry);
        call.ActingFor(country);
        var section = Required(request.BorderSection, "border_section", 100);
        var command = new RecordIndicator(country, section, ToDomain(request.Group), Required(request.Kind, "kind"),
            ToDomain(request.Level), Required(request.Evidence, "evidence", 4000), Required(request.Source, "source", 500),
            request.ObservedAt?.ToDateTimeOffset() ?? throw new InvalidFieldException("observed_at", "is required"),
            call.Decision("indicator observed: " + request.Kind));
        var outcome = await call.DecideAsync(BorderWatchStream.Definition, BorderWatch.IdFor(country, section), null, s => BorderWatch.Decide(s, command));
        await using var session = store.QuerySession();
        var picture = await session.LoadAsync<AlertPicture>(outcome.StreamId, context.CancellationToken);
        return new V1.RecordIndicatorResponse { Result = ToResult(outcome), Picture = picture is null ? null : ToProto(picture) };
    }

    public override async Task<V1.GetAlertPictureResponse> GetAlertPicture(V1.GetAlertPictureRequest request, ServerCallContext context)
    {
        var country = Country(request.TargetCountry);
        context.Actor().EnsureMayRead(country);
        await using var session = store.QuerySession();
        var query = session.Query<AlertPicture>().Where(p => p.TargetCountry == country);
        if (!string.IsNullOrWhiteSpace(request.BorderSection)) query = query.Where(p => p.BorderSection == request.BorderSection);
        var pictures = await query.OrderBy(p => p.BorderSection).ToListAsync(context.CancellationToken);
        var response = new V1.GetAlertPictureResponse();
        response.Sections.AddRange(pictures.Select(ToProto));
        return response;
    }

    public override async Task<V1.DeclareCrisisResponse> DeclareCrisis(V1.DeclareCrisisRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.TargetCountry);
        call.ActingFor(country);
        var sections = request.BorderSections.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToImmutableArray();
        if (sections.IsEmpty) throw new InvalidFieldException("border_sections", "name at least one border section");
        var crisisId = Guid.CreateVersion7(clock.GetUtcNow()).ToString();
        var command = new DeclareCrisis(crisisId, country, sections, ToDomain(request.Perpetrator), ToDomain(request.Scenario),
            ToDomain(request.Criteria), ToDomain(request.Stage), call.Decision(request.Justification, "SBC Art. 2(27); CFMR Art. 1(4)(b)"));
        // A retried request finds its first answer (and crisis id) under its request id, whatever id this attempt drew.
        var outcome = await call.DecideAsync(CrisisStream.Definition, crisisId, null, s => CrisisDecider.Decide(s, command, catalogue));
        await using var session = store.QuerySession();
        var view = await session.LoadCrisisAsync(outcome.StreamId, context.CancellationToken);
        var response = new V1.DeclareCrisisResponse { Result = ToResult(outcome), QualifiesAsInstrumentalization = view.QualifiesAsInstrumentalization };
        response.QualificationReasons.AddRange(view.QualificationReasons);
        return response;
    }

    public override Task<CommandResult> DeclareEmergency(V1.DeclareEmergencyRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var command = new Crises.DeclareEmergency(Required(request.LegalBasisCode, "legal_basis_code", 100),
            Dates.ParseField(request.StartDate, "start_date"), Dates.ParseField(request.EndDate, "end_date"),
            call.Decision(Justification(request.Justification)));
        return OnCrisisAsync(call, request.CrisisId, request.ExpectedVersion, command);
    }

    public override Task<CommandResult> ExtendEmergency(V1.ExtendEmergencyRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var command = new Crises.ExtendEmergency(Dates.ParseField(request.NewEndDate, "new_end_date"),
            string.IsNullOrWhiteSpace(request.ConsentReference) ? null : request.ConsentReference.Trim(),
            call.Decision(Justification(request.Justification)));
        return OnCrisisAsync(call, request.CrisisId, request.ExpectedVersion, command);
    }

    public override Task<CommandResult> LiftEmergency(V1.CrisisDecisionRequest request, ServerCallContext context) =>
        OnCrisisAsync(request, context, d => new Crises.LiftEmergency(d));

    public override Task<CommandResult> EscalateCrisis(V1.CrisisDecisionRequest request, ServerCallContext context) =>
        OnCrisisAsync(request, context, d => new Crises.EscalateCrisis(d));

    public override Task<CommandResult> DeescalateCrisis(V1.CrisisDecisionRequest request, ServerCallContext context) =>
        OnCrisisAsync(request, context, d => new Crises.DeescalateCrisis(d));

    public override Task<CommandResult> EndCrisis(V1.CrisisDecisionRequest request, ServerCallContext context) =>
        OnCrisisAsync(request, context, d => new Crises.EndCrisis(d));

    public override async Task<V1.CrisisDetails> GetCrisis(V1.GetCrisisRequest request, ServerCallContext context)
    {
        await using var session = store.QuerySession();
        var view = await session.LoadCrisisAsync(request.CrisisId, context.CancellationToken);
        context.Actor().EnsureMayRead(view.TargetCountry);
        var details = ToProto(view);
        var events = await session.Events.FetchStreamAsync(view.Id, token: context.CancellationToken);
        details.History.AddRange(events.Select(e => ToHistory(e, CrisisStream.Describe)));
        return details;
    }

    public override async Task<V1.ListCrisesResponse> ListCrises(V1.ListCrisesRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        await using var session = store.QuerySession();
        IQueryable<CrisisView> query = session.Query<CrisisView>();
        var country = string.IsNullOrWhiteSpace(request.TargetCountry) ? null : Country(request.TargetCountry);
        if (actor.Role == Role.Ministry) country ??= actor.Country;
        if (country is not null)
        {
            actor.EnsureMayRead(country);
            query = query.Where(c => c.TargetCountry == country);
        }

        if (request.Status != V1.CrisisStatus.Unspecified)
        {
            var status = request.Status == V1.CrisisStatus.Active ? CrisisStatus.Active : CrisisStatus.Ended;
            query = query.Where(c => c.Status == status);
        }

        var crises = await query.OrderByDescending(c => c.DeclaredAt).Take(1000).ToListAsync(context.CancellationToken);
        var response = new V1.ListCrisesResponse();
        response.Crises.AddRange(crises.Select(ToProto));
        return response;
    }

    public override Task WatchCrisis(V1.WatchCrisisRequest request, IServerStreamWriter<V1.CrisisChange> responseStream, ServerCallContext context)
    {
        var actor = context.Actor();
        return responseStream.WatchStreamAsync(feed, store, Required(request.CrisisId, "crisis_id", 100),
            async (session, ct) =>
            {
                var view = await session.LoadCrisisAsync(request.CrisisId, ct);
                actor.EnsureMayRead(view.TargetCountry);
                return view;
            },
            view => view.Version,
            view => new V1.CrisisChange { Crisis = ToProto(view) },
            (e, view) => new V1.CrisisChange { Change = ToHistory(e, CrisisStream.Describe), Crisis = ToProto(view) },
            context.CancellationToken);
    }

    public override Task<V1.ListLegalBasesResponse> ListLegalBases(V1.ListLegalBasesRequest request, ServerCallContext context)
    {
        var response = new V1.ListLegalBasesResponse { CatalogueVersion = catalogue.Version };
        response.Bases.AddRange(catalogue.Bases.Where(b => b.DeclaresEmergency).Select(ToProto));
        return Task.FromResult(response);
    }

    private Task<CommandResult> OnCrisisAsync(V1.CrisisDecisionRequest request, ServerCallContext context, Func<Decision, CrisisCommand> command)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        return OnCrisisAsync(call, request.CrisisId, request.ExpectedVersion, command(call.Decision(Justification(request.Justification))));
    }

    // Authorised by the decider against the state read for the decision itself (who may decide depends on the act's
    // legal basis): one read, and no window between check and act.
    private Task<CommandResult> OnCrisisAsync(DecisionCall call, string crisisId, long expectedVersion, CrisisCommand command) =>
        call.OnStreamAsync(CrisisStream.Definition, Required(crisisId, "crisis_id", 100), ExpectedVersion(expectedVersion), "crisis",
            state => CrisisDecider.Decide(state, command, catalogue)).AsResult();
}
