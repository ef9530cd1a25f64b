using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Declaration.Crises;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Leverages.Leverages;
using CrisisOps.Measures.Facts;
using CrisisOps.Measures.Measures;
using NodaTime;

namespace CrisisOps.Auditor.Tests;

/// <summary>
/// Histories written by the services' own deciders, stored as the services store them (one store per service, events
/// chained, checkpoints linked), plus whatever a test records around the services; then audited.
/// </summary>
public sealed class Ledger
{
    public const string DeclarationStore = "declaration";
    public const string MeasuresStore = "measures";
    public const string LeveragesStore = "leverages";

    /// <summary>Reception's store: its registration points are facts safeguard 3 is judged on. Audited once planted in.</summary>
    public const string ReceptionStore = "reception";

    /// <summary>The law the services decide with (law/), adopted into every store of the ledger as the services adopt it.</summary>
    public static readonly LegalCatalogue Law = LegalCatalogueJson.Load(Path.Combine(AppContext.BaseDirectory, "law"));

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly Dictionary<string, List<object>> _streams = [];
    private readonly Dictionary<string, History> _stores = new() { [DeclarationStore] = new(), [MeasuresStore] = new(), [LeveragesStore] = new() };

    public Ledger()
    {
        foreach (var store in _stores.Keys)
            Plant(store, ServiceDefaults.Law.LawAdoption.StreamOf(Law.Version), new ServiceDefaults.Law.LawAdopted(Law.Version, Law.Content, "law/",
                new Decision(ServiceDefaults.Law.LawAdoption.Adopter, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), null, "start-up", "law-adoption")));
    }

    public static Actor Poland { get; } = new("pl-interior", "PL duty officer", Role.Ministry, "Ministry of Interior", "PL");

    /// <summary>The Council: records a CFMR Council implementing decision for the member state it concerns.</summary>
    public static Actor Council { get; } = new("council-secretariat", "Council of the EU", Role.EuInstitution, "Council of the European Union", "");

    /// <summary>The Commission: records its implementing acts (a visa-waiver suspension, carrier measures).</summary>
    public static Actor Commission { get; } = new("com-home", "DG HOME", Role.EuInstitution, "European Commission", "");

    public static Decision By(Actor actor, DateTimeOffset at, string justification = "necessary and proportionate") =>
        new(actor, at, null, justification, Guid.NewGuid().ToString());

    public static DateTimeOffset At(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    public static LocalDate Day(int year, int month, int day) => new(year, month, day);

    public IReadOnlyList<object> Crisis(string id, CrisisCommand command) =>
        Append(DeclarationStore, id, CrisisDecider.Decide(Fold<Crisis>(id, CrisisOps.Declaration.Crises.Crisis.Transition), command, Law));

    public IReadOnlyList<object> Measure(string id, MeasureCommand command, LegalSituation? situation = null) =>
        Append(MeasuresStore, id, MeasureDecider.Decide(Fold<Measure>(id, CrisisOps.Measures.Measures.Measure.Transition), command, Law,
            situation ?? LegalSituation.None));

    public IReadOnlyList<object> Leverage(string id, LeverageCommand command) =>
        Append(LeveragesStore, id, LeverageDecider.Decide(Fold<Leverage>(id, CrisisOps.Leverages.Leverages.Leverage.Transition), command, Law));

    /// <summary>Records an event the service would have refused: a write around it, chained like any other.</summary>
    public void Plant(string store, string stream, object e) => Append(store, stream, [e]);

    /// <summary>The last event of a stream, to plant a variation of it.</summary>
    public T Last<T>(string stream) => _streams[stream].OfType<T>().Last();

    public History Store(string store) => _stores[store];

    /// <summary>A crisis for <paramref name="country"/> declared at <paramref name="at"/>, qualifying as instrumentalization or not.</summary>
    public string DeclareCrisis(string id, DateTimeOffset at, bool qualifies = true, string country = "PL")
    {
        var met = new Criterion(true, "evidence");
        var criteria = new QualificationCriteria(met, met, met, qualifies ? met : new Criterion(false, ""));
        Crisis(id, new DeclareCrisis(id, country, ["PL-BY"], new Perpetrator("Belarus", PerpetratorKind.State), Scenario.Belligerent, criteria,
            BlueprintStage.CrisisManagement, By(Poland with { Country = country }, at)));
        return id;
    }

    /// <summary>What the measures service knows of a crisis when a measure is enacted (from crisis declaration's events).</summary>
    public LegalSituation SituationOf(string crisisId)
    {
        var crisis = Fold<Crisis>(crisisId, CrisisOps.Declaration.Crises.Crisis.Transition);
        return crisis is null
            ? LegalSituation.None
            : new LegalSituation(new CrisisFacts(crisis.Id, crisis.TargetCountry, crisis.QualifiesAsInstrumentalization, crisis.Status == CrisisStatus.Ended,
                null, crisis.Emergency?.LegalBasisCode, crisis.Emergency?.Status == EmergencyStatus.InForce, null, crisis.Emergency?.StartDate, 0), []);
    }

    public static EnactMeasure Enactment(string id, string type, string crisisId, LocalDate start, LocalDate? end, DateTimeOffset at,
        MeasureParameters? parameters = null, DateOnly? reviewDueAt = null) =>
        new(id, type, "PL", ["PL-BY"], start, end, reviewDueAt, "act of " + start, parameters ?? new MeasureParameters(null, [], true, true), crisisId,
            By(Poland, at));

    public AuditReport Audit(DateTimeOffset asOf, string? crisis = null, string? country = null, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var engine = new AuditEngine(new AuditOptions(asOf, AuditOptions.DefaultTolerance, crisis, country, from, to));
        foreach (var (schema, history) in _stores)
        {
            engine.BeginStore(schema, hasLogChain: true);
            var events = history.Events.ToDictionary(e => e.Sequence);
            var links = history.Links.ToDictionary(l => l.Sequence);
            foreach (var sequence in events.Keys.Union(links.Keys).Order())
                engine.Observe(new ReplayRow(events.GetValueOrDefault(sequence), links.GetValueOrDefault(sequence)));
        }

        return engine.Complete(asOf);
    }

    /// <summary>The crisis as crisis declaration's decider sees it now.</summary>
    public Crisis? CrisisState(string id) => Fold<Crisis>(id, CrisisOps.Declaration.Crises.Crisis.Transition);

    /// <summary>The measure as the measures service's decider sees it now.</summary>
    public Measure? MeasureState(string id) => Fold<Measure>(id, CrisisOps.Measures.Measures.Measure.Transition);

    private T? Fold<T>(string stream, Func<T?, object, T?> transition)
        where T : class =>
        _streams.TryGetValue(stream, out var events) ? events.Aggregate((T?)null, transition) : null;

    private IReadOnlyList<object> Append(string store, string stream, IReadOnlyList<object> events)
    {
        if (!_streams.TryGetValue(stream, out var list)) _streams[stream] = list = [];
        foreach (var e in events)
        {
            list.Add(e);
            if (!_stores.TryGetValue(store, out var history)) _stores[store] = history = new();
            history.Append(stream, TypeName(e.GetType()), JsonSerializer.Serialize(e, e.GetType(), Json));
        }

        return events;
    }

    /// <summary>Marten's event type name: the class name in snake case.</summary>
    private static string TypeName(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

public static class ReportAssertions
{
    public static IReadOnlyList<string> Rules(this AuditReport report) => [.. report.Findings.Select(f => f.Rule)];

    public static Finding Finding(this AuditReport report, string rule) =>
        report.Findings.SingleOrDefault(f => f.Rule == rule)
        ?? throw new Xunit.Sdk.XunitException($"no single finding {rule}; found: {string.Join(", ", report.Rules())}");
}
