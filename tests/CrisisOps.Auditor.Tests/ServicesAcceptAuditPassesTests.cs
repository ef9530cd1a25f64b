using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Measures;
using CsCheck;
using NodaTime;
using Xunit;
using static CrisisOps.Auditor.Tests.Ledger;

namespace CrisisOps.Auditor.Tests;

/// <summary>
/// One law for the services and the auditor, as a property: random sequences of commands (dates around month ends, leap
/// years and weekends, extensions, lifts, crisis ends, deadlines acted on late but within the tolerance, as after a
/// restart) go through the services' own deciders; whatever they accept, the audit of what they recorded passes. A
/// command the audit would fail must have been refused.
/// </summary>
public sealed class ServicesAcceptAuditPassesTests
{
    /// <summary>First moments near month ends, in a leap year, before a weekend and before Easter.</summary>
    private static readonly DateTimeOffset[] Anchors =
    [
        new(2027, 1, 30, 9, 0, 0, TimeSpan.Zero), new(2028, 2, 27, 9, 0, 0, TimeSpan.Zero), new(2027, 12, 30, 9, 0, 0, TimeSpan.Zero),
        new(2026, 5, 29, 9, 0, 0, TimeSpan.Zero), new(2027, 3, 24, 9, 0, 0, TimeSpan.Zero), new(2028, 8, 30, 22, 30, 0, TimeSpan.Zero),
    ];

    private static readonly string[] Countries = ["PL", "LT", "GR"];

    /// <summary>One generated step: what to try, how long to wait before it, and two free numbers it draws its arguments from.</summary>
    public sealed record Step(int Kind, int WaitMinutes, int A, int B);

    [Fact]
    public void Whatever_the_deciders_accept_the_audit_passes() =>
        Gen.Select(Gen.Int[0, Anchors.Length - 1],
                Gen.Select(Gen.Int[0, 7], Gen.Int[0, 60 * 24 * 45], Gen.Int[0, 1_000], Gen.Int[-3, 120], (k, w, a, b) => new Step(k, w, a, b)).Array[1, 30])
            .Sample((anchor, steps) =>
            {
                var world = new World(Anchors[anchor]);
                foreach (var step in steps) world.Try(step);
                var report = world.Audit();
                Assert.True(report.Passed, $"accepted {world.Accepted} decision(s), then the audit found: "
                    + string.Join("; ", report.Findings.Select(f => $"{f.Rule} {f.Subject}: {f.Message}")));
            }, iter: 300);

    /// <summary>The services' deciders over one ledger, with the deadline workers and the cascade acting as the services do.</summary>
    private sealed class World(DateTimeOffset start)
    {
        private readonly Ledger _ledger = new();
        private readonly List<string> _crises = [];
        private readonly List<(string Id, string Crisis)> _measures = [];
        private DateTimeOffset _now = start;

        public int Accepted { get; private set; }

        public AuditReport Audit() => _ledger.Audit(_now);

        public void Try(Step step)
        {
            Advance(TimeSpan.FromMinutes(step.WaitMinutes));
            try
            {
                Decide(step);
                Accepted++;
            }
            catch (DomainException)
            {
                // Refused: nothing recorded, as in the service.
            }
        }

        private void Decide(Step s)
        {
            switch (s.Kind)
            {
                case 0:
                    var id = $"crisis-{_crises.Count}";
                    _ledger.DeclareCrisis(id, _now, qualifies: s.B % 4 != 0, country: Countries[s.A % Countries.Length]);
                    _crises.Add(id);
                    break;
                case 1 when Crisis(s) is { } crisis:
                    var bases = Law.Bases.Where(b => b.DeclaresEmergency && b.AppliesTo(crisis.TargetCountry)).ToList();
                    var basis = bases[s.A % bases.Count];
                    var first = Today(basis).PlusDays(s.B % 4);
                    var longest = LegalLimits.Initial(basis, crisis.TargetCountry, first, first, "emergency").LegalMaxEnd;
                    _ledger.Crisis(crisis.Id, new DeclareEmergency(basis.Code, first, longest.PlusDays(s.B % 3 - 1 - (s.A % 20)), By(Deciding(crisis, s), _now)));
                    break;
                case 2 when Crisis(s) is { Emergency: { } e } crisis:
                    _ledger.Crisis(crisis.Id, new ExtendEmergency(LocalDate.FromDateOnly(e.EndDate).PlusDays(s.B), s.A % 5 == 0 ? null : "consent act",
                        By(Deciding(crisis, s), _now)));
                    break;
                case 3 when Crisis(s) is { } crisis:
                    _ledger.Crisis(crisis.Id, new LiftEmergency(By(Deciding(crisis, s), _now)));
                    Cascade(crisis.Id, EndReason.EmergencyEnded, _now);
                    break;
                case 4 when Crisis(s) is { } crisis:
                    _ledger.Crisis(crisis.Id, new EndCrisis(By(Actor(crisis), _now)));
                    Cascade(crisis.Id, EndReason.CrisisEnded, _now);
                    break;
                case 5 when Crisis(s) is { } crisis:
                    var types = Law.MeasureTypes.Where(t => t.LegalBasis.AppliesTo(crisis.TargetCountry)).ToList();
                    var type = types[s.A % types.Count];
                    var from = Today(type.LegalBasis).PlusDays(s.B % 3);
                    var measureId = $"measure-{_measures.Count}";
                    var parameters = new MeasureParameters(s.B % 6, ["crossing-1"], s.A % 3 != 0, s.B % 2 == 0);
                    _ledger.Measure(measureId, new EnactMeasure(measureId, type.Code, crisis.TargetCountry, ["border"], from,
                            type.UntilRepealed ? null : from.PlusDays(s.B), type.UntilRepealed ? from.PlusDays(90).ToDateOnly() : null, "act",
                            parameters, s.A % 7 == 0 ? null : crisis.Id, By(Actor(crisis), _now)),
                        _ledger.SituationOf(crisis.Id));
                    _measures.Add((measureId, crisis.Id));
                    break;
                case 6 when _measures.Count > 0 && _ledger.MeasureState(_measures[s.A % _measures.Count].Id) is { Term: { } term } measure:
                    _ledger.Measure(measure.Id, new ExtendMeasure(term.End.PlusDays(s.B), "consent act", By(ActorOf(measure.Country), _now)));
                    break;
                case 7 when _measures.Count > 0 && _ledger.MeasureState(_measures[s.A % _measures.Count].Id) is { } measure:
                    _ledger.Measure(measure.Id, new RevokeMeasure(By(ActorOf(measure.Country), _now)));
                    break;
            }
        }

        /// <summary>Moves the clock, acting on every legal end on the way as the deadline workers do: late, but within the audit's tolerance.</summary>
        private void Advance(TimeSpan by)
        {
            var until = _now + by;
            while (NextDeadline(until) is { } due)
            {
                _now = due.At + TimeSpan.FromMinutes(3);
                due.Act();
            }

            _now = until;
        }

        private (DateTimeOffset At, Action Act)? NextDeadline(DateTimeOffset until)
        {
            var deadlines = new List<(DateTimeOffset At, Action Act)>();
            foreach (var id in _crises)
            {
                if (_ledger.CrisisState(id) is { NextDeadline: { } at } && at <= until)
                    deadlines.Add((at, () =>
                    {
                        _ledger.Crisis(id, new ExpireEmergency(new Decision(Legal.Actor.LegalDeadline, _now, null, "legal end", $"expire/{id}/{_now:O}")));
                        Cascade(id, EndReason.EmergencyEnded, at);
                    }));
            }

            foreach (var (id, _) in _measures)
            {
                if (_ledger.MeasureState(id) is { NextDeadline: { } at } && at <= until)
                    deadlines.Add((at, () => _ledger.Measure(id, new ExpireMeasure(new Decision(Legal.Actor.LegalDeadline, _now, null, "legal end", $"expire/{id}")))));
            }

            return deadlines.Count == 0 ? null : deadlines.MinBy(d => d.At);
        }

        /// <summary>The measures service's cascade: what a crisis's (or its emergency's) end ends.</summary>
        private void Cascade(string crisisId, EndReason reason, DateTimeOffset endedAt)
        {
            var emergencyBasis = reason == EndReason.EmergencyEnded ? LastEmergencyBasis(crisisId) : null;
            foreach (var (id, crisis) in _measures.Where(m => m.Crisis == crisisId))
            {
                if (_ledger.MeasureState(id) is not { Status: MeasureStatus.InForce } measure) continue;
                var type = Law.Measure(measure.TypeCode);
                if (reason == EndReason.EmergencyEnded && type.DependsOnEmergency != emergencyBasis) continue;
                _ledger.Measure(id, new EndMeasure(reason, endedAt, new Decision(Legal.Actor.CrisisCascade, _now, null, "cascade", $"cascade/{id}")));
            }
        }

        private string? LastEmergencyBasis(string crisisId) => _ledger.CrisisState(crisisId)?.Emergency?.LegalBasisCode;

        private Crisis? Crisis(Step s) => _crises.Count == 0 ? null : _ledger.CrisisState(_crises[s.A % _crises.Count]);

        private LocalDate Today(LegalBasis basis) => LegalCalendar.DayOf(Instant.FromDateTimeOffset(_now), basis.Zone);

        private static Actor Actor(Crisis crisis) => ActorOf(crisis.TargetCountry);

        /// <summary>An emergency's act is recorded now by the crisis's ministry, now by the Council: whichever the services accept, the audit passes.</summary>
        private static Actor Deciding(Crisis crisis, Step s) => (s.A + s.B) % 3 == 0 ? Council : Actor(crisis);

        private static Actor ActorOf(string country) => Poland with { Subject = $"{country.ToLowerInvariant()}-interior", Country = country };
    }
}
