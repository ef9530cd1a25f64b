using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CrisisOps.Cli.Tokens;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Declaration.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// A short sample crisis, replayed through the public API: the Polish-Belarusian border pattern of 2021 (indicators,
/// declaration, an emergency under Art. 230 of the Polish Constitution, its one lawful extension, a second extension the
/// service must refuse, escalation), then the history a coordinator reads. Dates run from today, because the service
/// judges emergencies on its own clock: the 2021 dates would have expired at once.
/// </summary>
public sealed class DemoRunner(CrisisDeclaration.CrisisDeclarationClient client, TokenMinter minter, TimeProvider clock, Uri endpoint)
{
    /// <summary>Trailer naming the legal rule of a FailedPrecondition refusal.</summary>
    public const string RuleTrailer = "crisisops-rule";

    /// <summary>Trailer naming the request field of an InvalidArgument refusal.</summary>
    public const string FieldTrailer = "crisisops-field";

    private const int StepCount = 10;
    private const string Country = "PL";
    private const string Section = "PL-BY";
    private const string LegalBasis = "PL-CONST-230";
    private const string ExpectedRefusalRule = "emergency.extension.count";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly List<StepOutcome> outcomes = [];
    private Metadata ministry = [];
    private Metadata coordinator = [];
    private string crisisId = "";
    private long version;
    private int step;

    /// <summary>Runs every step; true when each had its expected outcome.</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        ministry = Bearer(minter.Mint(new TokenRequest("ministry", "demo:pl-moi-duty-officer", "Duty officer, PL MoI",
            Country, "Ministry of Interior and Administration", TimeSpan.FromHours(1)), now));
        coordinator = Bearer(minter.Mint(new TokenRequest("coordinator", "demo:blueprint-coordinator", "Blueprint network coordinator",
            null, null, TimeSpan.FromHours(1)), now));
        DemoView.Facts(("endpoint", endpoint.ToString()),
            ("ministry token", "role ministry, country PL, sub demo:pl-moi-duty-officer"),
            ("coordinator token", "role coordinator, sub demo:blueprint-coordinator"));

        try
        {
            var zone = await ListLegalBasesAsync(ct);
            await RecordIndicatorAsync(IndicatorGroup.Intent, "hostile narratives",
                "State media frame the movement of migrants towards the EU as retaliation for sanctions", "open-source monitoring cell", ct);
            await RecordIndicatorAsync(IndicatorGroup.Potential, "visa liberalisation for 73 countries",
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

    private async Task RecordIndicatorAsync(IndicatorGroup group, string kind, string evidence, string source, CancellationToken ct)
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
        var name = $"ExtendEmergency again to {Iso(newEnd)}";
        var expected = $"{StatusCode.FailedPrecondition} ({ExpectedRefusalRule})";
        DemoView.Step(++step, name + " (the law allows one extension: the service must refuse)");
        DemoView.Note("as ministry, expected_version " + version.ToString(CultureInfo.InvariantCulture));
        try
        {
            var result = await client.ExtendEmergencyAsync(new ExtendEmergencyRequest
            {
                RequestId = NewRequestId(),
                CrisisId = crisisId,
                ExpectedVersion = version,
                NewEndDate = Iso(newEnd),
                Justification = "Pressure at the border continues",
                ConsentReference = "Sejm resolution (second request)",
            }, Options(ministry, ct));
            DemoView.Result(result);
            version = result.Version;
            Check(name, expected, $"accepted, version {result.Version}", false);
        }
        catch (RpcException ex) when (ex.StatusCode is not (StatusCode.Cancelled or StatusCode.Unavailable or StatusCode.DeadlineExceeded))
        {
            var rule = ex.Trailers.GetValue(RuleTrailer);
            var asExpected = ex.StatusCode == StatusCode.FailedPrecondition && (rule is null || rule == ExpectedRefusalRule);
            DemoView.Refusal(ex, asExpected);
            Check(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}", asExpected);
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
        }
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

    /// <summary>Prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private async Task<T> CallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct)
    {
        DemoView.Step(++step, name);
        DemoView.Note(version > 0 && crisisId.Length > 0 ? $"as {who}, crisis version read last: {version}" : $"as {who}");
        try
        {
            return await call(Options(token, ct));
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false);
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

    private static CallOptions Options(Metadata token, CancellationToken ct) =>
        new(token, DateTime.UtcNow + CallTimeout, ct);

    private static Metadata Bearer(string token) => new() { { "authorization", "Bearer " + token } };

    private static string NewRequestId() => Guid.NewGuid().ToString();

    private static Criterion Met(string evidence) => new() { Met = true, Evidence = evidence };

    private static DateOnly Today(TimeZoneInfo zone, DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private sealed class StepAbortedException : Exception;
}
