using System.Text;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Humanitarian.Picture;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Grpc;
using CrisisOps.ServiceDefaults.Security;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;
using static CrisisOps.Humanitarian.Grpc.HumanitarianProto;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Humanitarian.Grpc;

/// <summary>The humanitarian support API: maps proto to commands and back; authorises against the state read for each decision.</summary>
[Authorize]
public sealed class HumanitarianSupportGrpcService(IDocumentStore store, OrganisationRegistry registry, TimeProvider clock)
    : V1.HumanitarianSupport.HumanitarianSupportBase
{
    /// <summary>Lists are bounded; the operational picture is not, since a truncated 4W report would misstate who does what.</summary>
    private const int ListLimit = 2000;

    public override Task<V1.ListOrganisationsResponse> ListOrganisations(V1.ListOrganisationsRequest request, ServerCallContext context)
    {
        var response = new V1.ListOrganisationsResponse { RegistryVersion = registry.Version };
        response.Organisations.AddRange(registry.Organisations.Select(ToProto));
        response.Sectors.AddRange(registry.Sectors.Select(s => new V1.SectorInfo { Sector = ToProto(s.Sector), Name = s.Name, HxlCode = s.HxlCode }));
        return Task.FromResult(response);
    }

    public override Task<CommandResult> RecordNeedsAssessment(V1.RecordNeedsAssessmentRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.Country, "country");
        var recordedFor = call.Actor.EnsureMayAssess(country, registry);
        var location = ToDomain(request.Location);
        var sector = ToDomain(request.Sector);
        var id = NeedsStream.IdFor(country, location, sector);
        var command = new AssessNeeds(id, country, location, sector, ToDomain(request.Figures), ToDomain(request.VulnerableGroups),
            Dates.ParseField(request.AssessedOn, "assessed_on").ToDateOnly(), OptionalPlainText(request.Source, "source", 500), recordedFor,
            call.Decision(Justification(request.Justification)));
        return call.DecideAsync(NeedsStream.Definition, id, null, s => NeedsDecider.Decide(s, command)).AsResult();
    }

    public override Task<CommandResult> ReviseNeedsAssessment(V1.ReviseNeedsAssessmentRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var id = Required(request.AssessmentId, "assessment_id", 100);
        var figures = ToDomain(request.Figures);
        var vulnerable = ToDomain(request.VulnerableGroups);
        var assessedOn = Dates.ParseField(request.AssessedOn, "assessed_on").ToDateOnly();
        var source = OptionalPlainText(request.Source, "source", 500);
        var decision = call.Decision(Justification(request.Justification));
        return call.OnStreamAsync(NeedsStream.Definition, id, ExpectedVersion(request.ExpectedVersion), "needs assessment", state =>
        {
            var recordedFor = call.Actor.EnsureMayAssess(state.Country, registry);
            return NeedsDecider.Decide(state, new ReassessNeeds(figures, vulnerable, assessedOn, source, recordedFor, decision));
        }).AsResult();
    }

    public override async Task<V1.NeedsAssessment> GetNeedsAssessment(V1.GetNeedsAssessmentRequest request, ServerCallContext context)
    {
        var id = Required(request.AssessmentId, "assessment_id", 100);
        await using var session = store.QuerySession();
        var view = await session.LoadAsync<NeedsView>(id, context.CancellationToken) ?? throw new NotFoundException("needs assessment", id);
        context.Actor().EnsureMayReadPicture(view.Country, registry);
        var details = ToProto(view);
        var events = await session.Events.FetchStreamAsync(id, token: context.CancellationToken);
        details.History.AddRange(events.Select(e => ToHistory(e, NeedsStream.Describe)));
        return details;
    }

    public override async Task<V1.ListNeedsAssessmentsResponse> ListNeedsAssessments(V1.ListNeedsAssessmentsRequest request, ServerCallContext context)
    {
        var needs = await NeedsAsync(context.Actor().Scope(request.Country, registry), Filter(request.Sector), context.CancellationToken, ListLimit);
        var response = new V1.ListNeedsAssessmentsResponse();
        response.Assessments.AddRange(needs.Select(ToProto));
        return response;
    }

    public override Task<CommandResult> RequestAssistance(V1.RequestAssistanceRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var country = Country(request.Country, "country");
        call.ActingFor(country);
        var id = AssistanceStream.IdFor(Guid.CreateVersion7(clock.GetUtcNow()));
        var command = new RequestAssistance(id, country, ToDomain(request.Location), ToDomain(request.Sector), PlainText(request.Item, "item"),
            request.Quantity, PlainText(request.Unit, "unit", 50),
            request.Deadline?.ToDateTimeOffset() ?? throw new InvalidFieldException("deadline", "is required"), Origins.Ministry, null,
            call.Decision(Justification(request.Justification)));
        // A retried request finds its first answer (and request id) under its request id, whatever id this attempt drew.
        return call.DecideAsync(AssistanceStream.Definition, id, null, s => AssistanceDecider.Decide(s, command)).AsResult();
    }

    public override Task<CommandResult> CancelAssistance(V1.CancelAssistanceRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var command = new CancelAssistance(call.Decision(Justification(request.Justification)));
        return OnRequestAsync(call, request.AssistanceRequestId, ExpectedVersion(request.ExpectedVersion), _ => command, state => state.Country).AsResult();
    }

    public override async Task<V1.PledgeAssistanceResponse> PledgeAssistance(V1.PledgeAssistanceRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var partner = call.Actor.Partner(registry);
        var note = Optional(request.Justification, "justification", 4000);
        var outcome = await OnRequestAsync(call, request.AssistanceRequestId, null,
            state => new PledgeAssistance(partner.Code, request.Quantity,
                call.Decision(note ?? $"{partner.Name} pledges {request.Quantity} {state.Unit} of {state.Item}")));
        var pledgeId = outcome.Events.OfType<PledgeMade>().FirstOrDefault()?.PledgeId;
        if (pledgeId is null)
        {
            // A retried pledge: the first answer's pledge, found by who pledged it under which request id.
            await using var session = store.QuerySession();
            var view = await session.LoadAsync<AssistanceRequestView>(outcome.StreamId, context.CancellationToken);
            pledgeId = view?.Pledges.FirstOrDefault(p => p.PledgedBy == call.Actor.Subject && p.ClientRequestId == request.RequestId)?.Id ?? "";
        }

        return new V1.PledgeAssistanceResponse { Result = ToResult(outcome), PledgeId = pledgeId };
    }

    public override Task<CommandResult> WithdrawPledge(V1.WithdrawPledgeRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var partner = call.Actor.Partner(registry);
        var command = new WithdrawPledge(Required(request.PledgeId, "pledge_id", 100), partner.Code, call.Decision(Justification(request.Justification)));
        return OnRequestAsync(call, request.AssistanceRequestId, null, _ => command).AsResult();
    }

    public override Task<CommandResult> RecordDelivery(V1.RecordDeliveryRequest request, ServerCallContext context)
    {
        var call = context.Deciding(request, request.RequestId, store, clock);
        var partner = call.Actor.Partner(registry);
        var pledgeId = Required(request.PledgeId, "pledge_id", 100);
        var note = Optional(request.Justification, "justification", 4000);
        return OnRequestAsync(call, request.AssistanceRequestId, null,
            state => new RecordDelivery(pledgeId, partner.Code, request.Quantity,
                call.Decision(note ?? $"{partner.Name} delivered {request.Quantity} {state.Unit} of {state.Item}"))).AsResult();
    }

    public override async Task<V1.AssistanceRequestDetails> GetAssistance(V1.GetAssistanceRequest request, ServerCallContext context)
    {
        var id = Required(request.AssistanceRequestId, "assistance_request_id", 100);
        await using var session = store.QuerySession();
        var view = await session.LoadAsync<AssistanceRequestView>(id, context.CancellationToken) ?? throw new NotFoundException("assistance request", id);
        context.Actor().EnsureMayReadPicture(view.Country, registry);
        var details = ToProto(view, registry);
        var events = await session.Events.FetchStreamAsync(id, token: context.CancellationToken);
        details.History.AddRange(events.Select(e => ToHistory(e, AssistanceStream.Describe)));
        return details;
    }

    public override async Task<V1.ListAssistanceResponse> ListAssistance(V1.ListAssistanceRequest request, ServerCallContext context)
    {
        var country = context.Actor().Scope(request.Country, registry);
        var origin = Optional(request.Origin, "origin", 50);
        if (origin is not null and not (Origins.Ministry or Origins.ReceptionOverflow))
            throw new InvalidFieldException("origin", $"must be '{Origins.Ministry}' or '{Origins.ReceptionOverflow}'");
        var requests = await RequestsAsync(country, Filter(request.Sector), context.CancellationToken, Filter(request.Status), origin, ListLimit);
        var response = new V1.ListAssistanceResponse();
        response.Requests.AddRange(requests.Select(r => ToProto(r, registry)));
        return response;
    }

    public override async Task<V1.WhoDoesWhatWhereResponse> WhoDoesWhatWhere(V1.OperationalPictureRequest request, ServerCallContext context) =>
        ToProto(await PictureAsync(context.Actor().Scope(request.Country, registry), Filter(request.Sector), context.CancellationToken), registry);

    public override async Task<V1.OperationalPictureExport> ExportOperationalPicture(V1.ExportOperationalPictureRequest request, ServerCallContext context)
    {
        var country = context.Actor().Scope(request.Country, registry);
        var picture = await PictureAsync(country, Filter(request.Sector), context.CancellationToken);
        var (csv, rows) = HxlExport.Write(picture, registry);
        var now = clock.GetUtcNow();
        byte[] bytes = [.. request.ByteOrderMark ? Encoding.UTF8.Preamble : [], .. Encoding.UTF8.GetBytes(csv)];
        return new V1.OperationalPictureExport
        {
            Csv = csv,
            CsvUtf8 = ByteString.CopyFrom(bytes),
            FileName = $"crisisops-operational-picture-{country ?? "all"}-{now:yyyy-MM-dd}.csv",
            MediaType = "text/csv; charset=utf-8; header=present",
            Rows = rows,
            GeneratedAt = Timestamp.FromDateTimeOffset(now),
        };
    }

    /// <summary>
    /// A decision on an existing request, authorised against the state read for it: by the decider (partners), or with
    /// <paramref name="countryOf"/> as the ministry of the request's country.
    /// </summary>
    private static Task<CommandOutcome> OnRequestAsync(DecisionCall call, string assistanceRequestId, long? expectedVersion,
        Func<AssistanceRequest, AssistanceCommand> command, Func<AssistanceRequest, string>? countryOf = null) =>
        call.OnStreamAsync(AssistanceStream.Definition, Required(assistanceRequestId, "assistance_request_id", 100), expectedVersion,
            "assistance request", state => AssistanceDecider.Decide(state, command(state)), countryOf);

    private async Task<OperationalPicture> PictureAsync(string? country, Sector? sector, CancellationToken ct) =>
        OperationalPicture.Of(await RequestsAsync(country, sector, ct), await NeedsAsync(country, sector, ct));

    private async Task<IReadOnlyList<AssistanceRequestView>> RequestsAsync(string? country, Sector? sector, CancellationToken ct,
        AssistanceStatus? status = null, string? origin = null, int? limit = null)
    {
        await using var session = store.QuerySession();
        IQueryable<AssistanceRequestView> query = session.Query<AssistanceRequestView>();
        if (country is not null) query = query.Where(r => r.Country == country);
        if (sector is { } s) query = query.Where(r => r.Sector == s);
        if (status is { } st) query = query.Where(r => r.Status == st);
        if (origin is not null) query = query.Where(r => r.Origin == origin);
        query = query.OrderByDescending(r => r.OpenedAt);
        return await (limit is { } l ? query.Take(l) : query).ToListAsync(ct);
    }

    private async Task<IReadOnlyList<NeedsView>> NeedsAsync(string? country, Sector? sector, CancellationToken ct, int? limit = null)
    {
        await using var session = store.QuerySession();
        IQueryable<NeedsView> query = session.Query<NeedsView>();
        if (country is not null) query = query.Where(n => n.Country == country);
        if (sector is { } s) query = query.Where(n => n.Sector == s);
        query = query.OrderBy(n => n.Id);
        return await (limit is { } l ? query.Take(l) : query).ToListAsync(ct);
    }

}
