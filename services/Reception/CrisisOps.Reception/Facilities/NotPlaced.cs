namespace CrisisOps.Reception.Facilities;

/// <summary>What became of arrivals a facility had no free place for.</summary>
public enum NotPlacedOutcome { Refused, Redirected, Waiting }

/// <summary>
/// People a facility had no place for, per category: aggregate figures only. Refused and redirected are counted since
/// the facility was registered (every report adds to them); waiting is a level, the people waiting now.
/// </summary>
public sealed record NotPlacedFigures(Places Refused, Places Redirected, Places Waiting)
{
    public static readonly NotPlacedFigures None = new(Places.None, Places.None, Places.None);

    /// <summary>
    /// The people with no place at all: turned away, or still waiting. Those redirected were sent to a facility that
    /// counts them itself (as arrivals, or as not placed there), so a shelter request does not ask for them twice.
    /// </summary>
    public Places WithoutPlace => Refused.Add(Waiting);

    public int Total => Refused.Total + Redirected.Total + Waiting.Total;

    public NotPlacedFigures With(NotPlacedOutcome outcome, Places people) => outcome switch
    {
        NotPlacedOutcome.Refused => this with { Refused = Refused.Add(people) },
        NotPlacedOutcome.Redirected => this with { Redirected = Redirected.Add(people) },
        NotPlacedOutcome.Waiting => this with { Waiting = Waiting.Add(people) },
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };

    public NotPlacedFigures Plus(NotPlacedFigures other) =>
        new(Refused.Add(other.Refused), Redirected.Add(other.Redirected), Waiting.Add(other.Waiting));

    public static NotPlacedFigures Sum(IEnumerable<NotPlacedFigures> figures) => figures.Aggregate(None, (sum, f) => sum.Plus(f));

    /// <summary>"3 refused (3 general), 2 waiting (2 families)", or "none".</summary>
    public string Describe()
    {
        var parts = new[] { ("refused", Refused), ("redirected", Redirected), ("waiting", Waiting) }
            .Where(p => p.Item2.Total > 0).Select(p => $"{p.Item2.Total} {p.Item1} ({p.Item2.Describe()})").ToList();
        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}

/// <summary>An event that leaves the facility with new not-placed figures: a report, which does not move the decision version.</summary>
public interface INotPlacedReport
{
    NotPlacedFigures NotPlaced { get; }
}
