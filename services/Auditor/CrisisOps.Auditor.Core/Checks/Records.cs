using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Auditor.Core.Checks;

/// <summary>How something stopped being in force, as recorded.</summary>
/// <param name="At">The moment it stopped (for an expiry: the legal end the system stamped).</param>
/// <param name="How">Expired, lifted, revoked…</param>
/// <param name="RecordedAt">When that was recorded.</param>
/// <param name="BySystem">Recorded by the system at a deadline or by cascade: its lag behind <paramref name="At"/> is checked.</param>
public sealed record Stop(Instant At, string How, Instant RecordedAt, bool BySystem);

/// <summary>
/// An emergency, measure or leverage as the replay rebuilds it: the term recorded, the term the law allowed, and how it
/// stopped. Built by the audit from the events in order; read by the checks at the end.
/// </summary>
public sealed class TimeLimited
{
    public required ItemKind Kind { get; init; }
    public required string Id { get; init; }
    public required string Store { get; init; }
    public required string StreamKey { get; init; }
    public required string Code { get; init; }
    public required string Country { get; init; }
    public string? CrisisId { get; init; }
    public LegalBasis? Basis { get; set; }
    public string? CatalogueVersion { get; set; }

    /// <summary>Whether it was ever put in force (a proposed leverage is not, until imposed).</summary>
    public bool Started { get; set; }
    public LocalDate StartDate { get; set; }
    public Instant StartsAt { get; set; }
    public Instant DecidedAt { get; set; }
    public LegalTerm? Recorded { get; set; }
    public LegalTerm? Lawful { get; set; }
    public int RecordedExtensions { get; set; }
    public int LawfulExtensions { get; set; }
    public List<TermChange> Changes { get; } = [];
    public Stop? Stopped { get; set; }
    public int FindingCount { get; set; }

    public MeasureType? MeasureType { get; init; }

    /// <summary>The crossing points a crossing-point closure closes, from each time it was enacted or amended.</summary>
    public List<(Instant From, IReadOnlySet<string> Points)> ClosedPoints { get; } = [];
    public bool Provisional { get; init; }
    public bool ConditionalOnCrisis { get; init; }

    /// <summary>When it stopped being in force according to the record: its recorded stop, or the end it was decided for.</summary>
    public Instant? RecordedEnd =>
        (Stopped?.At, Recorded?.EndsAt) switch
        {
            ({ } stop, { } end) => stop < end ? stop : end,
            ({ } stop, null) => stop,
            (null, { } end) => end,
            _ => null,
        };

    /// <summary>In force at <paramref name="at"/> according to the record.</summary>
    public bool InForceAt(Instant at) => Started && StartsAt <= at && (RecordedEnd is not { } end || at < end);
}

/// <summary>A crisis as the replay rebuilds it.</summary>
public sealed class CrisisRecord
{
    public required string Id { get; init; }
    public required string Store { get; init; }
    public required string Country { get; init; }
    public required bool Qualifies { get; init; }
    public required Instant DeclaredAt { get; init; }
    public Instant? EndedAt { get; set; }
    public List<TimeLimited> Emergencies { get; } = [];

    /// <summary>The emergency declared last, whether or not still in force.</summary>
    public TimeLimited? Current => Emergencies.Count == 0 ? null : Emergencies[^1];
}
