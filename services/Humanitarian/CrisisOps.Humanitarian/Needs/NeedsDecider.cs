using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Legal;

namespace CrisisOps.Humanitarian.Needs;

public abstract record NeedsCommand(Decision Decision);

/// <summary>Records the needs of a location and sector for a responding country; <c>RecordedFor</c> is the ministry or partner that assessed.</summary>
public sealed record AssessNeeds(
    string AssessmentId,
    string Country,
    Location Location,
    Sector Sector,
    PopulationFigures Figures,
    VulnerableGroups? Vulnerable,
    DateOnly AssessedOn,
    string? Source,
    string RecordedFor,
    Decision Decision) : NeedsCommand(Decision);

public sealed record ReassessNeeds(
    PopulationFigures Figures,
    VulnerableGroups? Vulnerable,
    DateOnly AssessedOn,
    string? Source,
    string RecordedFor,
    Decision Decision) : NeedsCommand(Decision);

/// <summary>Pure needs decisions: OCHA's population statuses nest, and vulnerable groups are counted among those in need.</summary>
public static class NeedsDecider
{
    public static IReadOnlyList<object> Decide(NeedsAssessment? state, NeedsCommand command) => (state, command) switch
    {
        (null, AssessNeeds c) => [Assess(c)],
        (not null, AssessNeeds) => throw new RuleViolationException("needs.assessment.exists",
            $"{state.Id} already holds the needs of {state.Location.Describe()} for {state.Sector} (assessed on {state.AssessedOn:yyyy-MM-dd}): revise it instead"),
        (null, _) => throw new InvalidOperationException("the assessment must exist before this command"),
        (_, ReassessNeeds c) => [Reassess(state, c)],
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    };

    private static NeedsAssessed Assess(AssessNeeds c)
    {
        c.Location.EnsureConsistentWith(c.Country);
        Check(c.Figures, c.Vulnerable, c.AssessedOn, c.Decision);
        return new NeedsAssessed(c.AssessmentId, c.Country, c.Location, c.Sector, c.Figures, c.Vulnerable, c.AssessedOn, c.Source,
            c.RecordedFor, c.Decision);
    }

    private static NeedsReassessed Reassess(NeedsAssessment state, ReassessNeeds c)
    {
        Check(c.Figures, c.Vulnerable, c.AssessedOn, c.Decision);
        if (c.AssessedOn < state.AssessedOn)
            throw new RuleViolationException("needs.assessed-on.older",
                $"the figures held are from {state.AssessedOn:yyyy-MM-dd}; an assessment from {c.AssessedOn:yyyy-MM-dd} is older and cannot replace them");
        return new NeedsReassessed(state.Id, state.Country, state.Location, state.Sector, c.Figures, c.Vulnerable, c.AssessedOn, c.Source, c.RecordedFor, c.Decision);
    }

    /// <summary>
    /// The population statuses nest: reached ≤ targeted ≤ in need ≤ affected; vulnerable groups, where counted, are among
    /// those in need.
    /// </summary>
    public static void Check(PopulationFigures f, VulnerableGroups? v, DateOnly assessedOn, Decision decision)
    {
        NotNegative(f.Affected, "figures.affected");
        NotNegative(f.InNeed, "figures.in_need");
        NotNegative(f.Targeted, "figures.targeted");
        NotNegative(f.Reached, "figures.reached");
        if (assessedOn > DateOnly.FromDateTime(decision.DecidedAt.UtcDateTime).AddDays(1))
            throw new InvalidFieldException("assessed_on", $"{assessedOn:yyyy-MM-dd} is in the future");

        if (f.InNeed > f.Affected)
            throw new RuleViolationException("needs.in-need-within-affected", $"{f.InNeed} in need is more than the {f.Affected} affected");
        if (f.Targeted > f.InNeed)
            throw new RuleViolationException("needs.targeted-within-in-need", $"{f.Targeted} targeted is more than the {f.InNeed} in need");
        if (f.Reached > f.Targeted)
            throw new RuleViolationException("needs.reached-within-targeted", $"{f.Reached} reached is more than the {f.Targeted} targeted");

        if (v is null) return;
        NotNegative(v.Children, "vulnerable_groups.children");
        NotNegative(v.UnaccompaniedMinors, "vulnerable_groups.unaccompanied_minors");
        NotNegative(v.PersonsWithDisabilities, "vulnerable_groups.persons_with_disabilities");
        NotNegative(v.OlderPersons, "vulnerable_groups.older_persons");
        foreach (var (count, group) in new[]
                 {
                     (v.Children, "children"), (v.UnaccompaniedMinors, "unaccompanied minors"),
                     (v.PersonsWithDisabilities, "persons with disabilities"), (v.OlderPersons, "older persons"),
                 })
        {
            if (count > f.InNeed)
                throw new RuleViolationException("needs.vulnerable-within-in-need", $"{count} {group} is more than the {f.InNeed} in need");
        }

        if (v.UnaccompaniedMinors > v.Children)
            throw new RuleViolationException("needs.unaccompanied-minors-within-children",
                $"{v.UnaccompaniedMinors} unaccompanied minors is more than the {v.Children} children");
    }

    private static void NotNegative(int value, string field)
    {
        if (value < 0) throw new InvalidFieldException(field, "must not be negative");
    }
}
