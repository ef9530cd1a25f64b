using System.Text;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Humanitarian.Picture;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
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

    public override async Task<CommandResult> RecordNeedsAssessment(V1.RecordNeedsAssessmentRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var country = Country(request.Country, "country");
        var recordedFor = actor.EnsureMayAssess(country, registry);
        var location = ToDomain(request.Location);
        var sector = ToDomain(request.Sector);
        var id = NeedsStream.IdFor(country, location, sector);
        var command = new AssessNeeds(id, country, location, sector, ToDomain(request.Figures), ToDomain(request.VulnerableGroups),
            Dates.ParseField(request.AssessedOn, "assessed_on").ToDateOnly(), OptionalPlainText(request.Source, "source", 500), recordedFor,
            Decide(actor, request.RequestId, Justification(request.Justification)));
        var envelope = new CommandEnvelope(id, null, actor, RequestId(request.RequestId), Fingerprint(request));
        return ToResult(await store.DecideAsync(NeedsStream.Definition, envelope, s => NeedsDecider.Decide(s, command), clock, context.CancellationToken));
    }

    public override async Task<CommandResult> ReviseNeedsAssessment(V1.ReviseNeedsAssessmentRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var id = Required(request.AssessmentId, "assessment_id", 100);
        var figures = ToDomain(request.Figures);
        var vulnerable = ToDomain(request.VulnerableGroups);
        var assessedOn = Dates.ParseField(request.AssessedOn, "assessed_on").ToDateOnly();
        var source = OptionalPlainText(request.Source, "source", 500);
        var decision = Decide(actor, request.RequestId, Justification(request.Justification));
        var envelope = new CommandEnvelope(id, ExpectedVersion(request.ExpectedVersion), actor, RequestId(request.RequestId), Fingerprint(request));
        return ToResult(await store.DecideAsync(NeedsStream.Definition, envelope, state =>
        {
            if (state is null) throw new NotFoundException("needs assessment", id);
            var recordedFor = actor.EnsureMayAssess(state.Country, registry);
            return NeedsDecider.Decide(state, new ReassessNeeds(figures, vulnerable, assessedOn, source, recordedFor, decision));
        }, clock, context.CancellationToken));
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

    public override async Task<CommandResult> RequestAssistance(V1.RequestAssistanceRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var country = Country(request.Country, "country");
        actor.EnsureMayActFor(country);
        var id = AssistanceStream.IdFor(Guid.CreateVersion7(clock.GetUtcNow()));
        var command = new RequestAssistance(id, country, ToDomain(request.Location), ToDomain(request.Sector), PlainText(request.Item, "item"),
            request.Quantity, PlainText(request.Unit, "unit", 50),
            request.Deadline?.ToDateTimeOffset() ?? throw new InvalidFieldException("deadline", "is required"), Origins.Ministry, null,
            Decide(actor, request.RequestId, Justification(request.Justification)));
        // A retried request finds its first answer (and request id) under its request id, whatever id this attempt drew.
        var envelope = new CommandEnvelope(id, null, actor, RequestId(request.RequestId), Fingerprint(request));
        return ToResult(await store.DecideAsync(AssistanceStream.Definition, envelope, s => AssistanceDecider.Decide(s, command), clock,
            context.CancellationToken));
    }

    public override async Task<CommandResult> CancelAssistance(V1.CancelAssistanceRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var decision = Decide(actor, request.RequestId, Justification(request.Justification));
        return ToResult(await OnRequestAsync(request, request.AssistanceRequestId, ExpectedVersion(request.ExpectedVersion), request.RequestId, actor,
            state =>
            {
                actor.EnsureMayActFor(state.Country);
                return new CancelAssistance(decision);
            }, context.CancellationToken));
    }

    public override async Task<V1.PledgeAssistanceResponse> PledgeAssistance(V1.PledgeAssistanceRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var partner = actor.Partner(registry);
        var note = Optional(request.Justification, "justification", 4000);
        var outcome = await OnRequestAsync(request, request.AssistanceRequestId, null, request.RequestId, actor,
            state => new PledgeAssistance(partner.Code, request.Quantity,
                Decide(actor, request.RequestId, note ?? $"{partner.Name} pledges {request.Quantity} {state.Unit} of {state.Item}")),
            context.CancellationToken);
        var pledgeId = outcome.Events.OfType<PledgeMade>().FirstOrDefault()?.PledgeId;
        if (pledgeId is null)
        {
            // A retried pledge: the first answer's pledge, found by who pledged it under which request id.
            await using var session = store.QuerySession();
            var view = await session.LoadAsync<AssistanceRequestView>(outcome.StreamId, context.CancellationToken);
            pledgeId = view?.Pledges.FirstOrDefault(p => p.PledgedBy == actor.Subject && p.ClientRequestId == request.RequestId)?.Id ?? "";
        }

        return new V1.PledgeAssistanceResponse { Result = ToResult(outcome), PledgeId = pledgeId };
    }

    public override async Task<CommandResult> WithdrawPledge(V1.WithdrawPledgeRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var partner = actor.Partner(registry);
        var pledgeId = Required(request.PledgeId, "pledge_id", 100);
        var decision = Decide(actor, request.RequestId, Justification(request.Justification));
        return ToResult(await OnRequestAsync(request, request.AssistanceRequestId, null, request.RequestId, actor,
            _ => new WithdrawPledge(pledgeId, partner.Code, decision), context.CancellationToken));
    }

    public override async Task<CommandResult> RecordDelivery(V1.RecordDeliveryRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        var partner = actor.Partner(registry);
        var pledgeId = Required(request.PledgeId, "pledge_id", 100);
        var note = Optional(request.Justification, "justification", 4000);
        return ToResult(await OnRequestAsync(request, request.AssistanceRequestId, null, request.RequestId, actor,
            state => new RecordDelivery(pledgeId, partner.Code, request.Quantity,
                Decide(actor, request.RequestId, note ?? $"{partner.Name} delivered {request.Quantity} {state.Unit} of {state.Item}")),
            context.CancellationToken));
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

    /// <summary>A decision on an existing request, authorised by <paramref name="command"/> against the state read for it.</summary>
    private async Task<CommandOutcome> OnRequestAsync(IMessage request, string assistanceRequestId, long? expectedVersion, string requestId, Actor actor,
        Func<AssistanceRequest, AssistanceCommand> command, CancellationToken ct)
    {
        var id = Required(assistanceRequestId, "assistance_request_id", 100);
        var envelope = new CommandEnvelope(id, expectedVersion, actor, RequestId(requestId), Fingerprint(request));
        return await store.DecideAsync(AssistanceStream.Definition, envelope, state =>
        {
            if (state is null) throw new NotFoundException("assistance request", id);
            return AssistanceDecider.Decide(state, command(state));
        }, clock, ct);
    }

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

    private Decision Decide(Actor actor, string requestId, string justification) => new(actor, clock.GetUtcNow(), null, justification, requestId);
}
