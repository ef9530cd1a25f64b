using System.Globalization;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// The demo's third part, against the diplomatic leverages service, for the crisis the first part declared: the leverage
/// catalogue, measures against the carrier flying migrants to Minsk (citing the first part's early-warning indicator,
/// conditional on the crisis, allies asked), the same proposal without evidence (refused), the allies' answers, the
/// imposition and its review, then the crisis's de-escalation on the declaration service, which the leverages service
/// hears of over RabbitMQ and answers by lifting the carrier measure itself; last, the history a coordinator reads.
/// </summary>
public sealed partial class DemoRunner
{
    private const int LeverageSteps = 11;
    private const string LeveragesOption = "--leverages-endpoint";
    private const string CarrierMeasures = "EU-CARRIER-MEASURES";
    private const string Carrier = "Belavia";
    private const string CarrierCountry = "BY";
    private const string JoiningAlly = "LT";
    private const string DecliningAlly = "LV";
    private const string EvidenceRequiredRule = "leverage.evidence-required";
    private const string CascadeSubject = "system:crisis-cascade";
    private const string DeescalationJustification = "Flights to Minsk suspended and crossing attempts back to a trickle: monitoring and preparedness";

    /// <summary>The leverages service hears of a de-escalation from crisis declaration's events, over RabbitMQ: it may lag.</summary>
    private static readonly TimeSpan DeescalationPropagationTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DeescalationPoll = TimeSpan.FromMilliseconds(500);

    private string leverageId = "";
    private long leverageVersion;

    private async Task RunLeveragesAsync(TimeZoneInfo zone, CommandResult indicator, CancellationToken ct)
    {
        var type = await ListLeverageTypesAsync(ct);

        var start = Today(zone, clock.GetUtcNow());
        var evidence = $"declaration:{indicator.Id} potential '{VisaLiberalisation}' high (watch version {indicator.Version}, crisis {crisisId})";
        DemoView.Facts(("today in " + zone.Id, Iso(start)),
            ("leverage", $"{CarrierMeasures} against carrier {Carrier} ({CarrierCountry}), conditional on crisis {crisisId}"),
            ("evidence", evidence), ("allies asked", $"{JoiningAlly} (will join), {DecliningAlly} (will decline)"),
            ("imposed", $"from {Iso(start)} for the default duration ({type.DefaultDuration}), review every {type.ReviewEvery}"));

        await ProposeCarrierMeasureAsync(evidence, ct);
        await RefusedProposalAsync(ct);
        await AllyPositionAsync(JoiningAlly, AllyPosition.Joined, ct);
        await AllyPositionAsync(DecliningAlly, AllyPosition.Declined, ct);
        await ImposeLeverageAsync(start, ct);
        var nextReviews = await ReviewLeverageAsync(zone, type.ReviewEvery, ct);
        await CurrentCrisisAsync(ct);
        await DeescalateAsync(ct);
        await LiftedByItselfAsync(ct);
        await GetLeverageAsync(start, nextReviews, ct);
    }

    private async Task<LeverageType> ListLeverageTypesAsync(CancellationToken ct)
    {
        const string Name = "ListLeverageTypes";
        const string Expected = "OK, catalogue names " + CarrierMeasures + ", against carriers, evidence required";
        var response = await LeverageCallAsync(Name, Expected, "ministry",
            o => leverages.ListLeverageTypesAsync(new ListLeverageTypesRequest(), o), ministry, ct);
        DemoView.LeverageTypes(response);
        var type = response.Types_.FirstOrDefault(t => t.Code == CarrierMeasures);
        if (type is null) Fail(Name, Expected, $"{CarrierMeasures} is not in catalogue {response.CatalogueVersion}");
        Check(Name, Expected, $"catalogue {response.CatalogueVersion}, {response.Types_.Count} leverage types; {CarrierMeasures} targets " +
            $"{string.Join(", ", type.Targets)}, evidence {(type.EvidenceRequired ? "required" : "not required")}",
            type.Targets.Contains(TargetKind.Carrier) && type.EvidenceRequired);
        return type;
    }

    private async Task ProposeCarrierMeasureAsync(string evidence, CancellationToken ct)
    {
        var name = $"ProposeLeverage {CarrierMeasures} against {Carrier}";
        const string Expected = "OK, a new leverage at version 1";
        var request = CarrierProposal("Belavia flights bring the migrants of the 73-country visa scheme to Minsk, then to the PL-BY border");
        request.Evidence.Add(evidence);
        var result = await LeverageCallAsync(name, Expected, "ministry", o => leverages.ProposeLeverageAsync(request, o), ministry, ct);
        DemoView.Result(result);
        leverageId = result.Id;
        leverageVersion = result.Version;
        Check(name, Expected, $"leverage {leverageId} version {leverageVersion}", !result.Replayed && result.Version == 1);
    }

    private async Task RefusedProposalAsync(CancellationToken ct)
    {
        var request = CarrierProposal("Belavia flies migrants to Minsk");
        await ExpectRefusalAsync($"ProposeLeverage {CarrierMeasures} against {Carrier}, no evidence",
            "required: the service must refuse", EvidenceRequiredRule,
            $"as ministry, crisis {crisisId}, the same proposal with no evidence cited", LeveragesOption,
            o => leverages.ProposeLeverageAsync(request, o), ministry, ct);
    }

    private async Task AllyPositionAsync(string ally, AllyPosition position, CancellationToken ct)
    {
        var name = $"RecordAllyPosition {ally} {position}";
        var result = await LeverageCallAsync(name, "OK", "ministry", o => leverages.RecordAllyPositionAsync(new AllyPositionRequest
        {
            RequestId = NewRequestId(),
            LeverageId = leverageId,
            ExpectedVersion = leverageVersion,
            Ally = ally,
            Position = position,
            Reference = $"{ally} note verbale (demo)",
            Justification = position == AllyPosition.Joined
                ? $"{ally} joins: Belavia also serves its border with Belarus"
                : $"{ally} declines for now: prefers to wait for the EU listing",
        }, o), ministry, ct);
        AdvanceLeverage(name, result);
    }

    private async Task ImposeLeverageAsync(DateOnly start, CancellationToken ct)
    {
        var name = $"ImposeLeverage from {Iso(start)} (default duration and review cycle)";
        var result = await LeverageCallAsync(name, "OK", "EU institution", o => leverages.ImposeLeverageAsync(new ImposeLeverageRequest
        {
            RequestId = NewRequestId(),
            LeverageId = leverageId,
            ExpectedVersion = leverageVersion,
            StartDate = Iso(start),
            LegalActReference = "Commission implementing act (demo)",
            Justification = $"Belavia keeps carrying migrants towards the PL-BY border; {JoiningAlly} joined",
        }, o), euInstitution, ct);
        AdvanceLeverage(name, result);
    }

    /// <summary>Reviews the leverage; returns the next review dates the service may set (one cycle from today in the legal time zone, before or after the call).</summary>
    private async Task<DateOnly[]> ReviewLeverageAsync(TimeZoneInfo zone, string reviewEvery, CancellationToken ct)
    {
        var name = $"ReviewLeverage (next review in the default cycle, {reviewEvery})";
        var before = Today(zone, clock.GetUtcNow());
        var result = await LeverageCallAsync(name, "OK", "EU institution", o => leverages.ReviewLeverageAsync(new ReviewLeverageRequest
        {
            RequestId = NewRequestId(),
            LeverageId = leverageId,
            ExpectedVersion = leverageVersion,
            Justification = "Reviewed: flights to Minsk continue; the measure is still needed and proportionate",
        }, o), euInstitution, ct);
        var after = Today(zone, clock.GetUtcNow());
        AdvanceLeverage(name, result);
        return [.. new[] { before, after }.Select(day => After(day, reviewEvery)).OfType<DateOnly>().Distinct()];
    }

    /// <summary>Reads the crisis's current version (the leverages part does not assume it), and that de-escalation is lawful.</summary>
    private async Task CurrentCrisisAsync(CancellationToken ct)
    {
        const string Name = "GetCrisis (ministry): current version before de-escalating";
        const string Expected = "Active, CrisisManagement (escalated in part 1)";
        var details = await CallAsync(Name, Expected, "ministry",
            o => client.GetCrisisAsync(new GetCrisisRequest { CrisisId = crisisId }, o), ministry, ct);
        DemoView.Facts(("crisis", details.CrisisId), ("version", details.Version.ToString(CultureInfo.InvariantCulture)),
            ("stage", details.Stage.ToString()), ("status", details.Status.ToString()));
        version = details.Version;
        Check(Name, Expected, $"{details.Status}, {details.Stage}, version {details.Version}",
            details is { Status: CrisisStatus.Active, Stage: BlueprintStage.CrisisManagement });
    }

    private async Task DeescalateAsync(CancellationToken ct)
    {
        const string Name = "DeescalateCrisis to monitoring and preparedness";
        var result = await CallAsync(Name, "OK", "ministry", o => client.DeescalateCrisisAsync(new CrisisDecisionRequest
        {
            RequestId = NewRequestId(),
            CrisisId = crisisId,
            ExpectedVersion = version,
            Justification = DeescalationJustification,
        }, o), ministry, ct);
        Advance(Name, result);
    }

    /// <summary>Polls the leverage until the crisis cascade has lifted it (the de-escalation arrives over RabbitMQ).</summary>
    private async Task LiftedByItselfAsync(CancellationToken ct)
    {
        const string Name = "GetLeverage until Lifted by the crisis cascade (coordinator)";
        const string Expected = "Lifted automatically, by " + CascadeSubject;
        DemoView.Step(++step, Name);
        DemoView.Note($"as coordinator: the leverages service hears of the de-escalation over RabbitMQ; reading leverage {leverageId} " +
            $"every {Seconds(DeescalationPoll)} s for up to {Seconds(DeescalationPropagationTimeout)} s");

        var started = clock.GetTimestamp();
        var reads = 0;
        LeverageDetails details;
        while (true)
        {
            reads++;
            try
            {
                details = await leverages.GetLeverageAsync(new GetLeverageRequest { LeverageId = leverageId }, Options(coordinator, ct));
            }
            catch (RpcException ex)
            {
                DemoView.Refusal(ex, expected: false, LeveragesOption);
                Fail(Name, Expected, $"{ex.StatusCode}: {ex.Status.Detail}");
                throw new StepAbortedException();
            }

            if (details.Status != LeverageStatus.Imposed || clock.GetElapsedTime(started) >= DeescalationPropagationTimeout) break;
            await Task.Delay(DeescalationPoll, clock, ct);
        }

        var last = details.History.LastOrDefault();
        var waited = $"after {reads} read(s) in {Seconds(clock.GetElapsedTime(started))} s";
        DemoView.Facts(("leverage", details.LeverageId), ("version", details.Version.ToString(CultureInfo.InvariantCulture)),
            ("status", details.Status.ToString()), ("last decision", last is null ? "-" : $"{last.Summary}, by {last.Decision?.ActorSubject}"));
        leverageVersion = details.Version;
        Check(Name, Expected, $"{details.Status} {waited}" + (last is null ? "" : $", last event {last.EventType} by {last.Decision?.ActorSubject}"),
            details.Status == LeverageStatus.Lifted && last?.Decision?.ActorSubject == CascadeSubject);
    }

    private async Task GetLeverageAsync(DateOnly start, DateOnly[] nextReviews, CancellationToken ct)
    {
        const string Name = "GetLeverage with its history (coordinator)";
        var expected = $"version {leverageVersion}, Lifted, from {Iso(start)}, {JoiningAlly} Joined / {DecliningAlly} Declined, " +
            $"next review {string.Join(" or ", nextReviews.Select(Iso))}, {leverageVersion} history entries: the ministry's and the Commission's decisions, " +
            $"then the lifting by {CascadeSubject} citing the de-escalation";
        var details = await LeverageCallAsync(Name, expected, "coordinator",
            o => leverages.GetLeverageAsync(new GetLeverageRequest { LeverageId = leverageId }, o), coordinator, ct);
        DemoView.Leverage(details);
        var allies = details.Allies.ToDictionary(a => a.Code, a => a.Position);
        var last = details.History.LastOrDefault();
        var byMinistry = details.History.SkipLast(1).Count(h => h.Decision?.ActorSubject == MinistrySubject);
        // The ministry proposes and records its allies' positions; the Commission, as the basis says, imposes and reviews.
        var byCommission = details.History.SkipLast(1).Count(h => h.Decision?.ActorSubject == EuInstitutionSubject);
        var actual = $"version {details.Version}, {details.Status}, from {Or(details.StartDate)}, " +
            $"{string.Join(" / ", details.Allies.Select(a => $"{a.Code} {a.Position}"))}, next review {Or(details.ReviewDueAt)}, " +
            $"{details.History.Count} history entries ({byMinistry} by {MinistrySubject}, {byCommission} by {EuInstitutionSubject}), last by {last?.Decision?.ActorSubject ?? "-"}";
        Check(Name, expected, actual, details.Version == leverageVersion && details.Status == LeverageStatus.Lifted
            && details.StartDate == Iso(start) && details.ConditionalOnCrisis && details.CrisisId == crisisId
            && allies.GetValueOrDefault(JoiningAlly) == AllyPosition.Joined && allies.GetValueOrDefault(DecliningAlly) == AllyPosition.Declined
            && nextReviews.Any(r => Iso(r) == details.ReviewDueAt)
            && details.History.Count == details.Version && byMinistry > 0 && byCommission > 0 && byMinistry + byCommission == details.History.Count - 1
            && last?.Decision is { ActorSubject: CascadeSubject } cascade
            && cascade.Justification.Contains(DeescalationJustification, StringComparison.Ordinal));
    }

    private ProposeLeverageRequest CarrierProposal(string justification)
    {
        var request = new ProposeLeverageRequest
        {
            RequestId = NewRequestId(),
            LeverageType = CarrierMeasures,
            Country = Country,
            Target = new Target { Kind = TargetKind.Carrier, Name = Carrier, Country = CarrierCountry },
            CrisisId = crisisId,
            ConditionalOnCrisis = true,
            Justification = justification,
        };
        request.Allies.Add(JoiningAlly);
        request.Allies.Add(DecliningAlly);
        return request;
    }

    private void AdvanceLeverage(string name, CommandResult result)
    {
        DemoView.Result(result);
        var previous = leverageVersion;
        leverageVersion = result.Version;
        Check(name, "OK", $"version {previous} -> {result.Version}", !result.Replayed && result.Version > previous);
    }

    /// <summary>A call to the leverages service: prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private Task<T> LeverageCallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct) =>
        StepAsync(name, expected, leverageId.Length > 0 ? $"as {who}, leverage version read last: {leverageVersion}" : $"as {who}",
            LeveragesOption, call, token, ct);

    /// <summary><paramref name="day"/> plus a one-unit ISO period such as P3M (as the catalogue writes review cycles); null otherwise.</summary>
    private static DateOnly? After(DateOnly day, string period)
    {
        if (period.Length < 3 || period[0] != 'P' || !int.TryParse(period.AsSpan(1, period.Length - 2), CultureInfo.InvariantCulture, out var n))
            return null;
        return period[^1] switch
        {
            'Y' => day.AddYears(n),
            'M' => day.AddMonths(n),
            'W' => day.AddDays(7 * n),
            'D' => day.AddDays(n),
            _ => null,
        };
    }

    private static string Or(string value) => value.Length > 0 ? value : "-";
}
