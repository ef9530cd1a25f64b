using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Security;
using Marten;

namespace CrisisOps.Reception.Facilities;

/// <summary>
/// Under a flood of reports a facility fills up, and each further report would still read its whole stream under
/// the lock only to be refused. The committed view proves there was no room at the moment it was read, and a
/// refusal records nothing, so the report is refused from the view; a retry of a report that was accepted still
/// gets its first answer from the stream.
/// </summary>
public static class FullFacilityRefusal
{
    /// <summary>Refuses arrivals of <paramref name="people"/> that the committed view shows cannot fit; otherwise returns.</summary>
    public static async Task RefuseWhenFullAsync(this IDocumentStore store, CommandEnvelope command, Places people, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var view = await session.LoadAsync<FacilityView>(command.StreamId, ct);
        if (view is null || !view.Figures.Open || people.Exceeding(view.Figures.Free).Count == 0) return;
        command.Actor.EnsureMayActFor(view.Country);
        if (await session.LoadAsync<ProcessedCommand>($"{command.Actor.Subject}/{command.RequestId}", ct) is not null) return;
        FacilityDecider.RequireRoom(FacilityDecider.Named(view.Name, view.Id), view.Figures, people, "arrivals");
    }
}
