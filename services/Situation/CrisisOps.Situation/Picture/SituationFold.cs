using System.Collections.Immutable;
using CrisisOps.Contracts;
using D = CrisisOps.Contracts.Declaration.V1;
using H = CrisisOps.Contracts.Humanitarian.V1;
using L = CrisisOps.Contracts.Leverages.V1;
using M = CrisisOps.Contracts.Measures.V1;
using R = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Situation.Picture;

/// <summary>
/// The picture's evolve: one integration event applied to a country's picture, pure. Events of one stream arrive in
/// order (one consumer, one message at a time, the feed in commit order); an event about something not yet seen
/// creates it, so a late predecessor only fills in what is missing.
/// </summary>
public static class SituationFold
{
    /// <summary>The country an event concerns, or null when only its request says (pledges and deliveries).</summary>
    public static string? CountryOf(object message) => message switch
    {
        D.CrisisDeclared m => m.TargetCountry,
        D.EmergencyDeclared m => m.TargetCountry,
        D.EmergencyLegalTermSet m => m.TargetCountry,
        D.EmergencyExtended m => m.TargetCountry,
        D.EmergencyExpired m => m.TargetCountry,
        D.EmergencyLifted m => m.TargetCountry,
        D.CrisisStageChanged m => m.TargetCountry,
        D.CrisisEnded m => m.TargetCountry,
        D.AlertLevelChanged m => m.TargetCountry,
        M.MeasureEnacted m => m.Country,
        M.MeasureLegalTermSet m => m.Country,
        M.MeasureExtended m => m.Country,
        M.MeasureAmended m => m.Country,
        M.MeasureRevoked m => m.Country,
        M.MeasureEndorsed m => m.Country,
        M.MeasureAnnulled m => m.Country,
        M.MeasureExpired m => m.Country,
        M.MeasureEndedWithCrisis m => m.Country,
        M.SafeguardBreachRefused m => m.Country,
        R.RegistrationPointStatusChanged m => m.Country,
        R.FacilityRegistered m => m.Country,
        R.OccupancyChanged m => m.Country,
        R.ReceptionStrainChanged m => m.Country,
        R.PeopleNotPlaced m => m.Country,
        R.ContingencyActivated m => m.Country,
        R.ContingencyDeactivated m => m.Country,
        H.NeedsAssessed m => m.Country,
        H.AssistanceRequested m => m.Country,
        H.AssistanceDeadlineMissed m => m.Country,
        H.AssistanceRequestCancelled m => m.Country,
        L.LeverageProposed m => m.Country,
        L.AllyPositionRecorded m => m.Country,
        L.LeverageImposed m => m.Country,
        L.LeverageReviewed m => m.Country,
        L.LeverageRenewed m => m.Country,
        L.LeverageEscalated m => m.Country,
        L.LeverageSuspended m => m.Country,
        L.LeverageResumed m => m.Country,
        L.LeverageLifted m => m.Country,
        L.LeverageLapsed m => m.Country,
        L.LeverageReviewFellDue m => m.Country,
        L.LeverageFlaggedForReview m => m.Country,
        _ => null,
    };

    /// <summary>The request a pledge or delivery is for (their country is the request's).</summary>
    public static string? RequestOf(object message) => message switch
    {
        H.PledgeMade m => m.RequestId,
        H.DeliveryRecorded m => m.RequestId,
        H.PledgeWithdrawn m => m.RequestId,
        _ => null,
    };

    /// <summary>The publishing service, from the contract's namespace (<c>CrisisOps.Contracts.{Service}.V1</c>).</summary>
    public static string SourceOf(object message) => (message.GetType().Namespace ?? "").Split('.') is [_, _, var service, ..] ? service.ToLowerInvariant() : "unknown";

    /// <summary>
    /// The decision an event carries. The contracts share no interface and shipped types never change, so it is read
    /// by the property every decision contract has (<c>Decision</c>, or <c>AttemptedBy</c> on a refusal).
    /// </summary>
    public static DecisionInfo? DecisionOf(object message) =>
        (message.GetType().GetProperty("Decision") ?? message.GetType().GetProperty("AttemptedBy"))?.GetValue(message) as DecisionInfo;

    /// <summary>When the event happened: its decision's time, or the observation's own time.</summary>
    public static DateTimeOffset? TimeOf(object message) => DecisionOf(message)?.DecidedAt ?? message switch
    {
        D.EmergencyExpired m => m.ExpiredAt,
        D.AlertLevelChanged m => m.ChangedAt,
        M.MeasureExpired m => m.ExpiredAt,
        M.MeasureEndedWithCrisis m => m.EndedAt,
        R.RegistrationPointStatusChanged m => m.ChangedAt,
        R.OccupancyChanged m => m.At,
        R.ReceptionStrainChanged m => m.ChangedAt,
        H.AssistanceDeadlineMissed m => m.Deadline,
        L.LeverageLapsed m => m.LapsedAt,
        L.LeverageReviewFellDue m => m.RecordedAt,
        _ => null,
    };

    /// <summary>Applies one event; <paramref name="receivedAt"/> stands in when the event carries no time of its own.</summary>
    public static CountryPicture Apply(CountryPicture p, object message, Guid eventId, DateTimeOffset receivedAt)
    {
        var source = SourceOf(message);
        var decision = DecisionOf(message);
        var at = TimeOf(message) ?? receivedAt;
        var by = decision is null ? $"CrisisOps {source} (system)" : $"{decision.ActorName}, {(decision.Ministry.Length > 0 ? decision.Ministry : decision.Role)}";
        var asOf = new Provenance(source, at, by);
        var applied = Evolve(p, message, asOf);
        var item = new TimelineItem(eventId, at, source, message.GetType().Name, CrisisOf(applied, message), Summaries.Of(message, applied),
            decision?.ActorName ?? "CrisisOps (system)", decision?.Role ?? "System", decision?.Ministry ?? "", decision?.LegalBasis, decision?.Justification ?? "");
        // The legal terms published beside a declaration complete its clock; the declaration is the decision to show.
        var timeline = message is D.EmergencyLegalTermSet or M.MeasureLegalTermSet
            ? applied.Timeline
            : applied.Timeline.Add(item).Sort(InTimeOrder);
        if (timeline.Count > CountryPicture.TimelineLength) timeline = timeline.RemoveRange(0, timeline.Count - CountryPicture.TimelineLength);
        return applied with
        {
            Timeline = timeline,
            Reports = applied.Reports.SetItem(source, new SourceReport(source, Later(applied.Reports.GetValueOrDefault(source)?.At, at), by)),
            Changes = applied.Changes + 1,
        };
    }

    /// <summary>
    /// By time, then by event id: events of two services at the same moment then stand in the same order whichever
    /// arrived first, so the timeline does not depend on the order the services' events were folded in.
    /// </summary>
    private static int InTimeOrder(TimelineItem a, TimelineItem b) => a.At != b.At ? a.At.CompareTo(b.At) : a.EventId.CompareTo(b.EventId);

    /// <summary>The crisis an event concerns, where it names one (directly or through its measure or leverage).</summary>
    public static string? CrisisOf(CountryPicture p, object message) => message switch
    {
        D.CrisisDeclared m => m.CrisisId,
        D.EmergencyDeclared m => m.CrisisId,
        D.EmergencyLegalTermSet m => m.CrisisId,
        D.EmergencyExtended m => m.CrisisId,
        D.EmergencyExpired m => m.CrisisId,
        D.EmergencyLifted m => m.CrisisId,
        D.CrisisStageChanged m => m.CrisisId,
        D.CrisisEnded m => m.CrisisId,
        M.MeasureEnacted m => m.CrisisId,
        M.MeasureEndedWithCrisis m => m.CrisisId,
        L.LeverageProposed m => m.CrisisId,
        L.LeverageFlaggedForReview m => m.CrisisId,
        _ => IdOf(message) is { } id
            ? p.Clocks.GetValueOrDefault($"measure/{id}")?.CrisisId ?? p.Leverages.GetValueOrDefault(id)?.CrisisId
            : null,
    };

    private static string? IdOf(object message) => message.GetType().GetProperty("MeasureId")?.GetValue(message) as string
        ?? message.GetType().GetProperty("LeverageId")?.GetValue(message) as string;

    private static DateTimeOffset Later(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;

    private static CountryPicture Evolve(CountryPicture p, object message, Provenance asOf) => message switch
    {
        D.CrisisDeclared m => p with
        {
            Crises = p.Crises.SetItem(m.CrisisId, new CrisisState(m.CrisisId, m.TargetCountry, "Declared", m.Stage, m.QualifiesAsInstrumentalization,
                m.Perpetrator, m.PerpetratorKind, m.Scenario, [.. m.BorderSections], m.Decision.DecidedAt, asOf)),
        },
        D.CrisisStageChanged m => Crisis(p, m.CrisisId, c => c with { Stage = m.To, AsOf = asOf }),
        D.CrisisEnded m => Clock(Crisis(p, m.CrisisId, c => c with { State = "Ended", AsOf = asOf }), $"emergency/{m.CrisisId}",
            c => c.Status == "InForce" ? c with { Status = "Ended", AsOf = asOf } : c),
        D.EmergencyDeclared m => p with
        {
            Clocks = p.Clocks.SetItem($"emergency/{m.CrisisId}", new ClockState("Emergency", $"emergency/{m.CrisisId}", m.CrisisId,
                $"Emergency under {m.LegalBasisCode}", m.Decision.LegalBasis ?? m.LegalBasisCode, "InForce", m.StartDate, m.EndDate,
                p.Clocks.GetValueOrDefault($"emergency/{m.CrisisId}")?.TotalCapEnd, m.ExpiresAt, 0,
                p.Clocks.GetValueOrDefault($"emergency/{m.CrisisId}")?.ExtensionsAllowed, asOf.ReportedBy, asOf)),
        },
        D.EmergencyLegalTermSet m => Clock(p, $"emergency/{m.CrisisId}", c => c with { TotalCapEnd = m.TotalCapEnd, ExtensionsAllowed = m.MaxExtensions }),
        D.EmergencyExtended m => Clock(p, $"emergency/{m.CrisisId}", c => c with
        {
            EndDate = m.NewEndDate, EndsAt = m.ExpiresAt, ExtensionsUsed = m.ExtensionNumber, AsOf = asOf,
        }),
        D.EmergencyExpired m => Clock(p, $"emergency/{m.CrisisId}", c => c with { Status = "Expired", AsOf = asOf }),
        D.EmergencyLifted m => Clock(p, $"emergency/{m.CrisisId}", c => c with { Status = "Lifted", AsOf = asOf }),
        D.AlertLevelChanged m => p with
        {
            Sections = p.Sections.SetItem(m.BorderSection, (p.Sections.GetValueOrDefault(m.BorderSection) ?? NewSection(m.BorderSection))
                with { Level = m.To, ChangedAt = m.ChangedAt }),
        },
        M.MeasureEnacted m => p with
        {
            Clocks = p.Clocks.SetItem($"measure/{m.MeasureId}", new ClockState("Measure", $"measure/{m.MeasureId}", m.CrisisId, m.MeasureType,
                p.Clocks.GetValueOrDefault($"measure/{m.MeasureId}")?.LegalBasis is { Length: > 0 } known ? known : m.Decision.LegalBasis ?? "",
                "InForce", m.StartDate, m.EndDate, p.Clocks.GetValueOrDefault($"measure/{m.MeasureId}")?.TotalCapEnd, m.ExpiresAt, 0,
                p.Clocks.GetValueOrDefault($"measure/{m.MeasureId}")?.ExtensionsAllowed, asOf.ReportedBy, asOf)),
        },
        M.MeasureLegalTermSet m => Clock(p, $"measure/{m.MeasureId}", c => c with
        {
            LegalBasis = m.LegalBasisCitation, TotalCapEnd = m.TotalCapEnd, ExtensionsAllowed = m.MaxExtensions,
        }),
        M.MeasureExtended m => Clock(p, $"measure/{m.MeasureId}", c => c with
        {
            EndDate = m.NewEndDate, EndsAt = m.ExpiresAt, ExtensionsUsed = m.ExtensionNumber, AsOf = asOf,
        }),
        M.MeasureRevoked m => Clock(p, $"measure/{m.MeasureId}", c => c with { Status = "Revoked", AsOf = asOf }),
        M.MeasureAnnulled m => Clock(p, $"measure/{m.MeasureId}", c => c with { Status = "Annulled", AsOf = asOf }),
        M.MeasureExpired m => Clock(p, $"measure/{m.MeasureId}", c => c with { Status = "Expired", AsOf = asOf }),
        M.MeasureEndedWithCrisis m => Clock(p, $"measure/{m.MeasureId}", c => c with { Status = "Ended", AsOf = asOf }),
        R.FacilityRegistered m => Facility(p, m.FacilityId, f => f with
        {
            Name = m.Name, Region = m.Region, BorderSection = m.BorderSection, Capacity = m.Capacity.ToImmutableSortedDictionary(), AsOf = asOf,
        }),
        R.OccupancyChanged m => Trend(Facility(p, m.FacilityId, f => f with
        {
            Region = m.Region, Capacity = m.Capacity.ToImmutableSortedDictionary(), Occupied = m.Occupied.ToImmutableSortedDictionary(), AsOf = asOf,
        }), m.Region, m.At, asOf),
        R.ReceptionStrainChanged m => m.Scope switch
        {
            "Facility" => Indicator(Facility(p, m.ScopeId, f => f with { Strain = m.To }), m.BorderSection, $"reception {m.ScopeId}",
                $"{m.To} ({m.OccupancyRate:P0})"),
            "Region" => p with
            {
                Regions = p.Regions.SetItem(m.Region, (p.Regions.GetValueOrDefault(m.Region) ?? new RegionState(m.Region, "Normal", 0, [], asOf))
                    with { Strain = m.To, Rate = m.OccupancyRate, AsOf = asOf }),
            },
            _ => p,
        },
        R.PeopleNotPlaced m => Facility(p, m.FacilityId, f => f with
        {
            Region = m.Region,
            BorderSection = m.BorderSection,
            NotPlaced = new NotPlacedState(ByCategory(m.Figures.Refused), ByCategory(m.Figures.Redirected), ByCategory(m.Figures.Waiting), asOf),
        }),
        R.RegistrationPointStatusChanged m => Indicator(p, m.BorderSection, $"registration point {m.FacilityId}", m.Open ? "open" : "closed"),
        H.AssistanceRequested m => p with
        {
            Requests = p.Requests.SetItem(m.RequestId, new RequestState(m.RequestId, m.Location, m.Sector, m.Item, m.Quantity, 0, 0, m.Quantity,
                m.Deadline, m.Origin, "Open", ImmutableSortedDictionary<string, PledgeState>.Empty, asOf)),
        },
        H.PledgeMade m => Request(p, m.RequestId, r => r with
        {
            Pledged = r.Pledged + m.Quantity,
            Pledges = r.Pledges.SetItem(m.PledgeId, new PledgeState(m.PledgeId, m.Partner, m.Quantity, 0, false, m.Decision.DecidedAt)),
            AsOf = asOf,
        }),
        H.DeliveryRecorded m => Request(p, m.RequestId, r => r with
        {
            Delivered = r.Delivered + m.Quantity,
            Remaining = m.Remaining,
            Status = m.Remaining == 0 ? "Met" : r.Status,
            Pledges = r.Pledges.SetItem(m.PledgeId, (r.Pledges.GetValueOrDefault(m.PledgeId) ?? new PledgeState(m.PledgeId, m.Partner, 0, 0, false, m.Decision.DecidedAt))
                is var pledge ? pledge with { Delivered = pledge.Delivered + m.Quantity } : null!),
            AsOf = asOf,
        }),
        H.PledgeWithdrawn m => Request(p, m.RequestId, r => r with
        {
            Pledged = r.Pledged - m.Released,
            Pledges = r.Pledges.TryGetValue(m.PledgeId, out var pledge) ? r.Pledges.SetItem(m.PledgeId, pledge with { Withdrawn = true }) : r.Pledges,
            AsOf = asOf,
        }),
        H.AssistanceDeadlineMissed m => Request(p, m.RequestId, r => r with { Status = "Overdue", Remaining = m.Remaining, AsOf = asOf }),
        H.AssistanceRequestCancelled m => Request(p, m.RequestId, r => r with { Status = "Cancelled", Remaining = m.Remaining, AsOf = asOf }),
        L.LeverageProposed m => p with
        {
            Leverages = p.Leverages.SetItem(m.LeverageId, new LeverageState(m.LeverageId, m.CrisisId, m.LeverageType, m.Category,
                $"{m.TargetKind}: {m.TargetName}", "Proposed", null, null, null, null, 0,
                p.Leverages.GetValueOrDefault(m.LeverageId)?.Allies ?? ImmutableSortedDictionary<string, string>.Empty, asOf)),
        },
        L.AllyPositionRecorded m => Leverage(p, m.LeverageId, l => l with { Allies = l.Allies.SetItem(m.Ally, m.Position), AsOf = asOf }),
        L.LeverageImposed m => Leverage(p, m.LeverageId, l => l with
        {
            Status = "Imposed", StartDate = m.StartDate, EndDate = m.EndDate, ExpiresAt = m.ExpiresAt, ReviewDueAt = m.ReviewDueAt, AsOf = asOf,
        }),
        L.LeverageReviewed m => Leverage(p, m.LeverageId, l => l with { ReviewDueAt = m.NextReviewDueAt, AsOf = asOf }),
        L.LeverageRenewed m => Leverage(p, m.LeverageId, l => l with { Renewals = m.RenewalNumber, EndDate = m.NewEndDate, ExpiresAt = m.ExpiresAt, AsOf = asOf }),
        L.LeverageSuspended m => Leverage(p, m.LeverageId, l => l with { Status = "Suspended", AsOf = asOf }),
        L.LeverageResumed m => Leverage(p, m.LeverageId, l => l with { Status = "Imposed", AsOf = asOf }),
        L.LeverageLifted m => Leverage(p, m.LeverageId, l => l with { Status = "Lifted", AsOf = asOf }),
        L.LeverageLapsed m => Leverage(p, m.LeverageId, l => l with { Status = "Lapsed", AsOf = asOf }),
        _ => p,
    };

    /// <summary>
    /// Counts by category name as reception names them (General, Families...): the bus's serializer writes dictionary
    /// keys in camel case and the feed's as given, so the same figure reads the same whichever way it came.
    /// </summary>
    private static ImmutableSortedDictionary<string, int> ByCategory(IReadOnlyDictionary<string, int> counts) =>
        counts.ToImmutableSortedDictionary(c => c.Key.Length == 0 ? c.Key : char.ToUpperInvariant(c.Key[0]) + c.Key[1..], c => c.Value, StringComparer.Ordinal);

    private static SectionAlert NewSection(string section) => new(section, "Normal", DateTimeOffset.MinValue, ImmutableSortedDictionary<string, string>.Empty);

    private static CountryPicture Crisis(CountryPicture p, string id, Func<CrisisState, CrisisState> change) =>
        p.Crises.TryGetValue(id, out var c) ? p with { Crises = p.Crises.SetItem(id, change(c)) } : p;

    private static CountryPicture Clock(CountryPicture p, string id, Func<ClockState, ClockState> change) =>
        p.Clocks.TryGetValue(id, out var c) ? p with { Clocks = p.Clocks.SetItem(id, change(c)) } : p;

    private static CountryPicture Leverage(CountryPicture p, string id, Func<LeverageState, LeverageState> change) =>
        p.Leverages.TryGetValue(id, out var l) ? p with { Leverages = p.Leverages.SetItem(id, change(l)) } : p;

    private static CountryPicture Request(CountryPicture p, string id, Func<RequestState, RequestState> change) =>
        p.Requests.TryGetValue(id, out var r) ? p with { Requests = p.Requests.SetItem(id, change(r)) } : p;

    private static CountryPicture Facility(CountryPicture p, string id, Func<FacilityState, FacilityState> change) => p with
    {
        Facilities = p.Facilities.SetItem(id, change(p.Facilities.GetValueOrDefault(id)
            ?? new FacilityState(id, id, "", "", ImmutableSortedDictionary<string, int>.Empty, ImmutableSortedDictionary<string, int>.Empty, "Normal", new Provenance("reception", DateTimeOffset.MinValue, ""))))
    };

    private static CountryPicture Indicator(CountryPicture p, string section, string name, string value) => section.Length == 0 ? p : p with
    {
        Sections = p.Sections.SetItem(section, (p.Sections.GetValueOrDefault(section) ?? NewSection(section)) is var s
            ? s with { Indicators = s.Indicators.SetItem(name, value) } : null!),
    };

    /// <summary>A region's places and occupancy summed over its facilities, added to its trend.</summary>
    private static CountryPicture Trend(CountryPicture p, string region, DateTimeOffset at, Provenance asOf)
    {
        var facilities = p.Facilities.Values.Where(f => f.Region == region).ToList();
        var point = new TrendPoint(at, facilities.Sum(f => f.Capacity.Values.Sum()), facilities.Sum(f => f.Occupied.Values.Sum()));
        var state = p.Regions.GetValueOrDefault(region) ?? new RegionState(region, "Normal", 0, [], asOf);
        var trend = state.Trend.Add(point);
        if (trend.Count > CountryPicture.TrendLength) trend = trend.RemoveAt(0);
        var rate = point.Capacity == 0 ? 0 : (double)point.Occupied / point.Capacity;
        return p with { Regions = p.Regions.SetItem(region, state with { Trend = trend, Rate = rate, AsOf = asOf }) };
    }
}
