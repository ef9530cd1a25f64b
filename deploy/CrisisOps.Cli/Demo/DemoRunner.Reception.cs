using System.Globalization;
using System.Text.Json;
using CrisisOps.Common.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using Grpc.Core;

namespace CrisisOps.Cli.Demo;

/// <summary>
/// The demo's fourth part, against the reception capacity service, in aggregate counts only (never a person): a
/// registration point at the Kuźnica crossing and the reception centre in Biała Podlaska with a contingency plan; arrivals
/// that strain the centre, which the service's strain assessor records for the region (it hears them over RabbitMQ, and
/// its record is published as <c>ReceptionStrainChanged</c>); an arrival burst refused for lack of places, with where to
/// go instead; what fits, which tips the region into overflow; the contingency plan, which makes room for the rest; the
/// capacity picture; then the wind-down (everyone has moved on, both facilities closed), so that the next run finds the
/// region as this one did.
/// </summary>
public sealed partial class DemoRunner
{
    private const int ReceptionSteps = 15;
    private const string ReceptionOption = "--reception-endpoint";
    private const string PointRegion = "PL-PD";
    private const string CentreRegion = "PL-LU";
    private const string PointName = "Kuźnica crossing, Border Guard registration point (demo)";
    private const string CentreName = "Biała Podlaska reception centre for foreigners (demo)";
    private const string PlanCode = "winter-2021";
    private const string CapacityRule = "reception.capacity";
    private const string RegionStrainEvent = "region_strain_changed";
    private const string StrainStreamPrefix = "strain-";

    /// <summary>The strain assessor hears of arrivals over RabbitMQ: its record of the region may lag.</summary>
    private static readonly TimeSpan StrainPropagationTimeout = TimeSpan.FromSeconds(30);

    private static readonly JsonSerializerOptions EventJson = new(JsonSerializerDefaults.Web);

    // The centre: 100 places; 86 arrive (86%, strained); a burst of 29 finds 14 free (refused); the 14 that fit fill it
    // (overflow); the contingency plan adds 30 places; the other 15 of the burst then come in (115 of 130, strained).
    private static readonly Places CentreCapacity = new() { General = 60, Families = 30, UnaccompaniedMinors = 6, SpecialNeeds = 4 };
    private static readonly Places FirstArrivals = new() { General = 52, Families = 24, UnaccompaniedMinors = 6, SpecialNeeds = 4 };
    private static readonly Places Burst = new() { General = 20, Families = 9 };
    private static readonly Places WhatFits = new() { General = 8, Families = 6 };
    private static readonly Places Reserve = new() { General = 20, Families = 10 };
    private static readonly Places RestOfBurst = new() { General = 12, Families = 3 };
    private static readonly Places PointCapacity = new() { General = 30, Families = 10 };

    private string pointId = "";
    private long pointDecisionVersion;
    private string centreId = "";
    private long centreDecisionVersion;

    /// <summary>Runs part 4; returns when the demo's arrivals tipped the centre's region into overflow (for part 5).</summary>
    private async Task<DateTimeOffset> RunReceptionAsync(CancellationToken ct)
    {
        DemoView.Facts(("registration point", $"{PointName}: region {PointRegion}, border section {Section}, designated crossing point, " +
                $"{Describe(PointCapacity)} places"),
            ("reception centre", $"{CentreName}: region {CentreRegion}, {Describe(CentreCapacity)} places; contingency plan " +
                $"'{PlanCode}' of {Describe(Reserve)} places in reserve"),
            ("arrivals at the centre", $"{Describe(FirstArrivals)}, then a burst of {Describe(Burst)}"),
            ("thresholds", "strained from 85% occupied, overflow at 100% (the service's defaults)"));

        await using var watch = await WatchRegionAsync(ct);
        await RegisterPointAsync(ct);
        await RegisterCentreAsync(ct);
        await DeclarePlanAsync(ct);
        await CentreArrivalsAsync($"ReportArrivals at the centre: {Describe(FirstArrivals)}", "OK, 86 of 100 occupied (86%): Strained",
            FirstArrivals, "morning count", f => f is { Strain: StrainLevel.Strained, Status: FacilityStatus.Open, OccupancyRate: >= 0.85 }
                && f.Occupied.Sum() == 86 && f.Capacity.Sum() == 100, ct);
        await RegionStrainAsync(watch, StrainLevel.Strained, ct);
        await RefusedBurstAsync(ct);
        var overflowAt = clock.GetUtcNow();
        await CentreArrivalsAsync($"ReportArrivals at the centre: what fits, {Describe(WhatFits)}", "OK, 100 of 100 occupied: Full, Overflow",
            WhatFits, "the part of the burst that fits", f => f is { Strain: StrainLevel.Overflow, Status: FacilityStatus.Full }
                && f.Occupied.Sum() == 100 && f.Free.Sum() == 0, ct);
        await RegionStrainAsync(watch, StrainLevel.Overflow, ct);
        await ActivatePlanAsync(ct);
        await CentreArrivalsAsync($"ReportArrivals at the centre: the rest of the burst, {Describe(RestOfBurst)}",
            "OK, 115 of 130 occupied (88%): Strained", RestOfBurst, "the rest of the burst, once the reserve places are open",
            f => f is { Strain: StrainLevel.Strained, Status: FacilityStatus.Open } && f.Occupied.Sum() == 115 && f.Capacity.Sum() == 130, ct);
        await CapacityPictureAsync(ct);
        await DepartAllAsync(ct);
        await CloseAsync("CloseFacility: the reception centre", centreId, () => centreDecisionVersion, v => centreDecisionVersion = v,
            "Everyone has moved on; the centre stands down, its contingency places with it", ct);
        await CloseAsync("CloseFacility: the registration point", pointId, () => pointDecisionVersion, v => pointDecisionVersion = v,
            "Prepared for reopening; the demo leaves the border regions as it found them", ct);
        return overflowAt;
    }

    /// <summary>
    /// Opens the coordinator's live view of the centre's region before anything is reported, so that no recorded change
    /// is missed; the starting picture must show no open facility there (an earlier run closes its own), or the region's
    /// figures would not be this run's.
    /// </summary>
    private async Task<CapacityWatch> WatchRegionAsync(CancellationToken ct)
    {
        var name = $"WatchCapacity {Country} / {CentreRegion} (coordinator): the starting picture";
        var expected = $"no open facility in {CentreRegion}: the region's figures will be this run's";
        DemoView.Step(++step, name);
        DemoView.Note("as coordinator: a server stream, kept open for this part; each recorded change arrives on it");
        CapacityWatch watch;
        try
        {
            watch = await CapacityWatch.StartAsync(reception, new WatchCapacityRequest { Country = Country, Region = CentreRegion }, coordinator, ct);
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false, ReceptionOption);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw new StepAbortedException();
        }

        DemoView.CapacityPicture(watch.Start, [CentreRegion]);
        var region = watch.Start.Regions.FirstOrDefault(r => r.Area == CentreRegion);
        var open = region is null ? 0 : region.OpenFacilities + region.FullFacilities;
        var actual = region is null
            ? $"no facility in {CentreRegion} yet"
            : $"{CentreRegion}: {open} open, {region.ClosedFacilities} closed facilities, {region.Occupied} occupied, {region.Strain}";
        if (open > 0)
        {
            await watch.DisposeAsync();
            Fail(name, expected, actual + $" (an earlier run did not finish: deploy/run.sh --reset starts from empty stores)");
        }

        Pass(name, expected, actual);
        return watch;
    }

    private async Task RegisterPointAsync(CancellationToken ct)
    {
        var name = $"RegisterFacility: registration point at the Kuźnica crossing ({PointRegion})";
        const string Expected = "OK, a new facility (with its registration-point status, for the legal measures service)";
        var result = await ReceptionCallAsync(name, Expected, "ministry", o => reception.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            RequestId = NewRequestId(),
            Name = PointName,
            Kind = FacilityKind.RegistrationPoint,
            Country = Country,
            Region = PointRegion,
            BorderSection = Section,
            DesignatedCrossingPoint = true,
            Capacity = PointCapacity,
            Status = FacilityStatus.Open,
            Justification = "Designated crossing point where applications for international protection can be lodged",
        }, o), ministry, ct);
        DemoView.Result(result);
        pointId = result.Id;
        pointDecisionVersion = result.Version;
        Check(name, Expected, $"facility {pointId} version {result.Version}", !result.Replayed && result.Version >= 1);
    }

    private async Task RegisterCentreAsync(CancellationToken ct)
    {
        var name = $"RegisterFacility: reception centre in Biała Podlaska ({CentreRegion}), {CentreCapacity.Sum()} places";
        const string Expected = "OK, a new facility at version 1";
        var result = await ReceptionCallAsync(name, Expected, "ministry", o => reception.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            RequestId = NewRequestId(),
            Name = CentreName,
            Kind = FacilityKind.ReceptionCentre,
            Country = Country,
            Region = CentreRegion,
            Capacity = CentreCapacity,
            Status = FacilityStatus.Open,
            Justification = "Open reception centre of the Office for Foreigners for applicants transferred from the PL-BY border",
        }, o), ministry, ct);
        DemoView.Result(result);
        centreId = result.Id;
        centreDecisionVersion = result.Version;
        Check(name, Expected, $"facility {centreId} version {result.Version}", !result.Replayed && result.Version == 1);
    }

    private async Task DeclarePlanAsync(CancellationToken ct)
    {
        var name = $"DeclareContingencyPlan '{PlanCode}' at the centre: {Describe(Reserve)} places in reserve";
        var result = await ReceptionCallAsync(name, "OK", "ministry", o => reception.DeclareContingencyPlanAsync(new DeclareContingencyPlanRequest
        {
            RequestId = NewRequestId(),
            FacilityId = centreId,
            ExpectedVersion = centreDecisionVersion,
            PlanCode = PlanCode,
            Name = "Heated tents and the sports hall, winter 2021",
            Reserve = Reserve,
            Justification = "Reserve places prepared in advance, for arrivals beyond the centre's capacity",
        }, o), ministry, ct);
        AdvanceCentre(name, result);
    }

    /// <summary>Reports arrivals at the centre; <paramref name="figures"/> is what its figures must be right after.</summary>
    private async Task CentreArrivalsAsync(string name, string expected, Places people, string note, Func<FacilityFigures, bool> figures,
        CancellationToken ct)
    {
        var response = await ReceptionCallAsync(name, expected, "ministry", o => reception.ReportArrivalsAsync(new MovementRequest
        {
            RequestId = NewRequestId(),
            FacilityId = centreId,
            People = people,
            Note = note,
        }, o), ministry, ct);
        DemoView.Result(response.Result);
        DemoView.FacilityFigures(CentreName, response.Figures);
        Check(name, expected, FiguresText(response.Figures), !response.Result.Replayed && figures(response.Figures));
    }

    /// <summary>
    /// Waits on the live view for the region's strain record to reach <paramref name="level"/>: the strain assessor
    /// records it after hearing of the arrivals over RabbitMQ, and the record is then published as ReceptionStrainChanged.
    /// </summary>
    private async Task RegionStrainAsync(CapacityWatch watch, StrainLevel level, CancellationToken ct)
    {
        var name = $"WatchCapacity: region {CentreRegion} recorded {level} (coordinator)";
        var expected = $"{RegionStrainEvent} to {level} within {Seconds(StrainPropagationTimeout)} s, published as ReceptionStrainChanged (scope Region)";
        DemoView.Step(++step, name);
        DemoView.Note($"as coordinator: the strain assessor hears of the arrivals over RabbitMQ; waiting on the live view for up to " +
            $"{Seconds(StrainPropagationTimeout)} s");
        var started = clock.GetTimestamp();
        StreamChange? change;
        try
        {
            change = await watch.WaitForAsync(c => IsRegionStrain(c, level), StrainPropagationTimeout, ct);
        }
        catch (RpcException ex)
        {
            DemoView.Refusal(ex, expected: false, ReceptionOption);
            Fail(name, expected, $"{ex.StatusCode}: {ex.Status.Detail}");
            throw new StepAbortedException();
        }

        DemoView.StreamChanges(watch.Seen.Where(c => c.StreamId.StartsWith(StrainStreamPrefix, StringComparison.Ordinal)).ToList());
        if (change is null) Fail(name, expected, $"not recorded after {Seconds(clock.GetElapsedTime(started))} s");
        Pass(name, expected, $"\"{change.Entry.Summary}\", {change.StreamId} version {change.Entry.Version}, seen after " +
            $"{Seconds(clock.GetElapsedTime(started))} s");
    }

    private async Task RefusedBurstAsync(CancellationToken ct)
    {
        var request = new MovementRequest { RequestId = NewRequestId(), FacilityId = centreId, People = Burst, Note = "a group brought from the border" };
        var says = $"naming the free places and where to go instead (region {CentreRegion})";
        await ExpectRefusalAsync($"ReportArrivals at the centre: a burst of {Describe(Burst)}", "more than the 14 free places: refused, nothing recorded",
            CapacityRule, $"as ministry: {Describe(Burst)} against free places of general 8, families 6", ReceptionOption,
            o => reception.ReportArrivalsAsync(request, o), ministry, response =>
            {
                DemoView.FacilityFigures(CentreName, response.Figures);
                return $"accepted: {FiguresText(response.Figures)}";
            }, (says, detail => detail.Contains("free places left", StringComparison.Ordinal)
                && detail.Contains($"region {CentreRegion}", StringComparison.Ordinal)), ct);
    }

    private async Task ActivatePlanAsync(CancellationToken ct)
    {
        var name = $"ActivateContingencyPlan '{PlanCode}': +{Reserve.Sum()} places";
        var result = await ReceptionCallAsync(name, "OK", "ministry", o => reception.ActivateContingencyPlanAsync(new ContingencyDecisionRequest
        {
            RequestId = NewRequestId(),
            FacilityId = centreId,
            ExpectedVersion = centreDecisionVersion,
            PlanCode = PlanCode,
            LegalBasis = "Decision of the Head of the Office for Foreigners (demo)",
            Justification = $"The centre is full and no open facility of {CentreRegion} has room: the reserve places open",
        }, o), ministry, ct);
        AdvanceCentre(name, result);
    }

    private async Task CapacityPictureAsync(CancellationToken ct)
    {
        var name = $"GetCapacityPicture {Country} (coordinator)";
        var expected = $"{CentreRegion} Strained, 115 of 130 places ({Reserve.Sum()} contingency); the registration point open in {PointRegion}";
        var picture = await ReceptionCallAsync(name, expected, "coordinator",
            o => reception.GetCapacityPictureAsync(new GetCapacityPictureRequest { Country = Country }, o), coordinator, ct);
        DemoView.CapacityPicture(picture, [CentreRegion, PointRegion]);
        var region = picture.Regions.FirstOrDefault(r => r.Area == CentreRegion);
        var point = picture.Facilities.FirstOrDefault(f => f.FacilityId == pointId);
        var actual = (region is null ? $"no {CentreRegion}" : $"{CentreRegion} {region.Strain}, {region.Occupied} of {region.Capacity} places " +
            $"({region.Categories.Sum(c => c.Contingency)} contingency)") +
            (point is null ? "; the registration point is not listed" : $"; registration point {point.Figures.Status}, " +
            $"lodges asylum applications: {(point.LodgesAsylumApplications ? "yes" : "no")}") +
            $"; national {picture.National.Occupied} of {picture.National.Capacity}, {picture.National.Strain}";
        Check(name, expected, actual, region is { Strain: StrainLevel.Strained, Occupied: 115, Capacity: 130 }
            && region.Categories.Sum(c => c.Contingency) == Reserve.Sum()
            && point is { Figures.Status: FacilityStatus.Open, LodgesAsylumApplications: true, Region: PointRegion });
    }

    private async Task DepartAllAsync(CancellationToken ct)
    {
        var people = FirstArrivals.Plus(WhatFits).Plus(RestOfBurst);
        var name = $"ReportDepartures from the centre: {Describe(people)}";
        const string Expected = "OK, 0 occupied: Normal";
        var response = await ReceptionCallAsync(name, Expected, "ministry", o => reception.ReportDeparturesAsync(new MovementRequest
        {
            RequestId = NewRequestId(),
            FacilityId = centreId,
            People = people,
            Note = "moved on: transferred to other centres or left the procedure (aggregate count)",
        }, o), ministry, ct);
        DemoView.Result(response.Result);
        DemoView.FacilityFigures(CentreName, response.Figures);
        Check(name, Expected, FiguresText(response.Figures),
            !response.Result.Replayed && response.Figures is { Strain: StrainLevel.Normal } && response.Figures.Occupied.Sum() == 0);
    }

    private async Task CloseAsync(string name, string facilityId, Func<long> decisionVersion, Action<long> read, string justification,
        CancellationToken ct)
    {
        const string Expected = "OK, closed (it offers no places any more)";
        var previous = decisionVersion();
        var result = await StepAsync(name, Expected, $"as ministry, facility {facilityId}, decision version read last: {previous}", ReceptionOption,
            o => reception.CloseFacilityAsync(new FacilityDecisionRequest
            {
                RequestId = NewRequestId(),
                FacilityId = facilityId,
                ExpectedVersion = previous,
                Justification = justification,
            }, o), ministry, ct);
        DemoView.Result(result);
        read(result.Version);
        Check(name, Expected, $"decision version {previous} -> {result.Version}", !result.Replayed && result.Version > previous);
    }

    private void AdvanceCentre(string name, CommandResult result)
    {
        DemoView.Result(result);
        var previous = centreDecisionVersion;
        centreDecisionVersion = result.Version;
        Check(name, "OK", $"decision version {previous} -> {result.Version}", !result.Replayed && result.Version > previous);
    }

    /// <summary>A call to the reception service: prints the step, makes the call; a refusal is printed and recorded, and aborts the demo.</summary>
    private Task<T> ReceptionCallAsync<T>(string name, string expected, string who, Func<CallOptions, AsyncUnaryCall<T>> call,
        Metadata token, CancellationToken ct) =>
        StepAsync(name, expected, centreId.Length > 0 ? $"as {who}, centre decision version read last: {centreDecisionVersion}" : $"as {who}",
            ReceptionOption, call, token, ct);

    /// <summary>The region's strain record (stream <c>strain-{country}</c>) reaching <paramref name="level"/>.</summary>
    private static bool IsRegionStrain(StreamChange change, StrainLevel level)
    {
        if (change.StreamId != StrainStreamPrefix + Country || change.Entry.EventType != RegionStrainEvent) return false;
        using var data = JsonDocument.Parse(change.Entry.DataJson);
        var root = data.RootElement;
        return root.TryGetProperty("region", out var region) && region.GetString() == CentreRegion
            && root.TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.String
            && string.Equals(to.GetString(), level.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    private static string FiguresText(FacilityFigures f) =>
        $"{f.Occupied.Sum()} of {f.Capacity.Sum()} occupied ({Percent(f.OccupancyRate)}): {f.Status}, {f.Strain}; free {Describe(f.Free)}";

    private static string Percent(double rate) => rate.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>"52 general, 24 families, ..." (the categories counted).</summary>
    private static string Describe(Places p)
    {
        var parts = new[] { (p.General, "general"), (p.Families, "families"), (p.UnaccompaniedMinors, "unaccompanied minors"), (p.SpecialNeeds, "special needs") }
            .Where(x => x.Item1 != 0).Select(x => $"{x.Item1} {x.Item2}").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }

    /// <summary>
    /// The coordinator's live view of a country's reception capacity (WatchCapacity), read in the background: the changes
    /// recorded after it opened, for the demo to wait on with a bound.
    /// </summary>
    private sealed class CapacityWatch : IAsyncDisposable
    {
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

        private readonly CancellationTokenSource stop;
        private readonly AsyncServerStreamingCall<CapacityChange> call;
        private readonly List<StreamChange> seen = [];
        private Task reading = Task.CompletedTask;

        private CapacityWatch(CancellationTokenSource stop, AsyncServerStreamingCall<CapacityChange> call, CapacityPicture start)
        {
            this.stop = stop;
            this.call = call;
            Start = start;
        }

        /// <summary>The picture the watch opened with.</summary>
        public CapacityPicture Start { get; }

        /// <summary>Every change seen so far, in the order received.</summary>
        public IReadOnlyList<StreamChange> Seen
        {
            get
            {
                lock (seen) return [.. seen];
            }
        }

        /// <summary>Opens the watch and reads its starting picture: from then on the service sends every change it records.</summary>
        public static async Task<CapacityWatch> StartAsync(ReceptionCapacity.ReceptionCapacityClient client, WatchCapacityRequest request,
            Metadata token, CancellationToken ct)
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var call = client.WatchCapacity(request, new CallOptions(token, cancellationToken: stop.Token));
            try
            {
                using var first = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                first.CancelAfter(CallTimeout);
                if (!await call.ResponseStream.MoveNext(first.Token))
                    throw new RpcException(new Status(StatusCode.Unknown, "the watch ended before its starting picture"));
                var watch = new CapacityWatch(stop, call, call.ResponseStream.Current.Picture);
                watch.reading = watch.ReadAsync();
                return watch;
            }
            catch
            {
                call.Dispose();
                stop.Dispose();
                throw;
            }
        }

        /// <summary>The first change seen that matches, waiting up to <paramref name="timeout"/>; null if none came.</summary>
        public async Task<StreamChange?> WaitForAsync(Func<StreamChange, bool> match, TimeSpan timeout, CancellationToken ct)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(timeout);
            while (true)
            {
                if (Seen.FirstOrDefault(match) is { } found) return found;
                // A watch that ended (refused, or the service went away) says why.
                if (reading.IsFaulted) await reading;
                try
                {
                    await Task.Delay(Poll, bound.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return Seen.FirstOrDefault(match);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            try
            {
                await reading;
            }
            catch (Exception ex) when (ex is RpcException or OperationCanceledException)
            {
                // Cancelled by this disposal, or already ended: nothing more to read.
            }

            call.Dispose();
            stop.Dispose();
        }

        private async Task ReadAsync()
        {
            try
            {
                while (await call.ResponseStream.MoveNext(stop.Token))
                {
                    lock (seen) seen.AddRange(call.ResponseStream.Current.Changes);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                // Closed by DisposeAsync.
            }
        }
    }
}

/// <summary>Sums and additions of reception counts, for the demo's arithmetic.</summary>
internal static class PlacesArithmetic
{
    public static int Sum(this Places p) => p.General + p.Families + p.UnaccompaniedMinors + p.SpecialNeeds;

    public static Places Plus(this Places p, Places q) => new()
    {
        General = p.General + q.General,
        Families = p.Families + q.Families,
        UnaccompaniedMinors = p.UnaccompaniedMinors + q.UnaccompaniedMinors,
        SpecialNeeds = p.SpecialNeeds + q.SpecialNeeds,
    };
}
