using System.Globalization;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// The demo's second part, against the emergency legal measures service, for the crisis the first part declared: the
/// measure catalogue, a state of emergency in the border localities with its one lawful extension and a second one the
/// service must refuse, a group return order no emergency makes lawful (refused, and kept for auditors), then what a
/// coordinator reads: the refused attempts, what is in force now, and the measure's history.
/// </summary>
public sealed partial class DemoRunner
{
    private const int MeasureSteps = 8;
    private const string MeasuresOption = "--measures-endpoint";
    private const string StateOfEmergency = "PL-STATE-OF-EMERGENCY";
    private const string GroupReturnOrder = "GROUP-RETURN-ORDER";
    private const string CrisisUnknownRule = "measure.crisis-unknown";
    private const string MeasureExtensionCountRule = "measure.extension.count";
    private const string CollectiveExpulsionRule = "safeguard.5.no-collective-expulsion";

    /// <summary>The measures service learns of a crisis from crisis declaration's events, over RabbitMQ: it may lag.</summary>
    private static readonly TimeSpan CrisisPropagationTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan CrisisPropagationRetry = TimeSpan.FromMilliseconds(500);

    private string measureId = "";
    private long measureVersion;

    private async Task RunMeasuresAsync(TimeZoneInfo zone, CancellationToken ct)
    {
        await ListMeasureTypesAsync(ct);

        var start = Today(zone, clock.GetUtcNow());
        var firstEnd = start.AddDays(29);
        var extendedEnd = firstEnd.AddDays(60);
        var secondEnd = extendedEnd.AddDays(30);
        DemoView.Facts(("today in " + zone.Id, Iso(start)),
            ("state of emergency", $"{StateOfEmergency} in {Section}: {Iso(start)} to {Iso(firstEnd)} (30 days)"),
            ("first extension to", $"{Iso(extendedEnd)} (+60 days, with the consent of the Sejm)"),
            ("second extension to", $"{Iso(secondEnd)} (+30 days: the catalogue allows one extension)"));

        await EnactStateOfEmergencyAsync(start, firstEnd, ct);
        await ExtendMeasureAsync(extendedEnd, ct);
        await RefusedMeasureExtensionAsync(secondEnd, ct);
        var attemptRequestId = await RefusedGroupReturnAsync(start, ct);
        await RefusedAttemptsAsync(attemptRequestId, ct);
        await InForceNowAsync(extendedEnd, ct);
        await GetMeasureAsync(extendedEnd, ct);
    }

    private async Task ListMeasureTypesAsync(CancellationToken ct)
    {
        const string Name = "ListMeasureTypes";
        const string Expected = "OK, catalogue names " + StateOfEmergency + " and " + GroupReturnOrder;
        var response = await MeasureCallAsync(Name, Expected, "ministry",
            o => measures.ListMeasureTypesAsync(new ListMeasureTypesRequest(), o), ministry, ct);
        DemoView.MeasureTypes(response);
        var missing = new[] { StateOfEmergency, GroupReturnOrder }.Where(code => response.Types_.All(t => t.Code != code)).ToList();
        if (missing.Count > 0) Fail(Name, Expected, $"{string.Join(" and ", missing)} not in catalogue {response.CatalogueVersion}");
        Pass(Name, Expected, $"catalogue {response.CatalogueVersion}, {response.Types_.Count} measure types");
    }

    /// <summary>
    /// Enacts the state of emergency. The measures service may not have received the crisis yet (it arrives over
    /// RabbitMQ): while it answers <c>measure.crisis-unknown</c>, the same request (same request_id) is sent again.
    /// </summary>
    private async Task EnactStateOfEmergencyAsync(DateOnly start, DateOnly end, CancellationToken ct)
    {
        var name = $"EnactMeasure {StateOfEmergency} {Section} {Iso(start)}..{Iso(end)}";
        const string Expected = "OK (once the measures service knows the crisis)";
        var request = new EnactMeasureRequest
        {
            RequestId = NewRequestId(),
            MeasureType = StateOfEmergency,
            Country = Country,
            StartDate = Iso(start),
            EndDate = Iso(end),
            LegalActReference = "Dz.U. (demo)",
            CrisisId = crisisId,
            Justification = "Regulation of the President at the request of the Council of Ministers: border localities along PL-BY",
        };
        request.Territory.Add(Section);
        DemoView.Step(++step, name);
        DemoView.Note($"as ministry, crisis {crisisId}, legal act {request.LegalActReference}");

        var started = clock.GetTimestamp();
        var attempts = 0;
        CommandResult result;
        while (true)
        {
            attempts++;
            try
            {
                result = await measures.EnactMeasureAsync(request, Options(ministry, ct));
                break;
            }
            catch (RpcException ex) when (IsCrisisUnknown(ex) && clock.GetElapsedTime(started) < CrisisPropagationTimeout)
            {
                if (attempts == 1)
                {
                    DemoView.Note($"{ex.Status.Detail}: the measures service learns of crises over RabbitMQ; sending the same request " +
                        $"again every {Seconds(CrisisPropagationRetry)} s for up to {Seconds(CrisisPropagationTimeout)} s");
                }

                await Task.Delay(CrisisPropagationRetry, clock, ct);
            }
            catch (RpcException ex)
            {
                DemoView.Refusal(ex, expected: false, MeasuresOption);
                Fail(name, Expected, $"{ex.StatusCode}: {ex.Status.Detail}" +
                    (IsCrisisUnknown(ex) ? $" (still after {attempts} attempts in {Seconds(clock.GetElapsedTime(started))} s)" : ""));
                throw new StepAbortedException();
            }
        }

        DemoView.Result(result);
        measureId = result.Id;
        measureVersion = result.Version;
        var waited = attempts == 1 ? "accepted at the first attempt" : $"accepted at attempt {attempts}, after {Seconds(clock.GetElapsedTime(started))} s";
        Check(name, Expected, $"measure {measureId} version {measureVersion}, {waited}", !result.Replayed && result.Version == 1);
    }

    private async Task ExtendMeasureAsync(DateOnly newEnd, CancellationToken ct)
    {
        var name = $"ExtendMeasure to {Iso(newEnd)} (+60 days)";
        var result = await MeasureCallAsync(name, "OK", "ministry", o => measures.ExtendMeasureAsync(new ExtendMeasureRequest
        {
            RequestId = NewRequestId(),
            MeasureId = measureId,
            ExpectedVersion = measureVersion,
            NewEndDate = Iso(newEnd),
            ConsentReference = "Sejm resolution (demo)",
            Justification = "Pressure at the border continues; the Sejm consented to one extension",
        }, o), ministry, ct);
        DemoView.Result(result);
        var previous = measureVersion;
        measureVersion = result.Version;
        Check(name, "OK", $"version {previous} -> {result.Version}", !result.Replayed && result.Version > previous);
    }

    private async Task RefusedMeasureExtensionAsync(DateOnly newEnd, CancellationToken ct)
    {
        var accepted = await ExpectRefusalAsync($"ExtendMeasure again to {Iso(newEnd)} (+30 days)",
            "one extension allowed: the service must refuse", MeasureExtensionCountRule,
            "as ministry, measure version read last: " + measureVersion.ToString(CultureInfo.InvariantCulture), MeasuresOption,
            o => measures.ExtendMeasureAsync(new ExtendMeasureRequest
            {
                RequestId = NewRequestId(),
                MeasureId = measureId,
                ExpectedVersion = measureVersion,
                NewEndDate = Iso(newEnd),
                ConsentReference = "Sejm resolution (demo, second request)",
                Justification = "Pressure at the border continues",
            }, o), ministry, ct);
        if (accepted is not null) measureVersion = accepted.Version;
    }

    /// <summary>A collective return order: refused whatever the emergency, and kept for auditors. Returns its request_id.</summary>
    private async Task<string> RefusedGroupReturnAsync(DateOnly day, CancellationToken ct)
    {
        var request = new EnactMeasureRequest
        {
            RequestId = NewRequestId(),
            MeasureType = GroupReturnOrder,
            Country = Country,
            StartDate = Iso(day),
            EndDate = Iso(day),
            LegalActReference = "Order of the Border Guard commander (demo)",
            CrisisId = crisisId,
            Parameters = new MeasureParameters { IndividualAssessment = false },
            Justification = "Return everyone who crossed the PL-BY border irregularly today, as a group",
        };
        request.Territory.Add(Section);
        await ExpectRefusalAsync($"EnactMeasure {GroupReturnOrder} {Section} {Iso(day)} (1 day)",
            "never lawful: the service must refuse", CollectiveExpulsionRule,
            $"as ministry, crisis {crisisId}, request_id {request.RequestId}", MeasuresOption,
            o => measures.EnactMeasureAsync(request, o), ministry, ct);
        return request.RequestId;
    }

    private async Task RefusedAttemptsAsync(string requestId, CancellationToken ct)
    {
        var name = $"ListRefusedAttempts {Country} (coordinator)";
        var expected = $"the {GroupReturnOrder} attempt, by {MinistrySubject}, rule {CollectiveExpulsionRule}";
        var response = await MeasureCallAsync(name, expected, "coordinator",
            o => measures.ListRefusedAttemptsAsync(new ListRefusedAttemptsRequest { Country = Country }, o), coordinator, ct);
        DemoView.RefusedAttempts(Country, response.Attempts, requestId);
        var attempt = response.Attempts.LastOrDefault(a => a.AttemptedBy?.RequestId == requestId);
        var actual = attempt is null
            ? $"request_id {requestId} is not among the {response.Attempts.Count} attempt(s) listed"
            : $"{attempt.MeasureType}, by {attempt.AttemptedBy.ActorSubject} ({attempt.AttemptedBy.Role}, {attempt.AttemptedBy.Country}), " +
              $"rule {attempt.Rule}; {response.Attempts.Count} attempt(s) in {Country}";
        Check(name, expected, actual,
            attempt is { Rule: CollectiveExpulsionRule, MeasureType: GroupReturnOrder, AttemptedBy.ActorSubject: MinistrySubject });
    }

    private async Task InForceNowAsync(DateOnly expectedEnd, CancellationToken ct)
    {
        var at = clock.GetUtcNow();
        var name = $"MeasuresInForceAt {Utc(at)} for the crisis (coordinator)";
        var expected = $"{StateOfEmergency} {measureId} in force, to {Iso(expectedEnd)}";
        var response = await MeasureCallAsync(name, expected, "coordinator", o => measures.MeasuresInForceAtAsync(new MeasuresInForceAtRequest
        {
            At = Timestamp.FromDateTimeOffset(at),
            CrisisId = crisisId,
        }, o), coordinator, ct);
        DemoView.Measures($"in force at {Utc(at)}, crisis {crisisId}", response.Measures);
        var measure = response.Measures.FirstOrDefault(m => m.MeasureId == measureId);
        var actual = measure is null
            ? $"{response.Measures.Count} measure(s) in force, not {measureId}"
            : $"{measure.MeasureType} {measure.Status}, {measure.StartDate} to {measure.EndDate}; {response.Measures.Count} measure(s) in force";
        Check(name, expected, actual,
            measure is { MeasureType: StateOfEmergency, Status: MeasureStatus.InForce } && measure.EndDate == Iso(expectedEnd));
    }

    private async Task GetMeasureAsync(DateOnly expectedEnd, CancellationToken ct)
    {
        const string Name = "GetMeasure (coordinator)";
        var expected = $"version {measureVersion}, InForce to {Iso(expectedEnd)}, 1 extension, {measureVersion} history entries";
        var details = await MeasureCallAsync(Name, expected, "coordinator",
            o => measures.GetMeasureAsync(new GetMeasureRequest { MeasureId = measureId }, o), coordinator, ct);
        DemoView.Measure(details);
        var actual = $"version {details.Version}, {details.Status} to {details.EndDate}, {details.ExtensionsUsed} extension(s), " +
            $"{details.History.Count} history entries";
        Check(Name, expected, actual, details.Version == measureVersion && details.Status == MeasureStatus.InForce
            && details.EndDate == Iso(expectedEnd) && details.ExtensionsUsed == 1 && details.History.Count == measureVersion);
    }

    /// <summary>A call to the measures service: prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private Task<T> MeasureCallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct) =>
        StepAsync(name, expected, measureId.Length > 0 ? $"as {who}, measure version read last: {measureVersion}" : $"as {who}",
            MeasuresOption, call, token, ct);

    private static bool IsCrisisUnknown(RpcException ex) =>
        ex.StatusCode == StatusCode.FailedPrecondition && ex.Status.Detail.StartsWith(CrisisUnknownRule, StringComparison.Ordinal);

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
