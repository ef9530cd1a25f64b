using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Humanitarian.Needs;
using CrisisOps.Legal;
using Xunit;

namespace CrisisOps.Humanitarian.Tests;

/// <summary>Given events, when a command, then events or a refusal: over the pure assistance decider only.</summary>
public sealed class AssistanceSpec
{
    private readonly List<object> _given = [];

    public AssistanceSpec Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public AssistanceRequest? State => _given.Aggregate((AssistanceRequest?)null, AssistanceRequest.Transition);

    public IReadOnlyList<object> When(AssistanceCommand command) => AssistanceDecider.Decide(State, command);

    public T Single<T>(AssistanceCommand command) => Assert.IsType<T>(Assert.Single(When(command)));

    public RuleViolationException Refused(AssistanceCommand command) => Assert.Throws<RuleViolationException>(() => When(command));
}

/// <summary>The same over the needs decider.</summary>
public sealed class NeedsSpec
{
    private readonly List<object> _given = [];

    public NeedsSpec Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public NeedsAssessment? State => _given.Aggregate((NeedsAssessment?)null, NeedsAssessment.Transition);

    public IReadOnlyList<object> When(NeedsCommand command) => NeedsDecider.Decide(State, command);

    public T Single<T>(NeedsCommand command) => Assert.IsType<T>(Assert.Single(When(command)));

    public RuleViolationException Refused(NeedsCommand command) => Assert.Throws<RuleViolationException>(() => When(command));
}

public static class Samples
{
    public static readonly OrganisationRegistry Registry = OrganisationRegistry.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Catalogue", "organisations.json")));

    public static readonly Actor Poland = new("pl-interior", "PL interior", Role.Ministry, "Ministry of Interior", "PL");
    public static readonly Actor Iom = new("iom-warsaw", "IOM Warsaw", Role.Partner, "IOM", "");
    public static readonly Actor Unhcr = new("unhcr-warsaw", "UNHCR Warsaw", Role.Partner, "UNHCR", "");

    /// <summary>8 November 2021, the day several thousand people were pushed to the Kuźnica crossing.</summary>
    public static readonly DateTimeOffset Nov2021 = new(2021, 11, 8, 9, 0, 0, TimeSpan.Zero);

    public static readonly Location Kuznica = new("PL", "Podlaskie", "PL20", "Kuźnica", false);
    public static readonly Location Bruzgi = new("BY", "Hrodna", "BY04", "Bruzgi", true);

    public static Decision By(Actor actor, DateTimeOffset when, string justification = "people at the crossing need shelter tonight") =>
        new(actor, when, null, justification, Guid.NewGuid().ToString());

    public static RequestAssistance Tents(int quantity = 300, DateTimeOffset? deadline = null, Location? at = null) =>
        new("request-1", "PL", at ?? Kuznica, Sector.Shelter, "Family tents", quantity, "pieces", deadline ?? Nov2021.AddHours(24), Origins.Ministry,
            null, By(Poland, Nov2021));

    public static AssistanceRequested Requested(int quantity = 300) => new AssistanceSpec().Single<AssistanceRequested>(Tents(quantity));

    public static PopulationFigures Figures(int affected, int inNeed, int targeted, int reached) => new(affected, inNeed, targeted, reached);

    public static AssessNeeds Assess(PopulationFigures figures, VulnerableGroups? vulnerable = null, Location? at = null, string country = "PL",
        DateOnly? on = null) =>
        new("needs-1", country, at ?? Kuznica, Sector.Shelter, figures, vulnerable, on ?? new DateOnly(2021, 11, 8),
            "IOM DTM flow monitoring", "IOM", By(Iom, Nov2021));
}
