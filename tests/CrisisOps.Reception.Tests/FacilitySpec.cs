using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using Xunit;

namespace CrisisOps.Reception.Tests;

/// <summary>Given events, when a command, then events or a refusal: over the pure facility decider only.</summary>
public sealed class FacilitySpec
{
    private readonly List<object> _given = [];

    public FacilitySpec Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    /// <summary>Given what the decider answered to these commands, in turn.</summary>
    public FacilitySpec After(params FacilityCommand[] commands)
    {
        foreach (var c in commands) _given.AddRange(When(c));
        return this;
    }

    public Facility? State => FacilityStream.Definition.Fold(null, _given);

    public IReadOnlyList<object> When(FacilityCommand command) => FacilityDecider.Decide(State, command);

    public RuleViolationException Refused(FacilityCommand command) => Assert.Throws<RuleViolationException>(() => When(command));

    public T Single<T>(FacilityCommand command) => Assert.IsType<T>(Assert.Single(When(command)));
}

public static class Samples
{
    public static readonly Actor Poland = new("pl-interior", "PL interior", Role.Ministry, "Ministry of Interior", "PL");

    public static readonly DateTimeOffset Nov2021 = new(2021, 11, 8, 8, 0, 0, TimeSpan.Zero);

    private static int _clock;

    /// <summary>Each decision a minute after the previous one.</summary>
    public static Decision By(Actor? actor = null, DateTimeOffset? at = null) =>
        new(actor ?? Poland, at ?? Nov2021.AddMinutes(Interlocked.Increment(ref _clock)), null, "reported by the facility manager", Guid.NewGuid().ToString());

    public static Places General(int n) => new(n, 0, 0, 0);

    public static RegisterFacility Centre(int general = 100, string id = "facility-1", string region = "PL-PD", bool open = true,
        StrainThresholds? thresholds = null, Places? capacity = null) =>
        new(id, "Białystok reception centre", FacilityKind.ReceptionCentre, "PL", region, "", false, capacity ?? General(general), open,
            thresholds ?? StrainThresholds.Default, By());

    public static RegisterFacility CrossingPoint(string id = "kuznica") =>
        new(id, "Kuźnica registration point", FacilityKind.RegistrationPoint, "PL", "PL-PD", "PL-BY", true, General(20), true,
            StrainThresholds.Default, By());

    public static RecordArrivals Arrivals(Places people) => new(people, By());

    public static RecordArrivals Arrivals(int general) => Arrivals(General(general));

    public static RecordDepartures Departures(int general) => new(General(general), By());
}
