using System.Collections.Concurrent;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Reception.Grpc.V1;
using Google.Protobuf;
using CrisisOps.Testing;
using Grpc.Core;

namespace CrisisOps.Faults;

/// <summary>One decision of the load, its request id, and every answer it got (the first try, then the retries).</summary>
public sealed record Decision(string Kind, string RequestId, IMessage Request, string? FacilityId)
{
    public List<(StatusCode Status, string Detail, bool FromServer, string Phase)> Answers { get; } = [];

    /// <summary>The id the OK answer named (the crisis, the facility).</summary>
    public string? StreamId { get; set; }

    public bool Ok => Answers.Any(a => a.Status == StatusCode.OK);
}

/// <summary>
/// The load: crisis declarations (their <c>CrisisDeclared</c> reaches the measures service) and arrivals reported at
/// reception facilities (their <c>OccupancyChanged</c> reaches reception's area-strain consumer), from a few
/// concurrent callers, each with its own request id so that it can be retried.
/// </summary>
public sealed class Load(ServiceProcess declaration, ServiceProcess reception, string ministryToken, IReadOnlyList<string> facilities)
{
    private int _next;
    private long _slot = DateTime.UtcNow.Ticks;

    /// <summary>Decisions per second over all callers: the load spans the faults (a restart takes seconds) instead of racing past them.</summary>
    public double Rate { get; init; } = 10;

    private async Task PaceAsync()
    {
        var slot = Interlocked.Add(ref _slot, (long)(TimeSpan.TicksPerSecond / Rate));
        var wait = new DateTime(slot, DateTimeKind.Utc) - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
    }

    public ConcurrentQueue<Decision> Decisions { get; } = new();

    /// <summary>What the fault driver is doing now ("kill -9 reception"...), recorded with every answer.</summary>
    public string Phase { get; set; } = "steady";

    public int Completed => Volatile.Read(ref _completed);

    private int _completed;

    /// <summary>
    /// Sends at least <paramref name="calls"/> decisions, and goes on while <paramref name="faults"/> are still being
    /// injected (a service restarting slowly on a busy machine), up to five times as many.
    /// </summary>
    public async Task RunAsync(int calls, int callers, Task faults)
    {
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref _next)) <= calls || (!faults.IsCompleted && i <= 5 * calls))
            {
                var decision = i % 2 == 0 ? Crisis(i) : Arrival(i);
                Decisions.Enqueue(decision);
                await SendAsync(decision);
                Interlocked.Increment(ref _completed);
                await PaceAsync();
            }
        })));
    }

    /// <summary>Sends (or re-sends, with the same request id) a decision and records the answer.</summary>
    public async Task SendAsync(Decision d)
    {
        var options = new CallOptions(new Metadata { { "authorization", $"Bearer {ministryToken}" } }, DateTime.UtcNow.AddSeconds(15));
        var phase = Phase;
        try
        {
            if (d.Request is DeclareCrisisRequest crisis)
            {
                var answer = await new CrisisDeclaration.CrisisDeclarationClient(declaration.Channel).DeclareCrisisAsync(crisis, options);
                d.StreamId = answer.Result.Id;
            }
            else
            {
                var answer = await new ReceptionCapacity.ReceptionCapacityClient(reception.Channel).ReportArrivalsAsync((MovementRequest)d.Request, options);
                d.StreamId = answer.Result.Id;
            }

            lock (d.Answers) d.Answers.Add((StatusCode.OK, "", true, phase));
        }
        catch (RpcException ex)
        {
            // A status the server wrote carries its trailers; one the client made up (the connection was refused or reset) has none.
            var fromServer = ex.Trailers.Count > 0 || ex.Status.DebugException is null;
            lock (d.Answers) d.Answers.Add((ex.StatusCode, ex.Status.Detail, fromServer, phase));
        }
    }

    private static Decision Crisis(int i)
    {
        var request = new DeclareCrisisRequest
        {
            RequestId = $"faults-crisis-{i}-{Guid.NewGuid():N}",
            TargetCountry = "PL",
            BorderSections = { $"PL-BY-{i % 7}" },
            Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
            Scenario = Scenario.Belligerent,
            Stage = BlueprintStage.MonitoringAndPreparedness,
            Criteria = new QualificationCriteria
            {
                HostileActor = new Criterion { Met = true, Evidence = "state-run flights" },
                EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "tourist visas issued in bulk" },
                AimToDestabilise = new Criterion { Met = true, Evidence = "official statements" },
                RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "border guard overwhelmed" },
            },
            Justification = "fault suite: people pushed to the border",
        };
        return new Decision("declaration", request.RequestId, request, null);
    }

    private Decision Arrival(int i)
    {
        var facility = facilities[i % facilities.Count];
        var request = new MovementRequest
        {
            RequestId = $"faults-arrival-{i}-{Guid.NewGuid():N}",
            FacilityId = facility,
            People = new Places { General = 1 },
            Note = "fault suite",
        };
        return new Decision("reception", request.RequestId, request, facility);
    }
}
