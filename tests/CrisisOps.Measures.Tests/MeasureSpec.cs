using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using NodaTime;
using Xunit;

namespace CrisisOps.Measures.Tests;

/// <summary>Given events, when a command (in a legal situation), then events or a refusal: over the pure decider only.</summary>
public sealed class MeasureSpec
{
    private readonly List<object> _given = [];
    private LegalSituation _situation = LegalSituation.None;

    public MeasureSpec Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public MeasureSpec In(LegalSituation situation)
    {
        _situation = situation;
        return this;
    }

    public IReadOnlyList<object> When(MeasureCommand command) =>
        MeasureDecider.Decide(_given.Aggregate((Measure?)null, Measure.Transition), command, Samples.Catalogue, _situation);

    public RuleViolationException Refused(MeasureCommand command) => Assert.Throws<RuleViolationException>(() => When(command));

    public T Single<T>(MeasureCommand command) => Assert.IsType<T>(Assert.Single(When(command)));
}

public static class Samples
{
    public static readonly LegalCatalogue Catalogue = LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law"));

    public static readonly Actor Poland = new("pl-interior", "PL interior", Role.Ministry, "Ministry of Interior", "PL");
    public static readonly Actor Greece = new("gr-citizen-protection", "GR", Role.Ministry, "Ministry of Citizen Protection", "GR");

    public static readonly DateTimeOffset Sep2021 = new(2021, 9, 2, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Mar2020 = new(2020, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static LocalDate D(int y, int m, int d) => new(y, m, d);

    public static Decision By(Actor actor, DateTimeOffset when) => new(actor, when, null, "justified in the act's recitals", Guid.NewGuid().ToString());

    public static MeasureParameters None => new(null, [], false, false);

    public static CrisisFacts Crisis(string country = "PL", bool qualifies = true, string? emergency = null, bool ended = false) =>
        new("crisis-1", country, qualifies, ended, null, emergency, emergency is not null, null, emergency is null ? null : new DateOnly(2020, 1, 1), 1);

    public static LegalSituation With(CrisisFacts crisis, params RegistrationPoint[] open) => new(crisis, open);

    public static EnactMeasure Enact(string type, string country, LocalDate start, LocalDate? end, Decision decision,
        MeasureParameters? parameters = null, string? crisisId = "crisis-1", DateOnly? review = null) =>
        new("measure-1", type, country, ImmutableArray.Create("border"), start, end, review, "act 1", parameters ?? None, crisisId, decision);

    public static MeasureEnacted PolishStateOfEmergency() => new MeasureSpec().In(With(Crisis()))
        .Single<MeasureEnacted>(Enact("PL-STATE-OF-EMERGENCY", "PL", D(2021, 9, 2), D(2021, 10, 1), By(Poland, Sep2021)));
}
