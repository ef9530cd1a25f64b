using System.Security.Cryptography;
using System.Text;
using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Security;
using Marten;

namespace CrisisOps.Reception.Transfers;

/// <summary>
/// Moves people between two facilities without losing or double-counting them, although the two facilities are two
/// streams and the service may die between them:
/// <list type="number">
/// <item>destination: places held (<see cref="TransferReserved"/>); refused when there is no room, and then nothing is recorded;</item>
/// <item>origin: the people leave (<see cref="TransferDeparted"/>), or, if they are no longer there, the refusal is recorded, so the step's outcome is fixed once;</item>
/// <item>destination: the held places become occupied (<see cref="TransferArrived"/>) or are released (<see cref="TransferCancelled"/>).</item>
/// </list>
/// Steps 2 and 3 are keyed by the transfer id (request id and state), so running them again (a client retry, or the
/// deadline worker after a crash) repeats nothing. Held places are not occupancy: a person is counted as occupying at
/// most one facility at every moment, and while on the road is visible as incoming at the destination.
/// </summary>
public sealed class TransferProcess(IDocumentStore store, StreamGate gate, TimeProvider clock)
{
    public const string CompletionKind = "transfer-completion";

    /// <summary>A transfer the call that began it did not finish within this time is finished by the deadline worker.</summary>
    public static readonly TimeSpan CompletionGrace = TimeSpan.FromMinutes(1);

    /// <summary>The actor of steps 2 and 3: the same whoever runs them, so their idempotency keys are the same too.</summary>
    public static readonly Actor Steward = new("system:reception-transfer", "CrisisOps transfer", Role.System, "", "");

    /// <summary>The transfer id follows from the caller and its request id: a retried request continues the same transfer.</summary>
    public static string TransferIdFor(string subject, string requestId) =>
        "transfer-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{subject}/{requestId}")))[..32];

    public static Deadline CompletionDeadline(string destinationId, PendingTransfer pending) => new()
    {
        Id = $"{CompletionKind}/{pending.TransferId}",
        Kind = CompletionKind,
        StreamId = destinationId,
        DueAt = pending.ReservedAt + CompletionGrace,
    };

    /// <summary>
    /// A transfer asked for by a caller, all three steps: step 1 under the caller's request (a retry continues the same
    /// transfer), refused for lack of room with where else to go, and refused if the people were no longer at the origin.
    /// </summary>
    /// <param name="request">The caller's request; its stream is the destination.</param>
    /// <param name="origin">The origin, already checked to be the caller's country's.</param>
    /// <param name="people">Who moves.</param>
    /// <param name="decision">The caller's decision, recorded on step 1.</param>
    /// <param name="ct">The call's cancellation.</param>
    /// <returns>The transfer id.</returns>
    public async Task<string> TransferAsync(CommandEnvelope request, FacilityView origin, Places people, Decision decision, CancellationToken ct)
    {
        var destinationId = request.StreamId;
        var transferId = TransferIdFor(request.Actor.Subject, request.RequestId);
        try
        {
            await gate.RunAsync(destinationId, () => store.DecideAsync(FacilityStream.Definition, request, state =>
            {
                if (state is null) throw new NotFoundException("facility", destinationId);
                request.Actor.EnsureMayActFor(state.Country);
                // Nothing is held for people who are not at the origin; one leaving meanwhile is caught at step 2.
                FacilityDecider.RequireOccupants(FacilityDecider.Named(origin.Name, origin.Id), origin.Figures, people,
                    "reception.transfer.origin", "a transfer");
                return FacilityDecider.Decide(state, FacilityStream.StampedNow(new ReserveTransfer(transferId, origin.Id, people, decision), clock));
            }, clock, ct), ct);
        }
        catch (RuleViolationException ex) when (ex.Rule == FacilityDecider.CapacityRule)
        {
            throw await store.WithRedirectAsync(ex, destinationId, people, ct);
        }

        var (outcome, reason) = await CompleteAsync(destinationId, transferId, ct);
        return outcome == TransferOutcome.Cancelled
            ? throw new RuleViolationException("reception.transfer.origin",
                $"transfer {transferId} was cancelled and the places held at {destinationId} released: {reason}")
            : transferId;
    }

    /// <summary>Runs steps 2 and 3 of a transfer whose places are held at <paramref name="destinationId"/>; harmless when already done.</summary>
    public async Task<(TransferOutcome Outcome, string Reason)> CompleteAsync(string destinationId, string transferId, CancellationToken ct)
    {
        var destination = await LoadAsync(store, destinationId, ct) ?? throw new NotFoundException("facility", destinationId);
        string? reason = null;
        if (destination.IncomingTransfers.TryGetValue(transferId, out var pending))
        {
            (var departed, reason) = await DepartAsync(destinationId, pending, ct);
            await StepAsync(destinationId, transferId, "arrive",
                d => new CompleteTransfer(transferId, departed, reason, d), $"step 3 of transfer {transferId}", ct);
            destination = await LoadAsync(store, destinationId, ct);
        }

        await using (var session = store.LightweightSession())
        {
            session.Delete<Deadline>($"{CompletionKind}/{transferId}");
            await session.SaveChangesAsync(ct);
        }

        return destination!.Transfers.TryGetValue(transferId, out var outcome)
            ? (outcome, reason ?? (outcome == TransferOutcome.Cancelled ? "the people were no longer at the origin" : ""))
            : throw new InvalidOperationException($"transfer {transferId} is unknown at {destinationId}");
    }

    private async Task<(bool Departed, string Reason)> DepartAsync(string destinationId, PendingTransfer pending, CancellationToken ct)
    {
        var events = await StepAsync(pending.OriginFacilityId, pending.TransferId, "depart",
            d => new DepartTransfer(pending.TransferId, destinationId, pending.People, d), $"step 2 of transfer {pending.TransferId}", ct);
        if (events.OfType<TransferDepartureRefused>().FirstOrDefault() is { } refused) return (false, refused.Reason);
        if (events.OfType<TransferDeparted>().Any()) return (true, "");
        // Decided earlier (a retry, or the other of the call and the worker): the origin's record says how.
        var origin = await LoadAsync(store, pending.OriginFacilityId, ct);
        return origin?.Transfers.GetValueOrDefault(pending.TransferId) == TransferOutcome.Departed
            ? (true, "")
            : (false, $"the people were no longer at {pending.OriginFacilityId}");
    }

    private async Task<IReadOnlyList<object>> StepAsync(string facilityId, string transferId, string step, Func<Decision, FacilityCommand> command,
        string justification, CancellationToken ct)
    {
        var requestId = $"{transferId}/{step}";
        var decision = new Decision(Steward, clock.GetUtcNow(), null, justification, requestId);
        var envelope = new CommandEnvelope(facilityId, null, Steward, requestId, CompletionKind);
        var outcome = await gate.RunAsync(facilityId, () => store.DecideAsync(FacilityStream.Definition, envelope, state =>
            state is null
                ? throw new NotFoundException("facility", facilityId)
                : FacilityDecider.Decide(state, FacilityStream.StampedNow(command(decision), clock)), clock, ct), ct);
        return outcome.Events;
    }

    /// <summary>A facility's current state, as its stream keeps it.</summary>
    public static async Task<Facility?> LoadAsync(IDocumentStore store, string facilityId, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        return await session.CurrentStateAsync(FacilityStream.Definition, facilityId, ct);
    }
}

/// <summary>Finishes transfers whose call died between the reservation and the end.</summary>
public sealed class TransferCompletionHandler(TransferProcess transfers) : IDeadlineHandler
{
    public string Kind => TransferProcess.CompletionKind;

    public Task HandleAsync(Deadline deadline, CancellationToken ct) =>
        transfers.CompleteAsync(deadline.StreamId, deadline.Id[(Kind.Length + 1)..], ct);
}
