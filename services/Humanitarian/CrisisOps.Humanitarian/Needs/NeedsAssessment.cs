using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Locations;
using CrisisOps.Legal;

namespace CrisisOps.Humanitarian.Needs;

/// <summary>
/// OCHA's population statuses, as counts of people: affected, in need, targeted (by the response) and reached.
/// Each is a subset of the one before it.
/// </summary>
public sealed record PopulationFigures(int Affected, int InNeed, int Targeted, int Reached);

/// <summary>
/// Vulnerable groups among the people in need, as counts (never people). An assessment that did not count them holds
/// none at all, so that "not counted" is never read as zero.
/// </summary>
public sealed record VulnerableGroups(int Children, int UnaccompaniedMinors, int PersonsWithDisabilities, int OlderPersons);

// Events of a needs stream: one stream per responding country, location and sector, so that the picture of a place
// is revised over time instead of being scattered over competing assessments.

/// <summary>The first assessment of a location and sector; <c>RecordedFor</c> is the ministry or partner organisation that assessed.</summary>
public sealed record NeedsAssessed(
    string AssessmentId,
    string Country,
    Location Location,
    Sector Sector,
    PopulationFigures Figures,
    VulnerableGroups? Vulnerable,
    DateOnly AssessedOn,
    string? Source,
    string RecordedFor,
    Decision Decision) : IRecordedDecision;

/// <summary>Newer figures for the same location and sector.</summary>
public sealed record NeedsReassessed(
    string AssessmentId,
    string Country,
    Location Location,
    Sector Sector,
    PopulationFigures Figures,
    VulnerableGroups? Vulnerable,
    DateOnly AssessedOn,
    string? Source,
    string RecordedFor,
    Decision Decision) : IRecordedDecision;

/// <summary>The state needs decisions take.</summary>
public sealed record NeedsAssessment(string Id, string Country, Location Location, Sector Sector, PopulationFigures Figures, DateOnly AssessedOn)
{
    // What the read model shows and no decision needs, kept so that the view follows from the state alone.
    public VulnerableGroups? Vulnerable { get; init; }

    public string? Source { get; init; }

    public string RecordedFor { get; init; } = "";

    public DateTimeOffset UpdatedAt { get; init; }

    public static NeedsAssessment? Transition(NeedsAssessment? state, object @event) => (state, @event) switch
    {
        (null, NeedsAssessed e) => new NeedsAssessment(e.AssessmentId, e.Country, e.Location, e.Sector, e.Figures, e.AssessedOn)
        {
            Vulnerable = e.Vulnerable,
            Source = e.Source,
            RecordedFor = e.RecordedFor,
            UpdatedAt = e.Decision.DecidedAt,
        },
        (not null, NeedsReassessed e) => state with
        {
            Figures = e.Figures,
            AssessedOn = e.AssessedOn,
            Vulnerable = e.Vulnerable,
            Source = e.Source,
            RecordedFor = e.RecordedFor,
            UpdatedAt = e.Decision.DecidedAt,
        },
        _ => throw new InvalidOperationException($"{@event.GetType().Name} cannot apply to needs state {state?.Id ?? "(none)"}"),
    };
}
