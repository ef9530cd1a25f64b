using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CrisisOps.Cli.Tokens;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Humanitarian.Grpc.V1;
using CrisisOps.Leverages.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// A short sample crisis, replayed through the public API: the Polish-Belarusian border pattern of 2021 (indicators,
/// declaration, an emergency under Art. 230 of the Polish Constitution, its one lawful extension, a second extension the
/// service must refuse, escalation), then the history a coordinator reads. A second part takes emergency legal measures
/// for that crisis (<c>DemoRunner.Measures.cs</c>); a third imposes a diplomatic leverage against a carrier, which the
/// crisis's de-escalation lifts (<c>DemoRunner.Leverages.cs</c>); a fourth fills reception capacity near the border to
/// strain and overflow (<c>DemoRunner.Reception.cs</c>); a fifth follows the overflow into humanitarian support and
/// matches a request for assistance with a partner's pledge and delivery (<c>DemoRunner.Humanitarian.cs</c>). Dates run
/// from today, because the services judge emergencies, measures, leverages and deadlines on their own clock: the 2021
/// dates would have expired at once.
/// </summary>
public sealed partial class DemoRunner(
    CrisisDeclaration.CrisisDeclarationClient client,
    EmergencyMeasures.EmergencyMeasuresClient measures,
    DiplomaticLeverages.DiplomaticLeveragesClient leverages,
    ReceptionCapacity.ReceptionCapacityClient reception,
    HumanitarianSupport.HumanitarianSupportClient humanitarian,
    TokenMinter minter,
    TimeProvider clock,
    Uri endpoint,
    Uri measuresEndpoint,
    Uri leveragesEndpoint,
    Uri receptionEndpoint,
    Uri humanitarianEndpoint)
{
    /// <summary>Trailer naming the legal rule of a FailedPrecondition refusal.</summary>
    public const string RuleTrailer = "crisisops-rule";

    /// <summary>Trailer naming the request field of an InvalidArgument refusal.</summary>
    public const string FieldTrailer = "crisisops-field";

    private const int DeclarationSteps = 10;
    private const int StepCount = DeclarationSteps + MeasureSteps + LeverageSteps + ReceptionSteps + HumanitarianSteps;
    private const string MinistrySubject = "demo:pl-moi-duty-officer";
    private const string CoordinatorSubject = "demo:blueprint-coordinator";
    private const string EuInstitutionSubject = "demo:com-home-duty-officer";
    private const string Country = "PL";
    private const string Section = "PL-BY";
    private const string LegalBasis = "PL-CONST-230";
    private const string ExpectedRefusalRule = "emergency.extension.count";
    private const string VisaLiberalisation = "visa liberalisation for 73 countries";
    private const string DeclarationOption = "--endpoint";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly List<StepOutcome> outcomes = [];
    private Metadata ministry = [];
    private Metadata coordinator = [];
    private Metadata euInstitution = [];
    private string crisisId = "";
    private long version;
    private int step;

    /// <summary>Runs every step; true when each had its expected outcome.</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ministry = Bearer(minter.Mint(new TokenRequest("ministry", MinistrySubject, "Duty officer, PL MoI",
            Country, "Ministry of Interior and Administration", TimeSpan.FromHours(1)), now));
        coordinator = Bearer(minter.Mint(new TokenRequest("coordinator", CoordinatorSubject, "Blueprint network coordinator",
            null, null, TimeSpan.FromHours(1)), now));
        // The EU leverage (carrier measures) is the Commission's act: the ministry proposes it, the Commission imposes it.
        euInstitution = Bearer(minter.Mint(new TokenRequest("eu-institution", EuInstitutionSubject, "DG HOME duty officer",
            null, "European Commission", TimeSpan.FromHours(1)), now));
        DemoView.Facts(("declaration endpoint", endpoint.ToString()), ("measures endpoint", measuresEndpoint.ToString()),
            ("leverages endpoint", leveragesEndpoint.ToString()), ("reception endpoint", receptionEndpoint.ToString()),
            ("humanitarian endpoint", humanitarianEndpoint.ToString()),
            ("ministry token", $"role ministry, country {Country}, sub {MinistrySubject}"),
            ("coordinator token", $"role coordinator, sub {CoordinatorSubject}"),
            ("EU-institution token", $"role eu-institution, European Commission, sub {EuInstitutionSubject}"));

        try
        {
            DemoView.Part($"Part 1: crisis declaration ({endpoint})");
            var zone = await ListLegalBasesAsync(ct);
            await RecordIndicatorAsync(IndicatorGroup.Intent, "hostile narratives",
                "State media frame the movement of migrants towards the EU as retaliation for sanctions", "open-source monitoring cell", ct);
            var visaIndicator = await RecordIndicatorAsync(IndicatorGroup.Potential, VisaLiberalisation,
                "Simplified tourist visas for nationals of 73 countries, with new charter flights to Minsk", "consular reporting", ct);
            await AlertPictureAsync(ct);
            await DeclareCrisisAsync(ct);

            var start = Today(zone, clock.GetUtcNow());
            var firstEnd = start.AddDays(29);
            var extendedEnd = firstEnd.AddDays(60);
            var secondEnd = extendedEnd.AddDays(30);
            DemoView.Facts(("today in " + zone.Id, Iso(start)), ("emergency", $"{Iso(start)} to {Iso(firstEnd)} (30 days)"),
                ("first extension to", $"{Iso(extendedEnd)} (+60 days, the most {LegalBasis} allows)"),
                ("second extension to", $"{Iso(secondEnd)} (+30 days, still within the 150-day total cap)"));

            await DeclareEmergencyAsync(start, firstEnd, ct);
            await ExtendEmergencyAsync(extendedEnd, ct);
            await RefusedExtensionAsync(secondEnd, ct);
            await EscalateAsync(ct);
            await GetCrisisAsync(extendedEnd, ct);

            DemoView.Part($"Part 2: emergency legal measures for crisis {crisisId} ({measuresEndpoint})");
            await RunMeasuresAsync(zone, ct);

            DemoView.Part($"Part 3: diplomatic leverages for crisis {crisisId} ({leveragesEndpoint})");
            await RunLeveragesAsync(zone, visaIndicator, ct);

            DemoView.Part($"Part 4: reception capacity near the border, aggregate counts only ({receptionEndpoint})");
            var overflow = await RunReceptionAsync(ct);

            DemoView.Part($"Part 5: humanitarian support for crisis {crisisId} ({humanitarianEndpoint})");
            await RunHumanitarianAsync(zone, overflow, ct);
        }
        catch (StepAbortedException)
        {
            // Recorded and printed already; the steps after it need what it would have produced.
        }

        DemoView.Summary(outcomes, StepCount);
        return outcomes.Count == StepCount && outcomes.All(o => o.AsExpected);
    }

    private async Task<TimeZoneInfo> ListLegalBasesAsync(CancellationToken ct)
    {
        const string Expected = "OK, catalogue names " + LegalBasis;
        var response = await CallAsync("ListLegalBases", Expected, "ministry",
            o => client.ListLegalBasesAsync(new ListLegalBasesRequest(), o), ministry, ct);
        DemoView.LegalBases(response);
        var basis = response.Bases.FirstOrDefault(b => b.Code == LegalBasis);
        if (basis is null) Fail("ListLegalBases", Expected, $"{LegalBasis} is not in catalogue {response.CatalogueVersion}");
        Pass("ListLegalBases", Expected, $"catalogue {response.CatalogueVersion}, {response.Bases.Count} bases");
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(basis.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            DemoView.Note($"time zone {basis.TimeZone} is not known on this machine; dates are taken in UTC");
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>Records a HIGH indicator on the PL-BY watch; returns the watch written (its id and version), for evidence.</summary>
    private async Task<CommandResult> RecordIndicatorAsync(IndicatorGroup group, string kind, string evidence, string source, CancellationToken ct)
    {
        var name = $"RecordIndicator {group} HIGH \"{kind}\"";
        var response = await CallAsync(name, "OK", "ministry", o => client.RecordIndicatorAsync(new RecordIndicatorRequest
        {
            RequestId = NewRequestId(),
            TargetCountry = Country,
            BorderSection = Section,
            Group = group,
            Kind = kind,
            Level = IndicatorLevel.High,
            Evidence = evidence,
            Source = source,
            ObservedAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
        }, o), ministry, ct);
        DemoView.Result(response.Result);
        if (response.Picture is { } picture) DemoView.AlertPictures([picture]);
        Pass(name, "OK", $"watch version {response.Result.Version}");
        return response.Result;
    }

    private async Task AlertPictureAsync(CancellationToken ct)
    {
        const string Name = "GetAlertPicture PL-BY";
        const string Expected = "alert level HIGH or above";
        var response = await CallAsync(Name, Expected, "ministry",
            o => client.GetAlertPictureAsync(new GetAlertPictureRequest { TargetCountry = Country, BorderSection = Section }, o), ministry, ct);
        DemoView.AlertPictures(response.Sections);
        var level = response.Sections.FirstOrDefault()?.Level ?? AlertLevel.Unspecified;
        Check(Name, Expected, $"alert level {level}", level >= AlertLevel.High);
    }

    private async Task DeclareCrisisAsync(CancellationToken ct)
    {
        const string Name = "DeclareCrisis PL";
        const string Expected = "OK, qualifies as instrumentalization";
        var request = new DeclareCrisisRequest
        {
            RequestId = NewRequestId(),
            TargetCountry = Country,
            Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
            Scenario = Scenario.Belligerent,
            Criteria = new QualificationCriteria
            {
                HostileActor = Met("State authorities of Belarus organise the movement and announce it"),
                EncouragesOrFacilitatesMovement = Met("Visas, flights to Minsk and transport to the PL-BY border arranged by state bodies"),
                AimToDestabilise = Met("Presented as retaliation for EU sanctions; aims to split the Union over migration"),
                RisksEssentialStateFunctions = Met("Thousands of crossing attempts a day overstretch the Border Guard on PL-BY"),
            },
            Stage = BlueprintStage.MonitoringAndPreparedness,
            Justification = "Sustained, state-organised movement of migrants to the PL-BY border",
        };
        request.BorderSections.Add(Section);
        var response = await CallAsync(Name, Expected, "ministry", o => client.DeclareCrisisAsync(request, o), ministry, ct);
        DemoView.Result(response.Result);
        DemoView.Qualification(response);
        crisisId = response.Result.Id;
        version = response.Result.Version;
        Check(Name, Expected, $"crisis {crisisId} version {version}, qualifies: {(response.QualifiesAsInstrumentalization ? "yes" : "no")}",
            response.QualifiesAsInstrumentalization);
    }

    private async Task DeclareEmergencyAsync(DateOnly start, DateOnly end, CancellationToken ct)
    {
        var name = $"DeclareEmergency {LegalBasis} {Iso(start)}..{Iso(end)}";
        var result = await CallAsync(name, "OK", "ministry", o => client.DeclareEmergencyAsync(new DeclareEmergencyRequest
        {
            RequestId = NewRequestId(),
            CrisisId = crisisId,
            ExpectedVersion = version,
            LegalBasisCode = LegalBasis,
            StartDate = Iso(start),
            EndDate = Iso(end),
            Justification = "At the request of the Council of Ministers: a threat to public order along the PL-BY border",
        }, o), ministry, ct);
        Advance(name, result);
    }

    private async Task ExtendEmergencyAsync(DateOnly newEnd, CancellationToken ct)
    {
        var name = $"ExtendEmergency to {Iso(newEnd)}";
        var result = await CallAsync(name, "OK", "ministry", o => client.ExtendEmergencyAsync(new ExtendEmergencyRequest
        {
            RequestId = NewRequestId(),
            CrisisId = crisisId,
            ExpectedVersion = version,
            NewEndDate = Iso(newEnd),
            Justification = "Pressure at the border continues; the Sejm consented to one extension",
            ConsentReference = "Sejm resolution of 30 Sep 2021",
        }, o), ministry, ct);
        Advance(name, result);
    }

    private async Task RefusedExtensionAsync(DateOnly newEnd, CancellationToken ct)
    {
        var accepted = await ExpectRefusalAsync($"ExtendEmergency again to {Iso(newEnd)}", "the law allows one extension: the service must refuse",
            ExpectedRefusalRule, "as ministry, expected_version " + version.ToString(CultureInfo.InvariantCulture), DeclarationOption,
            o => client.ExtendEmergencyAsync(new ExtendEmergencyRequest
            {
                RequestId = NewRequestId(),
                CrisisId = crisisId,
                ExpectedVersion = version,
                NewEndDate = Iso(newEnd),
                Justification = "Pressure at the border continues",
                ConsentReference = "Sejm resolution (second request)",
            }, o), ministry, ct);
        if (accepted is not null) version = accepted.Version;
    }

    private async Task EscalateAsync(CancellationToken ct)
    {
        const string Name = "EscalateCrisis to crisis management";
        var result = await CallAsync(Name, "OK", "ministry", o => client.EscalateCrisisAsync(new CrisisDecisionRequest
        {
            RequestId = NewRequestId(),
            CrisisId = crisisId,
            ExpectedVersion = version,
            Justification = "Crossing attempts overwhelm the Border Guard: Blueprint crisis-management stage",
        }, o), ministry, ct);
        Advance(Name, result);
    }

    private async Task GetCrisisAsync(DateOnly expectedEnd, CancellationToken ct)
    {
        const string Name = "GetCrisis (coordinator)";
        var expected = $"version {version}, CrisisManagement, emergency InForce to {Iso(expectedEnd)}, 1 extension";
        var details = await CallAsync(Name, expected, "coordinator",
            o => client.GetCrisisAsync(new GetCrisisRequest { CrisisId = crisisId }, o), coordinator, ct);
        DemoView.Crisis(details);
        var e = details.Emergency;
        var actual = $"version {details.Version}, {details.Stage}, emergency {e?.Status.ToString() ?? "none"} to {e?.EndDate ?? "-"}, " +
            $"{e?.ExtensionsUsed ?? 0} extension(s), {details.History.Count} history entries";
        Check(Name, expected, actual, details.Version == version && details.Stage == BlueprintStage.CrisisManagement
            && e is { Status: EmergencyStatus.InForce, ExtensionsUsed: 1 } && e.EndDate == Iso(expectedEnd));
    }

    /// <summary>A call to crisis declaration: prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private Task<T> CallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct) =>
        StepAsync(name, expected, version > 0 && crisisId.Length > 0 ? $"as {who}, crisis version read last: {version}" : $"as {who}",
            DeclarationOption, call, token, ct);

    /// <summary>Prints the step and a note, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private async Task<T> StepAsync<T>(string name, string expected, string note, string endpointOption,
        Func<CallOptions, AsyncUnaryCall<T>> call, Metadata token, CancellationToken ct)
    {
        DemoView.Step(++step, name);
        DemoView.Note(note);
        try
        {
            return await call(Options(token, ct));
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false, endpointOption);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw new StepAbortedException();
        }
    }

    /// <summary>
    /// A command the service must refuse with <see cref="StatusCode.FailedPrecondition"/> naming <paramref name="rule"/>: the
    /// outcome is printed and recorded, and the demo goes on either way. Returns the result when it was accepted after all.
    /// </summary>
    private Task<CommandResult?> ExpectRefusalAsync(string name, string why, string rule, string note, string endpointOption,
        Func<CallOptions, AsyncUnaryCall<CommandResult>> call, Metadata token, CancellationToken ct) =>
        ExpectRefusalAsync(name, why, rule, note, endpointOption, call, token, result =>
        {
            DemoView.Result(result);
            return $"accepted, version {result.Version}";
        }, null, ct);

    /// <summary>
    /// The same for any response: <paramref name="accepted"/> prints a response that should not have come and describes it;
    /// <paramref name="says"/>, when given, is what the refusal's message must also say (its description, and the test).
    /// </summary>
    private async Task<T?> ExpectRefusalAsync<T>(string name, string why, string rule, string note, string endpointOption,
        Func<CallOptions, AsyncUnaryCall<T>> call, Metadata token, Func<T, string> accepted, (string What, Func<string, bool> Test)? says,
        CancellationToken ct)
        where T : class
    {
        var expected = $"{StatusCode.FailedPrecondition} ({rule})" + (says is { What: var what } ? $", {what}" : "");
        DemoView.Step(++step, $"{name} ({why})");
        DemoView.Note(note);
        try
        {
            var result = await call(Options(token, ct));
            Check(name, expected, accepted(result), false);
            return result;
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded))
        {
            var asExpected = ex.StatusCode == StatusCode.FailedPrecondition && RuleOf(ex) == rule && (says is null || says.Value.Test(ex.Status.Detail));
            DemoView.Refusal(ex, asExpected, endpointOption);
            Check(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}", asExpected);
            return null;
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false, endpointOption);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw new StepAbortedException();
        }
    }

    private void Advance(string name, CommandResult result)
    {
        DemoView.Result(result);
        var previous = version;
        version = result.Version;
        Check(name, "OK", $"version {previous} -> {result.Version}", !result.Replayed && result.Version > previous);
    }

    private void Check(string name, string expected, string actual, bool asExpected)
    {
        DemoView.Verdict(asExpected, actual);
        outcomes.Add(new StepOutcome(name, expected, actual, asExpected));
    }

    private void Pass(string name, string expected, string actual) => Check(name, expected, actual, true);

    [DoesNotReturn]
    private void Fail(string name, string expected, string actual)
    {
        if (outcomes.Count == 0 || outcomes[^1].Step != name) Check(name, expected, actual, false);
        throw new StepAbortedException();
    }

    /// <summary>The rule a FailedPrecondition refusal names: its trailer, else the start of its message ("rule: reason").</summary>
    private static string? RuleOf(RpcException ex) =>
        ex.Trailers.GetValue(RuleTrailer) ?? (ex.Status.Detail.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
            ? ex.Status.Detail[..colon]
            : null);

    private static CallOptions Options(Metadata token, CancellationToken ct) =>
        new(token, DateTime.UtcNow + CallTimeout, ct);

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private static Criterion Met(string evidence) => new() { Met = true, Evidence = evidence };

    private static DateOnly Today(TimeZoneInfo zone, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class StepAbortedException : Exception;
}
