using System.Text.Json;
using CrisisOps.ServiceDefaults.Security;
using CrisisOps.Situation.Grpc.V1;
using CrisisOps.Situation.Messaging;
using CrisisOps.Situation.Picture;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;

namespace CrisisOps.Situation.Grpc;

/// <summary>The picture over gRPC: only maps; reading and deriving are <see cref="SituationReader"/>'s.</summary>
[Authorize]
public sealed class SituationGrpcService(SituationReader reader, SituationChanges changes) : V1.Situation.SituationBase
{
    /// <summary>The JSON form of the picture (the board's).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public override async Task<CrisisPicture> GetCrisisPicture(GetCrisisPictureRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.CrisisId))
            throw new RpcException(new Status(StatusCode.InvalidArgument, "crisis_id: is required"));
        var view = await reader.CrisisAsync(context.Actor(), request.CrisisId, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"crisis_id: no crisis {request.CrisisId} in the picture you may read"));
        var picture = new CrisisPicture { Crisis = Summary(view.Crisis), PictureJson = JsonSerializer.Serialize(view, Json) };
        picture.Clocks.AddRange(view.Clocks.Select(Clock));
        picture.Timeline.AddRange(view.Timeline.Select(t => new V1.TimelineEntry
        {
            At = Timestamp.FromDateTimeOffset(t.At), Source = t.Source, EventType = t.EventType, Summary = t.Summary, Actor = t.Actor, Role = t.Role,
            Ministry = t.Ministry, LegalBasis = t.LegalBasis ?? "", Justification = t.Justification, CrisisId = t.CrisisId ?? "",
        }));
        picture.Alerts.AddRange(view.Alerts.Select(Alert));
        picture.Figures.AddRange(view.Figures.Select(Figure));
        picture.NotPlaced.AddRange(view.NotPlaced.Select(n =>
        {
            var facility = new NotPlacedAtFacility
            {
                FacilityId = n.FacilityId, Facility = n.Facility, Region = n.Region, Total = n.Total, AsOf = Timestamp.FromDateTimeOffset(n.AsOf.At),
                Source = n.AsOf.Source, ReportedBy = n.AsOf.ReportedBy, Freshness = n.Freshness,
            };
            facility.Refused.Add(n.Refused.ToDictionary());
            facility.Redirected.Add(n.Redirected.ToDictionary());
            facility.Waiting.Add(n.Waiting.ToDictionary());
            return facility;
        }));
        return picture;
    }

    public override async Task<ListCrisesResponse> ListCrises(ListCrisesRequest request, ServerCallContext context)
    {
        var country = Country(request.Country);
        var pictures = await reader.PicturesAsync(context.Actor(), country, context.CancellationToken);
        var response = new ListCrisesResponse();
        response.Crises.AddRange(pictures.SelectMany(p => p.Crises.Values).OrderByDescending(c => c.DeclaredAt).Select(Summary));
        return response;
    }

    public override async Task<EuOverview> GetEuOverview(GetEuOverviewRequest request, ServerCallContext context)
    {
        var view = await reader.OverviewAsync(context.Actor(), context.CancellationToken);
        var overview = new EuOverview { AsOf = Timestamp.FromDateTimeOffset(view.AsOf), CaughtUp = view.CaughtUp };
        foreach (var c in view.Countries)
        {
            var country = new CountryOverview { Country = c.Country, ClocksInForce = c.ClocksInForce };
            country.Crises.AddRange(c.Crises.Select(Summary));
            country.Figures.AddRange(c.Figures.Select(Figure));
            overview.Countries.Add(country);
        }

        overview.Alerts.AddRange(view.Alerts.Select(Alert));
        return overview;
    }

    public override async Task WatchSituation(WatchSituationRequest request, IServerStreamWriter<SituationChange> responseStream, ServerCallContext context)
    {
        var actor = context.Actor();
        var country = Country(request.Country);
        using var subscription = changes.Subscribe();
        await foreach (var change in subscription.Reader.ReadAllAsync(context.CancellationToken))
        {
            if (!actor.MayRead(change.Country) || (country is not null && change.Country != country)) continue;
            await responseStream.WriteAsync(new SituationChange
            {
                Country = change.Country, CrisisId = change.CrisisId ?? "", EventType = change.EventType, Summary = change.Summary,
                At = Timestamp.FromDateTimeOffset(change.At),
            }, context.CancellationToken);
        }
    }

    private static string? Country(string country) => country.Length switch
    {
        0 => null,
        2 when country.All(char.IsAsciiLetter) => country.ToUpperInvariant(),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "country: must be an ISO 3166-1 alpha-2 code")),
    };

    private static CrisisSummary Summary(CrisisState c)
    {
        var summary = new CrisisSummary
        {
            CrisisId = c.Id, Country = c.Country, State = c.State, Stage = c.Stage, QualifiesAsInstrumentalization = c.Qualifies,
            Perpetrator = c.Perpetrator, Scenario = c.Scenario, DeclaredAt = Timestamp.FromDateTimeOffset(c.DeclaredAt),
            AsOf = Timestamp.FromDateTimeOffset(c.AsOf.At),
        };
        summary.BorderSections.AddRange(c.BorderSections);
        return summary;
    }

    private static LegalClock Clock(ClockView c) => new()
    {
        Kind = c.Kind, Id = c.Id, Title = c.Title, LegalBasis = c.LegalBasis, Status = c.Status,
        StartDate = c.StartDate?.ToString("yyyy-MM-dd") ?? "", EndDate = c.EndDate?.ToString("yyyy-MM-dd") ?? "",
        TotalCapEnd = c.TotalCapEnd?.ToString("yyyy-MM-dd") ?? "", EndsAt = c.EndsAt is { } e ? Timestamp.FromDateTimeOffset(e) : null,
        DaysToEnd = c.DaysToEnd ?? -1, DaysToCap = c.DaysToCap ?? -1, ExtensionsUsed = c.ExtensionsUsed, ExtensionsAllowed = c.ExtensionsAllowed ?? -1,
        DecidedBy = c.DecidedBy, AsOf = Timestamp.FromDateTimeOffset(c.AsOf.At),
    };

    private static Figure Figure(FigureView f) => new()
    {
        Name = f.Name, Value = f.Value, AsOf = Timestamp.FromDateTimeOffset(f.AsOf), Source = f.Source, ReportedBy = f.ReportedBy, Freshness = f.Freshness,
    };

    private static V1.Alert Alert(AlertView a) => new()
    {
        Severity = a.Severity, Country = a.Country, Kind = a.Kind, Message = a.Message, Since = Timestamp.FromDateTimeOffset(a.Since), Source = a.Source,
    };
}
