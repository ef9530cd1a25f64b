using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using Xunit;

namespace CrisisOps.Declaration.Tests;

/// <summary>Given events, when a command, then events or a refusal: over the pure decider only.</summary>
public sealed class CrisisSpec(LegalCatalogue catalogue)
{
    private readonly List<object> _given = [];

    public CrisisSpec Given(params object[] events)
    {
        _given.AddRange(events);
        return this;
    }

    public IReadOnlyList<object> When(CrisisCommand command) =>
        CrisisDecider.Decide(_given.Aggregate((Crisis?)null, Crisis.Transition), command, catalogue);

    public TException WhenRefused<TException>(CrisisCommand command)
        where TException : Exception =>
        Assert.Throws<TException>(() => When(command));
}

public static class Samples
{
    public const string CrisisId = "crisis-1";

    public static readonly LegalCatalogue Catalogue = LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law"));

    public static readonly Actor Poland = new("pl-interior", "PL interior", Role.Ministry, "Ministry of Interior", "PL");

    /// <summary>The Council: it adopts, extends and repeals a CFMR Council implementing decision for the member state.</summary>
    public static readonly Actor Council = new("council-secretariat", "Council of the EU", Role.EuInstitution, "Council of the European Union", "");

    public static Decision At(DateTimeOffset when, string why = "because the law allows it") =>
        new(Poland, when, null, why, Guid.NewGuid().ToString());

    /// <summary>A decision of the Council (the act of a CFMR Council implementing decision).</summary>
    public static Decision ByCouncil(DateTimeOffset when) => At(when) with { Actor = Council };

    public static readonly DateTimeOffset Sep2021 = new(2021, 9, 2, 8, 0, 0, TimeSpan.Zero);

    public static QualificationCriteria AllMet() => new(
        new Criterion(true, "Belarusian state involvement documented"),
        new Criterion(true, "flights from Baghdad to Minsk, transport to the border"),
        new Criterion(true, "Lukashenko's public statements"),
        new Criterion(true, "pressure on border guard and public order"));

    public static CrisisDeclared Declared(bool qualifies = true) => new(CrisisId, "PL", ["PL-BY"],
        new Perpetrator("Belarus", PerpetratorKind.State), Scenario.Belligerent, AllMet(), qualifies, [],
        BlueprintStage.MonitoringAndPreparedness, At(Sep2021));

    public static CrisisSpec Spec() => new(Catalogue);
}
