extern alias service;
using System.Diagnostics;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Xunit;
using Xunit.Abstractions;
using static CrisisOps.Reception.IntegrationTests.Requests;
using static CrisisOps.Testing.RunningService;
using Domain = service::CrisisOps.Reception.Facilities;

namespace CrisisOps.Reception.IntegrationTests;

/// <summary>Places are never overbooked, whatever arrives at the same moment.</summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocationTests(StackFixture stack, ITestOutputHelper output) : IAsyncLifetime
{
    private RunningService _service = null!;

    public async Task InitializeAsync() => _service = await stack.StartReceptionAsync(TestSettings.NewSchema("rc_alloc"));

    public async Task DisposeAsync() => await _service.DisposeAsync();

    [Fact]
    public async Task A_thousand_simultaneous_arrival_reports_against_500_free_places_accept_exactly_500_and_refuse_500_with_the_reason()
    {
        var api = StackFixture.Client(_service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var region = NewRegion("PL");
        var facility = (await api.RegisterFacilityAsync(Facility("PL", region, General(500), "Białystok reception centre"), poland)).Id;
        var neighbour = (await api.RegisterFacilityAsync(Facility("PL", region, General(300), "Bezwola reception centre"), poland)).Id;

        // One person per report, all sent at once on one channel (HTTP/2 multiplexes them; the server queues per facility).
        var clock = Stopwatch.StartNew();
        var reports = await Task.WhenAll(Enumerable.Range(0, 1000).Select(async i =>
        {
            try
            {
                return (Accepted: await api.ReportArrivalsAsync(People(facility, General(1)), poland), Refused: (RpcException?)null);
            }
            catch (RpcException refused)
            {
                return (Accepted: (MovementResponse?)null, Refused: refused);
            }
        }));
        clock.Stop();
        output.WriteLine($"1,000 simultaneous arrival reports against 500 free places: {clock.ElapsedMilliseconds} ms ({1000 / clock.Elapsed.TotalSeconds:F0} reports/s)");

        var accepted = reports.Where(r => r.Accepted is not null).Select(r => r.Accepted!).ToList();
        var refused = reports.Where(r => r.Refused is not null).Select(r => r.Refused!).ToList();
        Assert.Equal(500, accepted.Count);
        Assert.Equal(500, refused.Count);
        Assert.All(refused, r =>
        {
            Assert.Equal(StatusCode.FailedPrecondition, r.StatusCode);
            Assert.StartsWith("reception.capacity:", r.Status.Detail, StringComparison.Ordinal);
            Assert.Contains("1 general reported, 0 free", r.Status.Detail, StringComparison.Ordinal);
            Assert.Contains($"Bezwola reception centre ({neighbour}) 300 general", r.Status.Detail, StringComparison.Ordinal);
            Assert.Equal("reception.capacity", r.Trailers.GetValue("crisisops-rule"));
        });
        // Every accepted report saw a different occupancy: no two were given the same place.
        Assert.Equal(Enumerable.Range(1, 500), accepted.Select(a => a.Figures.Occupied.General).Order());

        var details = await api.GetFacilityAsync(new GetFacilityRequest { FacilityId = facility }, poland);
        Assert.Equal((500, 0, FacilityStatus.Full, StrainLevel.Overflow),
            (details.Figures.Occupied.General, details.Figures.Free.General, details.Figures.Status, details.Figures.Strain));

        await using var session = StackFixture.Store(_service).QuerySession();
        var stream = (await session.Events.FetchStreamAsync(facility)).Select(e => e.Data).ToList();
        var arrivals = stream.OfType<Domain.ArrivalsRecorded>().ToList();
        Assert.Equal(500, arrivals.Count);
        Assert.Equal(500, arrivals.Sum(a => a.People.Total));
        Assert.Equal(500, arrivals[^1].After.Occupied.General);
        Assert.Equal([Domain.StrainLevel.Strained, Domain.StrainLevel.Overflow], stream.OfType<Domain.FacilityStrainChanged>().Select(s => s.To));
        Assert.Equal(1 + 500 + 2, stream.Count);
        Assert.Equal(stream.Count, details.Version);
    }

    [Fact]
    public async Task A_retried_report_returns_the_first_answer_and_counts_nobody_twice()
    {
        var api = StackFixture.Client(_service);
        var poland = As(stack.Tokens.Ministry("PL"));
        var facility = (await api.RegisterFacilityAsync(Facility("PL", NewRegion("PL"), new Places { General = 50, Families = 20 }), poland)).Id;
        var report = People(facility, new Places { General = 7, Families = 4 });
        var first = await api.ReportArrivalsAsync(report, poland);
        var retried = await api.ReportArrivalsAsync(report, poland);
        Assert.False(first.Result.Replayed);
        Assert.True(retried.Result.Replayed);
        Assert.Equal(first.Result.Version, retried.Result.Version);
        Assert.Equal(11, retried.Figures.Occupied.General + retried.Figures.Occupied.Families);

        report.People.General = 8;
        var reused = await Assert.ThrowsAsync<RpcException>(async () => await api.ReportArrivalsAsync(report, poland));
        Assert.Equal(StatusCode.InvalidArgument, reused.StatusCode);
        Assert.StartsWith("request_id:", reused.Status.Detail, StringComparison.Ordinal);
    }
}
