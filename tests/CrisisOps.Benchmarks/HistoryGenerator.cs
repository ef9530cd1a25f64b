extern alias declaration;
extern alias measures;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using declaration::CrisisOps.Declaration.Crises;
using measures::CrisisOps.Measures.Facts;
using measures::CrisisOps.Measures.Measures;
using NodaTime;

namespace CrisisOps.Benchmarks;

/// <summary>
/// Lawful histories written by the services' own deciders: crises with a state of emergency declared, extended once with
/// consent and expired at its legal end; and measures taken for them, extended and expired the same way. Start dates
/// spread over four years, so that the audit's calendar arithmetic works on many different periods.
/// </summary>
public sealed class HistoryGenerator(LegalCatalogue law)
{
    /// <summary>The law the histories are decided under (the store adopts it first).</summary>
    public LegalCatalogue Law => law;

    private static readonly Actor Ministry = new("pl-interior", "PL duty officer", Role.Ministry, "Ministry of Interior", "PL");
    private static readonly LocalDate FirstDay = new(2021, 1, 4);

    /// <summary>The four events of crisis <paramref name="i"/>.</summary>
    public (string Stream, IReadOnlyList<object> Events) Crisis(int i)
    {
        var id = CrisisId(i);
        var start = Start(i);
        var declaredAt = At(start, 8);
        var met = new Criterion(true, "evidence recorded by the border guard");
        var events = new List<object>();
        Crisis? state = null;
        void Decide(CrisisCommand command)
        {
            foreach (var e in CrisisDecider.Decide(state, command, law))
            {
                events.Add(e);
                state = declaration::CrisisOps.Declaration.Crises.Crisis.Transition(state, e);
            }
        }

        Decide(new DeclareCrisis(id, "PL", ["PL-BY"], new Perpetrator("Belarus", PerpetratorKind.State), Scenario.Belligerent,
            new QualificationCriteria(met, met, met, met), BlueprintStage.CrisisManagement, Decision(declaredAt, "deliberate pushing of migrants to the border")));
        Decide(new DeclareEmergency("PL-CONST-230", start, start.PlusDays(29), Decision(At(start, 9), "the Council of Ministers' request")));
        Decide(new ExtendEmergency(start.PlusDays(89), "Sejm resolution", Decision(At(start.PlusDays(20), 16), "the situation at the border persists")));
        Decide(new ExpireEmergency(new Decision(Actor.LegalDeadline, state!.Emergency!.ExpiresAt.AddSeconds(5), null, "legal end reached", $"expire/{id}")));
        return (id, events);
    }

    /// <summary>The three events of measure <paramref name="j"/>, taken for crisis <c>j % crises</c>.</summary>
    public (string Stream, IReadOnlyList<object> Events) Measure(int j, int crises)
    {
        var id = $"measure-{j:D7}";
        var i = j % crises;
        var start = Start(i);
        var situation = new LegalSituation(new CrisisFacts(CrisisId(i), "PL", true, false, null, "PL-CONST-230", true, null, start.ToDateOnly(), 2), []);
        var events = new List<object>();
        Measure? state = null;
        void Decide(MeasureCommand command)
        {
            foreach (var e in MeasureDecider.Decide(state, command, law, situation))
            {
                events.Add(e);
                state = measures::CrisisOps.Measures.Measures.Measure.Transition(state, e);
            }
        }

        Decide(new EnactMeasure(id, "PL-STATE-OF-EMERGENCY", "PL", ["PL-BY"], start, start.PlusDays(29), null, "Regulation of the President",
            new MeasureParameters(null, [], true, true), CrisisId(i), Decision(At(start, 10), "necessary and proportionate")));
        Decide(new ExtendMeasure(start.PlusDays(89), "Sejm resolution", Decision(At(start.PlusDays(20), 17), "the threat persists")));
        Decide(new ExpireMeasure(new Decision(Actor.LegalDeadline, state!.Term!.EndsAt.ToDateTimeOffset().AddSeconds(30), null, "legal end reached", $"expire/{id}")));
        return (id, events);
    }

    private static string CrisisId(int i) => $"crisis-{i:D7}";

    private static LocalDate Start(int i) => FirstDay.PlusDays(i % 1460);

    private static DateTimeOffset At(LocalDate day, int hour) => new(day.Year, day.Month, day.Day, hour, 0, 0, TimeSpan.Zero);

    private static Decision Decision(DateTimeOffset at, string justification) => new(Ministry, at, null, justification, Guid.NewGuid().ToString());
}
