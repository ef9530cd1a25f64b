using System.Globalization;
using System.Text;
using CrisisOps.Cli.Tokens;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Humanitarian.Grpc.V1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// The demo's fifth part, against the humanitarian support service, in aggregate figures only: first the choreography,
/// the emergency-shelter request the service opened by itself when it heard (over RabbitMQ) of part 4's overflow, which
/// the ministry then cancels since the contingency places absorbed it (so that the next overflow opens a new one); then
/// the organisations registry, the operational picture before this run, the winterisation needs of Podlaskie, a request
/// for winter blankets, the Polish Red Cross's pledge, a second partner's pledge beyond what is unpledged (refused), a
/// partial delivery, the request as a coordinator reads it, and who does what where (4W), with its HXL export.
/// </summary>
public sealed partial class DemoRunner
{
    private const int HumanitarianSteps = 12;
    private const string HumanitarianOption = "--humanitarian-endpoint";
    private const string ReceptionOverflowOrigin = "reception-overflow";
    private const string OverflowSubject = "system:reception-overflow";
    private const string ShelterItem = "Emergency shelter";
    private const string Partner = "PCK";
    private const string PartnerHxl = "Polish Red Cross";
    private const string PartnerSubject = "demo:pck-podlaskie-coordinator";
    private const string SecondPartner = "UCPM-CZ";
    private const string SecondPartnerSubject = "demo:ucpm-cz-liaison";
    private const string Item = "Winter blankets";
    private const string Unit = "pieces";
    private const int Requested = 2000;
    private const int Pledged = 1500;
    private const int SecondPledge = 600;
    private const int Delivered = 1000;
    private const string ExceedsUnpledgedRule = "pledge.exceeds-unpledged";

    /// <summary>The humanitarian service hears of the overflow over RabbitMQ, after reception's strain record: it may lag.</summary>
    private static readonly TimeSpan OverflowPropagationTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan OverflowPoll = TimeSpan.FromMilliseconds(500);

    /// <summary>Where the needs are assessed and the blankets asked for: the Podlaskie voivodeship as a whole.</summary>
    private static readonly Location Podlaskie = new() { Country = Country, Admin1Name = "Podlaskie", Admin1Pcode = "PL20" };

    private static readonly PopulationFigures NeedsFigures = new() { Affected = 4000, InNeed = 2500, Targeted = 2000, Reached = 300 };

    private static readonly VulnerableGroups NeedsVulnerable = new()
    {
        Children = 600,
        UnaccompaniedMinors = 45,
        PersonsWithDisabilities = 70,
        OlderPersons = 110,
    };

    private Metadata partner = [];
    private Metadata secondPartner = [];
    private string assistanceId = "";
    private long assistanceVersion;
    private string pledgeId = "";

    private async Task RunHumanitarianAsync(TimeZoneInfo zone, DateTimeOffset overflowAt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        partner = Bearer(minter.Mint(new TokenRequest("partner", PartnerSubject, "Polish Red Cross, Podlaskie branch", null, Partner,
            TimeSpan.FromHours(1)), now));
        secondPartner = Bearer(minter.Mint(new TokenRequest("partner", SecondPartnerSubject, "Czech civil protection liaison (UCPM)", null,
            SecondPartner, TimeSpan.FromHours(1)), now));
        var deadline = now.AddDays(7);
        DemoView.Facts(("partner tokens", $"role partner, organisation {Partner} (sub {PartnerSubject}); organisation {SecondPartner} (sub {SecondPartnerSubject})"),
            ("location", $"{Podlaskie.Admin1Name} ({Podlaskie.Admin1Pcode}), {Country}, the voivodeship as a whole; winterisation sector"),
            ("request", $"{Requested} {Unit} of {Item} by {Utc(deadline)}"),
            ("pledges", $"{Partner} {Pledged}; then {SecondPartner} {SecondPledge}, more than the {Requested - Pledged} left (refused)"),
            ("delivery", $"{Partner} delivers {Delivered} of its {Pledged}"));

        var shelter = await OverflowShelterAsync(overflowAt, ct);
        await CancelShelterAsync(shelter, ct);
        await ListOrganisationsAsync(ct);
        var before = await PictureBeforeAsync(ct);
        await AssessNeedsAsync(zone, before, ct);
        await RequestAssistanceAsync(deadline, ct);
        await PledgeAsync(ct);
        await RefusedPledgeAsync(ct);
        await DeliverAsync(ct);
        await GetAssistanceAsync(ct);
        var after = await PictureAfterAsync(before, ct);
        await ExportAsync(after, ct);
    }

    /// <summary>
    /// Reads the overflow requests until the one part 4's overflow opened appears: the humanitarian service hears of it
    /// over RabbitMQ, after reception capacity's strain assessor has recorded the region's overflow.
    /// </summary>
    private async Task<AssistanceRequestDetails> OverflowShelterAsync(DateTimeOffset overflowAt, CancellationToken ct)
    {
        var name = $"ListAssistance origin {ReceptionOverflowOrigin} until the {CentreRegion} shelter request appears (ministry)";
        var expected = $"an open Shelter request for {ShelterItem} in {CentreRegion}, opened by {OverflowSubject} after the overflow";
        DemoView.Step(++step, name);
        DemoView.Note($"as ministry: the humanitarian service hears of the overflow over RabbitMQ (ReceptionStrainChanged, scope Region); " +
            $"reading every {Seconds(OverflowPoll)} s for up to {Seconds(OverflowPropagationTimeout)} s");
        var started = clock.GetTimestamp();
        var since = overflowAt.AddSeconds(-2);
        var reads = 0;
        AssistanceRequestDetails? found;
        while (true)
        {
            reads++;
            ListAssistanceResponse response;
            try
            {
                response = await humanitarian.ListAssistanceAsync(new ListAssistanceRequest
                {
                    Country = Country,
                    Sector = Sector.Shelter,
                    Status = AssistanceStatus.Open,
                    Origin = ReceptionOverflowOrigin,
                }, Options(ministry, ct));
            }
            catch (RpcException ex)
            {
                DemoView.Refusal(ex, expected: false, HumanitarianOption);
                Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
                throw new StepAbortedException();
            }

            found = response.Requests.FirstOrDefault(r => string.Equals(r.Location.Admin1Name, CentreRegion, StringComparison.OrdinalIgnoreCase)
                && r.OpenedAt.ToDateTimeOffset() >= since);
            if (found is not null || clock.GetElapsedTime(started) >= OverflowPropagationTimeout) break;
            await Task.Delay(OverflowPoll, clock, ct);
        }

        var waited = $"after {reads} read(s) in {Seconds(clock.GetElapsedTime(started))} s";
        if (found is null) Fail(name, expected, $"no open overflow request for {CentreRegion} opened since {Utc(since)} {waited}");
        AssistanceRequestDetails details;
        try
        {
            // The same request with its history: who opened it, and why.
            details = await humanitarian.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = found.AssistanceRequestId },
                Options(ministry, ct));
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false, HumanitarianOption);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw new StepAbortedException();
        }

        DemoView.Assistance(details);
        var first = details.History.FirstOrDefault()?.Decision;
        Check(name, expected, $"{details.AssistanceRequestId}: {details.Status} {details.Sector}, {details.Requested} {details.Unit} of {details.Item}, " +
            $"deadline {Utc(details.Deadline.ToDateTimeOffset())}, by {first?.ActorSubject ?? "-"}, {waited}",
            details is { Status: AssistanceStatus.Open, Sector: Sector.Shelter, Item: ShelterItem, Origin: ReceptionOverflowOrigin, RequestedBy: "" }
            && first?.ActorSubject == OverflowSubject && details.Deadline.ToDateTimeOffset() > details.OpenedAt.ToDateTimeOffset());
        return details;
    }

    private async Task CancelShelterAsync(AssistanceRequestDetails shelter, CancellationToken ct)
    {
        const string Name = "CancelAssistance: the shelter request (the contingency places absorbed the overflow)";
        var result = await HumanitarianCallAsync(Name, "OK, cancelled", "ministry", o => humanitarian.CancelAssistanceAsync(new CancelAssistanceRequest
        {
            RequestId = NewRequestId(),
            AssistanceRequestId = shelter.AssistanceRequestId,
            ExpectedVersion = shelter.Version,
            Justification = $"The contingency places of the reception centre in Biała Podlaska took everyone in {CentreRegion}: no emergency shelter needed",
        }, o), ministry, ct);
        DemoView.Result(result);
        Check(Name, "OK, cancelled", $"version {shelter.Version} -> {result.Version}", !result.Replayed && result.Version == shelter.Version + 1);
    }

    private async Task ListOrganisationsAsync(CancellationToken ct)
    {
        const string Name = "ListOrganisations (partner " + Partner + ")";
        const string Expected = "the registry names " + Partner + " and " + SecondPartner + "; winterisation is a sector";
        var response = await HumanitarianCallAsync(Name, Expected, "partner",
            o => humanitarian.ListOrganisationsAsync(new ListOrganisationsRequest(), o), partner, ct);
        DemoView.Organisations(response, [Partner, SecondPartner]);
        var pck = response.Organisations.FirstOrDefault(o => o.Code == Partner);
        var ucpm = response.Organisations.FirstOrDefault(o => o.Code == SecondPartner);
        Check(Name, Expected, $"registry {response.RegistryVersion}: {response.Organisations.Count} organisations" +
            (pck is null ? $", no {Partner}" : $", {Partner} {pck.Name} ({pck.Type}, #org {pck.HxlOrg})") +
            (ucpm is null ? $", no {SecondPartner}" : $", {SecondPartner} ({ucpm.Type}, {ucpm.Country})") + $", {response.Sectors.Count} sectors",
            pck is { HxlOrg: PartnerHxl } && ucpm is not null && response.Sectors.Any(s => s.Sector == Sector.Winterisation));
    }

    /// <summary>The winterisation picture of the country before this run's pledges; the changes this run makes are checked against it.</summary>
    private async Task<WhoDoesWhatWhereResponse> PictureBeforeAsync(CancellationToken ct)
    {
        var name = $"WhoDoesWhatWhere {Country} winterisation before this run (partner {Partner})";
        const string Expected = "OK; every group with delivered <= pledged <= requested";
        var picture = await HumanitarianCallAsync(name, Expected, "partner",
            o => humanitarian.WhoDoesWhatWhereAsync(new OperationalPictureRequest { Country = Country, Sector = Sector.Winterisation }, o), partner, ct);
        DemoView.WhoDoesWhatWhere("who does what where, before this run", picture);
        var (activity, coverage, needs) = AtPodlaskie(picture);
        Check(name, Expected, $"{picture.Activities.Count} activities, {picture.Coverage.Count} groups asked, {picture.Needs.Count} assessments; at " +
            $"{Podlaskie.Admin1Name}: {Partner} {activity?.Pledged ?? 0} pledged / {activity?.Delivered ?? 0} delivered, {coverage?.Requested ?? 0} requested, " +
            $"needs {(needs is null ? "not assessed yet" : $"assessed on {needs.AssessedOn}")}",
            picture.Coverage.All(c => c.Delivered <= c.Pledged && c.Pledged <= c.Requested));
        return picture;
    }

    /// <summary>Records the needs of Podlaskie; an earlier run's assessment of the same place and sector is revised instead.</summary>
    private async Task AssessNeedsAsync(TimeZoneInfo zone, WhoDoesWhatWhereResponse before, CancellationToken ct)
    {
        var today = Iso(Today(zone, clock.GetUtcNow()));
        const string Source = "Demo figures (illustrative), in the pattern of autumn 2021";
        const string Justification = "Night temperatures below zero along the PL-BY border; people in need lack winter clothing and blankets";
        var held = AtPodlaskie(before).Needs;
        CommandResult result;
        string name;
        string expected;
        if (held is null)
        {
            name = $"RecordNeedsAssessment {Podlaskie.Admin1Name} winterisation (ministry)";
            expected = "OK, a new assessment at version 1";
            result = await HumanitarianCallAsync(name, expected, "ministry", o => humanitarian.RecordNeedsAssessmentAsync(new RecordNeedsAssessmentRequest
            {
                RequestId = NewRequestId(),
                Country = Country,
                Location = Podlaskie,
                Sector = Sector.Winterisation,
                Figures = NeedsFigures,
                VulnerableGroups = NeedsVulnerable,
                AssessedOn = today,
                Source = Source,
                Justification = Justification,
            }, o), ministry, ct);
        }
        else
        {
            name = $"ReviseNeedsAssessment {Podlaskie.Admin1Name} winterisation (ministry; an earlier run recorded it)";
            expected = $"OK, {held.AssessmentId} from version {held.Version} to {held.Version + 1}";
            result = await HumanitarianCallAsync(name, expected, "ministry", o => humanitarian.ReviseNeedsAssessmentAsync(new ReviseNeedsAssessmentRequest
            {
                RequestId = NewRequestId(),
                AssessmentId = held.AssessmentId,
                ExpectedVersion = held.Version,
                Figures = NeedsFigures,
                VulnerableGroups = NeedsVulnerable,
                AssessedOn = today,
                Source = Source,
                Justification = Justification,
            }, o), ministry, ct);
        }

        DemoView.Result(result);
        DemoView.Facts(("figures", $"affected {NeedsFigures.Affected}, in need {NeedsFigures.InNeed}, targeted {NeedsFigures.Targeted}, reached {NeedsFigures.Reached}"),
            ("among those in need", $"children {NeedsVulnerable.Children} (unaccompanied {NeedsVulnerable.UnaccompaniedMinors}), " +
                $"persons with disabilities {NeedsVulnerable.PersonsWithDisabilities}, older persons {NeedsVulnerable.OlderPersons}"),
            ("assessed on", today));
        Check(name, expected, $"{result.Id} version {result.Version}",
            !result.Replayed && (held is null ? result.Version == 1 : result.Id == held.AssessmentId && result.Version == held.Version + 1));
    }

    private async Task RequestAssistanceAsync(DateTimeOffset deadline, CancellationToken ct)
    {
        var name = $"RequestAssistance: {Requested} {Unit} of {Item} for {Podlaskie.Admin1Name} (ministry)";
        const string Expected = "OK, a new request at version 1";
        var result = await HumanitarianCallAsync(name, Expected, "ministry", o => humanitarian.RequestAssistanceAsync(new RequestAssistanceRequest
        {
            RequestId = NewRequestId(),
            Country = Country,
            Location = Podlaskie,
            Sector = Sector.Winterisation,
            Item = Item,
            Quantity = Requested,
            Unit = Unit,
            Deadline = Timestamp.FromDateTimeOffset(deadline),
            Justification = "Winterisation needs assessed in Podlaskie: blankets for the people in need near the border",
        }, o), ministry, ct);
        DemoView.Result(result);
        assistanceId = result.Id;
        assistanceVersion = result.Version;
        Check(name, Expected, $"request {assistanceId} version {assistanceVersion}", !result.Replayed && result.Version == 1);
    }

    private async Task PledgeAsync(CancellationToken ct)
    {
        var name = $"PledgeAssistance: {Partner} pledges {Pledged} of {Requested}";
        const string Expected = "OK, a pledge id";
        var response = await HumanitarianCallAsync(name, Expected, "partner " + Partner, o => humanitarian.PledgeAssistanceAsync(new PledgeAssistanceRequest
        {
            RequestId = NewRequestId(),
            AssistanceRequestId = assistanceId,
            Quantity = Pledged,
            Justification = "From the PCK warehouse in Białystok, convoys over the next days",
        }, o), partner, ct);
        DemoView.Result(response.Result);
        pledgeId = response.PledgeId;
        var previous = assistanceVersion;
        assistanceVersion = response.Result.Version;
        Check(name, Expected, $"{(pledgeId.Length > 0 ? pledgeId : "no pledge id")}, version {previous} -> {response.Result.Version}",
            !response.Result.Replayed && pledgeId.Length > 0 && response.Result.Version == previous + 1);
    }

    private async Task RefusedPledgeAsync(CancellationToken ct)
    {
        var unpledged = Requested - Pledged;
        await ExpectRefusalAsync($"PledgeAssistance: {SecondPartner} pledges {SecondPledge}", $"only {unpledged} unpledged: refused, never trimmed",
            ExceedsUnpledgedRule, $"as partner {SecondPartner}, request {assistanceId}", HumanitarianOption,
            o => humanitarian.PledgeAssistanceAsync(new PledgeAssistanceRequest
            {
                RequestId = NewRequestId(),
                AssistanceRequestId = assistanceId,
                Quantity = SecondPledge,
                Justification = "Camp beds and blankets offered through the EU Civil Protection Mechanism",
            }, o), secondPartner, response =>
            {
                DemoView.Result(response.Result);
                assistanceVersion = response.Result.Version;
                return $"accepted, {response.PledgeId}, version {response.Result.Version}";
            }, ($"naming the {unpledged} still unpledged", detail => detail.Contains($"{unpledged} still unpledged", StringComparison.Ordinal)), ct);
    }

    private async Task DeliverAsync(CancellationToken ct)
    {
        var name = $"RecordDelivery: {Partner} delivers {Delivered} of its {Pledged}";
        var result = await HumanitarianCallAsync(name, "OK", "partner " + Partner, o => humanitarian.RecordDeliveryAsync(new RecordDeliveryRequest
        {
            RequestId = NewRequestId(),
            AssistanceRequestId = assistanceId,
            PledgeId = pledgeId,
            Quantity = Delivered,
            Justification = "First convoys reached the municipalities of the border zone",
        }, o), partner, ct);
        DemoView.Result(result);
        var previous = assistanceVersion;
        assistanceVersion = result.Version;
        Check(name, "OK", $"version {previous} -> {result.Version}", !result.Replayed && result.Version == previous + 1);
    }

    private async Task GetAssistanceAsync(CancellationToken ct)
    {
        const string Name = "GetAssistance with its history (coordinator)";
        var expected = $"Open: {Requested} requested, {Pledged} pledged, {Delivered} delivered, {Requested - Delivered} remaining, " +
            $"{Requested - Pledged} unpledged; {Partner}'s pledge Ongoing; {assistanceVersion} history entries";
        var details = await HumanitarianCallAsync(Name, expected, "coordinator",
            o => humanitarian.GetAssistanceAsync(new GetAssistanceRequest { AssistanceRequestId = assistanceId }, o), coordinator, ct);
        DemoView.Assistance(details);
        var pledge = details.Pledges.FirstOrDefault(p => p.PledgeId == pledgeId);
        var figures = details is { Status: AssistanceStatus.Open, Requested: Requested, Pledged: Pledged, Delivered: Delivered, Origin: "ministry" }
            && details.Remaining == Requested - Delivered && details.Unpledged == Requested - Pledged;
        Check(Name, expected, $"{details.Status}: {details.Requested} requested, {details.Pledged} pledged, {details.Delivered} delivered, " +
            $"{details.Remaining} remaining, {details.Unpledged} unpledged; " +
            (pledge is null ? $"no pledge {pledgeId}" : $"{pledge.Organisation}'s pledge {pledge.Status}") + $"; {details.History.Count} history entries",
            figures && pledge is { Organisation: Partner, Pledged: Pledged, Delivered: Delivered, Status: ActivityStatus.Ongoing }
            && details.Version == assistanceVersion && details.History.Count == assistanceVersion);
    }

    /// <summary>The 4W picture after this run: what the run added to Podlaskie, against the picture read before it.</summary>
    private async Task<WhoDoesWhatWhereResponse> PictureAfterAsync(WhoDoesWhatWhereResponse before, CancellationToken ct)
    {
        var name = $"WhoDoesWhatWhere {Country} winterisation (coordinator)";
        var (a0, c0, _) = AtPodlaskie(before);
        var expected = $"at {Podlaskie.Admin1Name}, {Item}: {Partner} +{Pledged} pledged, +{Delivered} delivered (Ongoing); asked +{Requested}; " +
            "the needs as assessed";
        var picture = await HumanitarianCallAsync(name, expected, "coordinator",
            o => humanitarian.WhoDoesWhatWhereAsync(new OperationalPictureRequest { Country = Country, Sector = Sector.Winterisation }, o), coordinator, ct);
        DemoView.WhoDoesWhatWhere("who does what where (4W)", picture);
        var (a1, c1, n1) = AtPodlaskie(picture);
        var actual = (a1 is null ? $"no {Partner} activity" : $"{Partner} {a1.Pledged} pledged (+{a1.Pledged - (a0?.Pledged ?? 0)}), " +
                $"{a1.Delivered} delivered (+{a1.Delivered - (a0?.Delivered ?? 0)}), {a1.Status}") +
            (c1 is null ? "; nothing asked" : $"; asked {c1.Requested} (+{c1.Requested - (c0?.Requested ?? 0)}), {c1.Remaining} remaining, " +
                $"{c1.OpenRequests} open request(s)") +
            (n1 is null ? "; no needs" : $"; needs: {n1.Figures.InNeed} in need, {n1.Figures.Targeted} targeted, recorded for {n1.RecordedFor}");
        Check(name, expected, actual, a1 is not null && c1 is not null && n1 is not null
            && a1.Pledged - (a0?.Pledged ?? 0) == Pledged && a1.Delivered - (a0?.Delivered ?? 0) == Delivered && a1.Status == ActivityStatus.Ongoing
            && c1.Requested - (c0?.Requested ?? 0) == Requested && c1.Pledged - (c0?.Pledged ?? 0) == Pledged
            && c1.Delivered - (c0?.Delivered ?? 0) == Delivered
            && n1.Figures.Equals(NeedsFigures) && n1.VulnerableGroups is not null && n1.VulnerableGroups.Equals(NeedsVulnerable));
        return picture;
    }

    /// <summary>The same picture as HXL-tagged CSV: the partner's row must carry the figures the 4W picture holds.</summary>
    private async Task ExportAsync(WhoDoesWhatWhereResponse picture, CancellationToken ct)
    {
        var name = $"ExportOperationalPicture {Country} winterisation, HXL CSV (coordinator)";
        var activity = AtPodlaskie(picture).Activity!;
        var expected = $"headers, then HXL hashtags, then a row: {PartnerHxl}, {Item}, {activity.Pledged} pledged, {activity.Delivered} delivered";
        var export = await HumanitarianCallAsync(name, expected, "coordinator", o => humanitarian.ExportOperationalPictureAsync(
            new ExportOperationalPictureRequest { Country = Country, Sector = Sector.Winterisation }, o), coordinator, ct);
        var lines = export.Csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var tags = lines.Length > 1 ? CsvFields(lines[1]) : [];
        int Column(string tag) => Array.IndexOf(tags, tag);
        var row = lines.Skip(2).Select(CsvFields).FirstOrDefault(f => Field(f, Column("#org")) == PartnerHxl && Field(f, Column("#activity")) == Item
            && Field(f, Column("#adm1+code")) == Podlaskie.Admin1Pcode);
        DemoView.Facts(("file", $"{export.FileName} ({export.MediaType}), {export.Rows} data row(s), {export.CsvUtf8.Length} bytes"),
            ("headers", lines.Length > 0 ? lines[0] : "-"), ("HXL hashtags", lines.Length > 1 ? lines[1] : "-"),
            ("the partner's row", row is null ? "-" : string.Join(",", row)));
        var pledged = Field(row, Column("#output+pledged"));
        var delivered = Field(row, Column("#output+delivered"));
        Check(name, expected, row is null
                ? $"{export.Rows} data row(s), none for {PartnerHxl} / {Item} / {Podlaskie.Admin1Pcode}"
                : $"{export.Rows} data row(s); {PartnerHxl}, {Item}: {pledged} pledged, {delivered} delivered, status {Field(row, Column("#status"))}",
            tags.FirstOrDefault() == "#org" && row is not null
            && pledged == activity.Pledged.ToString(CultureInfo.InvariantCulture) && delivered == activity.Delivered.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The partner's activity, the coverage and the needs of the demo's item at Podlaskie in a 4W picture (each may be absent).</summary>
    private static (Activity? Activity, Coverage? Coverage, NeedsAssessment? Needs) AtPodlaskie(WhoDoesWhatWhereResponse picture) =>
        (picture.Activities.FirstOrDefault(a => IsPodlaskie(a.Location) && a.Item == Item && a.Unit == Unit
            && string.Equals(a.Organisation, Partner, StringComparison.OrdinalIgnoreCase)),
         picture.Coverage.FirstOrDefault(c => IsPodlaskie(c.Location) && c.Item == Item && c.Unit == Unit),
         picture.Needs.FirstOrDefault(n => IsPodlaskie(n.Location) && n.Sector == Sector.Winterisation));

    /// <summary>The same place as the service matches it: country, P-code, and no place name (the region as a whole).</summary>
    private static bool IsPodlaskie(Location l) =>
        l.Country == Country && string.Equals(l.Admin1Pcode, Podlaskie.Admin1Pcode, StringComparison.OrdinalIgnoreCase) && l.Name.Length == 0;

    /// <summary>The fields of one RFC 4180 line (quoted fields may hold commas and doubled quotes).</summary>
    private static string[] CsvFields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted && ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (ch == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(ch);
            }
        }

        fields.Add(field.ToString());
        return [.. fields];
    }

    private static string Field(string[]? fields, int index) => fields is not null && index >= 0 && index < fields.Length ? fields[index] : "";

    /// <summary>A call to the humanitarian service: prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private Task<T> HumanitarianCallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct) =>
        StepAsync(name, expected, assistanceId.Length > 0 ? $"as {who}, request version read last: {assistanceVersion}" : $"as {who}",
            HumanitarianOption, call, token, ct);
}
