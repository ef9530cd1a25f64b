using CrisisOps.Humanitarian.Grpc.V1;
using Spectre.Console;

namespace CrisisOps.Cli.Demo;

/// <summary>How the demo prints humanitarian support: the registry, requests with their pledges and history, and 4W.</summary>
public static partial class DemoView
{
    /// <summary>The organisations registry; <paramref name="used"/> are the organisations the demo acts for.</summary>
    public static void Organisations(ListOrganisationsResponse response, IReadOnlyCollection<string> used)
    {
        var table = Grid($"organisations registry {response.RegistryVersion}", "code", "name", "type", "HXL #org");
        foreach (var o in response.Organisations)
        {
            Row(table, o.Code + (used.Contains(o.Code) ? "\n(this demo)" : ""), o.Name, Words(o.Type.ToString()) + (o.Country.Length > 0 ? $" ({o.Country})" : ""),
                o.HxlOrg);
        }

        NoWrap(table, 0);
        Show(table);
        Note("sectors: " + string.Join(", ", response.Sectors.Select(s => $"{s.Name} ({s.HxlCode})")));
    }

    /// <summary>A request for assistance, its pledges and its history: who decided what, the system's own decisions included.</summary>
    public static void Assistance(AssistanceRequestDetails r)
    {
        Facts(("request", r.AssistanceRequestId), ("version", Num(r.Version)), ("origin", r.Origin + (r.RequestedBy.Length > 0 ? $", by {r.RequestedBy}" : "")),
            ("location", Place(r.Location)), ("sector", Words(r.Sector.ToString())), ("asked", $"{Num(r.Requested)} {r.Unit} of {r.Item}"),
            ("deadline", (r.Deadline is null ? "-" : Utc(r.Deadline)) + (r.DeadlineMissed ? " (missed)" : "")), ("status", r.Status.ToString()),
            ("pledged / delivered", $"{Num(r.Pledged)} / {Num(r.Delivered)}; remaining {Num(r.Remaining)}, unpledged {Num(r.Unpledged)}"));

        if (r.Pledges.Count > 0)
        {
            var pledges = Grid("pledges", "pledge", "organisation", "pledged", "delivered", "withdrawn", "status");
            foreach (var p in r.Pledges)
                Row(pledges, p.PledgeId, $"{p.Organisation} ({p.OrganisationName})", Num(p.Pledged), Num(p.Delivered), Num(p.Withdrawn), p.Status.ToString());
            Show(pledges);
        }

        var history = Grid("history: who decided what, and why", "version", "event type", "who", "what", "why");
        foreach (var h in r.History)
        {
            var d = h.Decision;
            Row(history, Num(h.Version), h.EventType, Who(d) + (d is { ActorSubject.Length: > 0 } ? "\n" + d.ActorSubject : ""), h.Summary,
                d is null || d.Justification.Length == 0 ? "-" : d.Justification);
        }

        NoWrap(history, 0, 1);
        Show(history);
    }

    /// <summary>"Who does what where": activities, what is asked and how far it is met, and the needs assessed.</summary>
    public static void WhoDoesWhatWhere(string title, WhoDoesWhatWhereResponse picture)
    {
        var activities = Grid($"{title}: activities", "who", "where", "what", "pledged", "delivered", "status");
        foreach (var a in picture.Activities)
            Row(activities, $"{a.OrganisationName} ({a.Organisation})", Place(a.Location), $"{a.Item} ({a.Unit})", Num(a.Pledged), Num(a.Delivered), a.Status.ToString());
        if (picture.Activities.Count == 0) Row(activities, "none", "", "", "", "", "");
        Show(activities);

        var coverage = Grid($"{title}: what is asked", "where", "what", "requested", "pledged", "delivered", "remaining", "open requests, next deadline");
        foreach (var c in picture.Coverage)
        {
            Row(coverage, Place(c.Location), $"{c.Item} ({c.Unit})", Num(c.Requested), Num(c.Pledged), Num(c.Delivered), Num(c.Remaining),
                $"{Num(c.OpenRequests)}, {(c.NextDeadline is null ? "-" : Utc(c.NextDeadline))}{(c.DeadlineMissed ? " (missed)" : "")}");
        }

        if (picture.Coverage.Count == 0) Row(coverage, "nothing asked", "", "", "", "", "", "");
        Show(coverage);

        var needs = Grid($"{title}: needs assessed", "where", "sector", "affected / in need / targeted / reached", "vulnerable, among those in need",
            "assessed on, by");
        foreach (var n in picture.Needs)
        {
            var f = n.Figures;
            var v = n.VulnerableGroups;
            Row(needs, Place(n.Location), Words(n.Sector.ToString()), $"{Num(f.Affected)} / {Num(f.InNeed)} / {Num(f.Targeted)} / {Num(f.Reached)}",
                v is null ? "not counted" : $"children {Num(v.Children)} (unaccompanied {Num(v.UnaccompaniedMinors)}), disabled {Num(v.PersonsWithDisabilities)}, " +
                    $"older {Num(v.OlderPersons)}", $"{n.AssessedOn}, {n.RecordedFor}");
        }

        if (picture.Needs.Count == 0) Row(needs, "none", "", "", "", "");
        Show(needs);
    }

    private static string Place(Location l) =>
        $"{(l.Name.Length > 0 ? l.Name + ", " : "")}{l.Admin1Name}{(l.Admin1Pcode.Length > 0 ? $" ({l.Admin1Pcode})" : "")}, {l.Country}" +
        (l.BeyondBorder ? ", beyond the border" : "");
}
