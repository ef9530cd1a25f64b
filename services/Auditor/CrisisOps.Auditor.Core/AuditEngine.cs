using System.Collections.Frozen;
using System.Text.Json;
using CrisisOps.Auditor.Core.Catalogues;
using CrisisOps.Auditor.Core.Checks;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using NodaTime;

namespace CrisisOps.Auditor.Core;

/// <summary>What to audit and against which reference moment.</summary>
/// <param name="AsOf">What was still in force then, which legal ends had passed (the audit's "now").</param>
/// <param name="Tolerance">How long after a legal end its recording still counts as on time.</param>
/// <param name="CrisisId">Report one crisis only (and what answers it).</param>
/// <param name="Country">Report one country only.</param>
/// <param name="From">Report what was in force, or decided, from this moment.</param>
/// <param name="To">… up to this moment.</param>
public sealed record AuditOptions(
    DateTimeOffset AsOf, TimeSpan Tolerance, string? CrisisId = null, string? Country = null, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>The default tolerance: the deadline workers poll every few seconds; a quarter of an hour late is late.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(15);
}

/// <summary>
/// The audit, pure: fed every row of every store in global sequence order (<see cref="Observe"/>), it verifies the hash
/// chains, rebuilds crises, emergencies, measures and leverages, re-decides every time limit against the catalogue
/// version in force, and at the end (<see cref="Complete"/>) checks what depends on the whole history.
/// Stores are replayed one after the other; the order of stores does not matter.
/// </summary>
public sealed class AuditEngine(AuditOptions options)
{
    private readonly AdoptedLaw _law = new();
    private readonly Dictionary<string, CrisisRecord> _crises = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeLimited> _measures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeLimited> _leverages = new(StringComparer.Ordinal);
    private readonly List<(Finding Finding, TimeLimited? Item, CrisisRecord? Crisis)> _findings = [];
    private readonly List<RefusedAttempt> _refusals = [];
    private readonly RegistrationPointTimeline _registrationPoints = new();
    private readonly List<StoreSummary> _stores = [];
    private readonly List<TamperingFinding> _tampering = [];
    private readonly Instant _asOf = Instant.FromDateTimeOffset(options.AsOf);
    private readonly Duration _tolerance = Duration.FromTimeSpan(options.Tolerance);
    private ChainVerifier? _verifier;
    private IStoredDecisionEvent? _record;
    private StoredDecision? _decision;
    private string _store = "";
    private long _decisions;

    /// <summary>Starts replaying a store (a service's schema).</summary>
    public void BeginStore(string schema, bool hasLogChain)
    {
        EndStore();
        _store = schema;
        _verifier = new ChainVerifier(schema, hasLogChain);
    }

    /// <summary>Observes one row of the current store, in global sequence order: <see cref="VerifyChains"/>, then <see cref="Check(ReplayRow)"/>.</summary>
    public void Observe(ReplayRow row)
    {
        VerifyChains(row);
        Check(row);
    }

    /// <summary>
    /// The tamper-evidence half of <see cref="Observe"/>: recomputes the hash chains. It shares no state with
    /// <see cref="Check(ReplayRow)"/>, so a replay may run the two halves on two threads, each fed every row in sequence order.
    /// </summary>
    public void VerifyChains(ReplayRow row) =>
        (_verifier ?? throw new InvalidOperationException("BeginStore first")).Observe(row.Event, row.Link);

    /// <summary>The legal half of <see cref="Observe"/>: replays the decision and runs the checks on it.</summary>
    public void Check(ReplayRow row) => Check(row, DecodedEvent.Of(row.Event));

    /// <summary>
    /// As <see cref="Check(ReplayRow)"/>, with the row's data already read (<see cref="DecodedEvent.Of(StoredEvent?)"/>,
    /// which a replay may run ahead on other threads): rows must still come here one at a time, in sequence order.
    /// </summary>
    public void Check(ReplayRow row, DecodedEvent decoded)
    {
        if (row.Event is not { IsTombstone: false } e) return;
        if (decoded.Unreadable is { } reason)
        {
            Add(Severity.Error, "integrity.unreadable", e, null, null, null, $"{e.EventType} cannot be read as the service writes it: {reason}");
            return;
        }

        _record = decoded.Record;
        _decision = decoded.Decision;
        Replay(e);
    }

    /// <summary>Runs the checks that need the whole history and builds the report.</summary>
    public AuditReport Complete(DateTimeOffset generatedAt)
    {
        EndStore();
        foreach (var crisis in _crises.Values)
        {
            foreach (var emergency in crisis.Emergencies) CheckEnd(emergency, crisis);
        }

        foreach (var measure in _measures.Values.Where(m => m.Started)) CheckEnd(measure, Crisis(measure));
        CheckRegistrationPointsHeld();
        foreach (var leverage in _leverages.Values.Where(l => l.Started)) CheckEnd(leverage, Crisis(leverage));
        return Report(generatedAt);
    }

    private void EndStore()
    {
        if (_verifier is null) return;
        var verification = _verifier.Complete();
        _stores.Add(new StoreSummary(verification.Store, verification.Events, verification.Streams, verification.HasLogChain,
            verification.LogHead, verification.NotYetSealed));
        _tampering.AddRange(verification.Findings);
        if (!verification.HasLogChain && verification.Events > 0)
            _findings.Add((new Finding(Severity.Warning, "integrity.no-log-chain", verification.Store, null, null, null, null, null, null, null,
                "this store has no log chain: deletions at the end of a stream and reorderings across streams cannot be seen"), null, null));
        if (verification.NotYetSealed > 0)
            _findings.Add((new Finding(Severity.Warning, "integrity.not-yet-sealed", verification.Store, null, null, null, null, null, null, null,
                $"{verification.NotYetSealed} event(s) committed after the last log checkpoint: the service's daemon has not linked them yet"), null, null));
        _verifier = null;
    }

    private void Replay(StoredEvent e)
    {
        string? expectedBasis = null;
        var systemMayDecide = false;
        switch (e.EventType)
        {
            case "law_adopted":
                var adopted = Read<LawAdopted>();
                try
                {
                    _law.Adopt(_store, adopted.Version, adopted.Content);
                }
                catch (InvalidDataException ex)
                {
                    Add(Severity.Error, "law.altered", e, null, null, adopted.Decision.DecidedAt, $"the law this store adopted cannot be trusted: {ex.Message}");
                }

                break;
            case "crisis_declared":
                var declared = Read<CrisisDeclared>();
                _crises[declared.CrisisId] = new CrisisRecord
                {
                    Id = declared.CrisisId,
                    Store = _store,
                    Country = declared.TargetCountry,
                    Qualifies = declared.QualifiesAsInstrumentalization,
                    DeclaredAt = Instant.FromDateTimeOffset(declared.Decision.DecidedAt),
                };
                break;
            case "crisis_ended":
                var ended = Read<CrisisEnded>();
                if (_crises.TryGetValue(ended.CrisisId, out var endedCrisis))
                {
                    endedCrisis.EndedAt = Instant.FromDateTimeOffset(ended.Decision.DecidedAt);
                    if (ended.EmergencyEnded && endedCrisis.Current is { Stopped: null } withCrisis)
                        StopItem(withCrisis, e, endedCrisis.EndedAt.Value, "ended with its crisis", endedCrisis.EndedAt.Value, bySystem: false);
                }

                break;
            case "emergency_declared":
                expectedBasis = DeclareEmergency(e, Read<EmergencyDeclared>());
                break;
            case "emergency_extended":
                var extension = Read<EmergencyExtended>();
                expectedBasis = OnEmergency(e, extension.CrisisId, emergency =>
                    Extend(emergency, e, extension.ExtensionNumber, extension.NewEndDate, extension.LegalMaxEnd, extension.ExpiresAt,
                        extension.ConsentReference, extension.CatalogueVersion, extension.Decision))?.Code;
                break;
            case "emergency_expired":
                var expired = Read<EmergencyExpired>();
                OnEmergency(e, expired.CrisisId, emergency => StopItem(emergency, e, Instant.FromDateTimeOffset(expired.ExpiredAt), "expired",
                    Instant.FromDateTimeOffset(expired.RecordedAt), bySystem: true));
                break;
            case "emergency_lifted":
                var lifted = Read<EmergencyLifted>();
                OnEmergency(e, lifted.CrisisId, emergency => StopItem(emergency, e, Instant.FromDateTimeOffset(lifted.Decision.DecidedAt), "lifted",
                    Instant.FromDateTimeOffset(lifted.Decision.DecidedAt), bySystem: false));
                break;
            case "measure_enacted":
                expectedBasis = Enact(e, Read<MeasureEnacted>());
                break;
            case "measure_extended":
                var measureExtension = Read<MeasureExtended>();
                if (Find(_measures, measureExtension.MeasureId, e) is { } extendedMeasure)
                {
                    expectedBasis = extendedMeasure.Basis?.Citation;
                    if (extendedMeasure.Provisional)
                        Add(Severity.Error, "measure.provisional", e, extendedMeasure, null, measureExtension.Decision.DecidedAt,
                            "a provisional measure was extended; it must be enacted again once authorised");
                    Extend(extendedMeasure, e, measureExtension.ExtensionNumber, measureExtension.NewEndDate, measureExtension.LegalMaxEnd,
                        measureExtension.ExpiresAt, measureExtension.ConsentReference, measureExtension.CatalogueVersion, measureExtension.Decision);
                }

                break;
            case "measure_amended":
                var amended = Read<MeasureAmended>();
                if (Find(_measures, amended.MeasureId, e) is { MeasureType: { } amendedType } amendedMeasure)
                {
                    expectedBasis = amendedMeasure.Basis?.Citation;
                    amendedMeasure.ClosedPoints.Add((Instant.FromDateTimeOffset(amended.Decision.DecidedAt), ClosedBy(amended.Parameters)));
                    foreach (var breach in Safeguards.ByEffect(amendedType, Parameters(amended.Parameters)))
                        Add(Severity.Error, breach.Rule, e, amendedMeasure, null, amended.Decision.DecidedAt, breach.Message);
                }

                break;
            case "measure_revoked" or "measure_annulled":
                var withdrawn = Read<MeasureWithdrawn>();
                if (Find(_measures, withdrawn.MeasureId, e) is { } withdrawnMeasure)
                    StopItem(withdrawnMeasure, e, Instant.FromDateTimeOffset(withdrawn.Decision.DecidedAt), e.EventType == "measure_revoked" ? "revoked" : "annulled",
                        Instant.FromDateTimeOffset(withdrawn.Decision.DecidedAt), bySystem: false);
                break;
            case "measure_expired":
                var measureExpired = Read<MeasureExpired>();
                if (Find(_measures, measureExpired.MeasureId, e) is { } expiredMeasure)
                    StopItem(expiredMeasure, e, Instant.FromDateTimeOffset(measureExpired.ExpiredAt), "expired",
                        Instant.FromDateTimeOffset(measureExpired.RecordedAt), bySystem: true);
                break;
            case "measure_ended":
                var measureEnded = Read<MeasureEnded>();
                if (Find(_measures, measureEnded.MeasureId, e) is { } endedMeasure)
                    StopItem(endedMeasure, e, Instant.FromDateTimeOffset(measureEnded.EndedAt),
                        measureEnded.Reason == "EmergencyEnded" ? "ended with its emergency" : "ended with its crisis",
                        Instant.FromDateTimeOffset(measureEnded.Decision.DecidedAt), bySystem: true);
                break;
            case "registration_point_status_changed":
                _registrationPoints.Record(StoredJson.ReadRegistrationPoint(e.Utf8.Span));
                break;
            case "safeguard_breach_refused":
                var refused = Read<SafeguardBreachRefused>();
                _refusals.Add(new RefusedAttempt(_store, refused.Country, refused.Rule, refused.MeasureTypeCode, refused.Decision.Actor?.Subject,
                    refused.Decision.Actor?.Name, refused.Decision.Actor?.Role, refused.Decision.DecidedAt, refused.Reason));
                break;
            case "leverage_proposed":
                var proposed = Read<LeverageProposed>();
                _leverages[proposed.LeverageId] = new TimeLimited
                {
                    Kind = ItemKind.Leverage,
                    Id = proposed.LeverageId,
                    Store = _store,
                    StreamKey = e.StreamKey,
                    Code = proposed.TypeCode,
                    Country = proposed.Country,
                    CrisisId = proposed.CrisisId,
                    ConditionalOnCrisis = proposed.ConditionalOnCrisis,
                };
                break;
            case "leverage_imposed":
                expectedBasis = Impose(e, Read<LeverageImposed>());
                break;
            case "leverage_renewed":
                var renewed = Read<LeverageRenewed>();
                if (Find(_leverages, renewed.LeverageId, e) is { } renewedLeverage)
                {
                    expectedBasis = renewedLeverage.Basis?.Citation;
                    Extend(renewedLeverage, e, renewed.RenewalNumber, renewed.NewEndDate, renewed.LegalMaxEnd, renewed.ExpiresAt,
                        renewed.ConsentReference, renewedLeverage.CatalogueVersion, renewed.Decision);
                }

                break;
            case "leverage_escalated":
                expectedBasis = _leverages.GetValueOrDefault(e.StreamKey)?.Basis?.Citation;
                break;
            case "leverage_lifted":
                var leverageLifted = Read<LeverageLifted>();
                systemMayDecide = leverageLifted.Reason is "CrisisDeescalated" or "CrisisEnded";
                // A cascade lift ends the leverage when its crisis ended or de-escalated, recorded a moment later (the
                // lag is checked like an expiry's); a decision ends it when taken.
                var cascadeLift = systemMayDecide && leverageLifted.EndedAt is not null;
                if (Find(_leverages, leverageLifted.LeverageId, e) is { Started: true } liftedLeverage)
                    StopItem(liftedLeverage, e, Instant.FromDateTimeOffset(cascadeLift ? leverageLifted.EndedAt!.Value : leverageLifted.Decision.DecidedAt), "lifted",
                        Instant.FromDateTimeOffset(leverageLifted.Decision.DecidedAt), bySystem: cascadeLift);
                break;
            case "leverage_lapsed":
                var lapsed = Read<LeverageLapsed>();
                if (Find(_leverages, lapsed.LeverageId, e) is { } lapsedLeverage)
                    StopItem(lapsedLeverage, e, Instant.FromDateTimeOffset(lapsed.LapsedAt), "lapsed", Instant.FromDateTimeOffset(lapsed.RecordedAt), bySystem: true);
                break;
        }

        // The records the audit reads carry their decision; any other event of any store is read for it generically.
        if (_decision is not { } decision) return;
        _decisions++;
        var country = DecisionRules.MinistryDecisions.Contains(e.EventType) ? ItemOf(e)?.Country ?? CrisisOf(e)?.Country : null;
        var act = DecisionRules.ActsUnderTheirBasis.Contains(e.EventType) && ItemOf(e) is { Kind: ItemKind.Emergency or ItemKind.Leverage, Started: true } item
            ? item.Basis
            : null;
        foreach (var breach in DecisionRules.Check(e.EventType, decision, country, expectedBasis, systemMayDecide, act))
            Add(Severity.Error, breach.Rule, e, ItemOf(e), CrisisOf(e), decision.DecidedAt, breach.Message);
    }

    private string? DeclareEmergency(StoredEvent e, EmergencyDeclared declared)
    {
        if (!_crises.TryGetValue(declared.CrisisId, out var crisis))
        {
            Add(Severity.Error, "emergency.crisis-unknown", e, null, null, declared.Decision.DecidedAt,
                $"an emergency was declared on crisis {declared.CrisisId}, which was never declared");
            return null;
        }

        var emergency = new TimeLimited
        {
            Kind = ItemKind.Emergency,
            Id = $"{crisis.Id}/emergency-{crisis.Emergencies.Count + 1}",
            Store = _store,
            StreamKey = e.StreamKey,
            Code = declared.LegalBasisCode,
            Country = crisis.Country,
            CrisisId = crisis.Id,
        };
        crisis.Emergencies.Add(emergency);
        var law = Law(e, emergency, declared.CatalogueVersion, declared.Decision.DecidedAt);
        var basis = law?.Bases.FirstOrDefault(b => b.Code == declared.LegalBasisCode && b.DeclaresEmergency);
        Start(emergency, e, basis, declared.CatalogueVersion, declared.StartDate, declared.EndDate, declared.LegalMaxEnd,
            declared.TotalCapEnd, declared.ExpiresAt, declared.Decision.DecidedAt);
        if (basis is null) return null;
        if (basis.RequiresQualifiedInstrumentalization && !crisis.Qualifies)
            Add(Severity.Error, "emergency.requires-instrumentalization", e, emergency, crisis, declared.Decision.DecidedAt,
                $"{basis.Code} is lawful only for a crisis that qualifies as instrumentalization; crisis {crisis.Id} does not");
        return basis.Code;
    }

    private string? Enact(StoredEvent e, MeasureEnacted enacted)
    {
        var law = _law.Find(_store, enacted.CatalogueVersion);
        var type = law?.MeasureTypes.FirstOrDefault(t => t.Code == enacted.TypeCode);
        var measure = new TimeLimited
        {
            Kind = ItemKind.Measure,
            Id = enacted.MeasureId,
            Store = _store,
            StreamKey = e.StreamKey,
            Code = enacted.TypeCode,
            Country = enacted.Country,
            CrisisId = enacted.CrisisId,
            MeasureType = type,
            Provisional = enacted.Provisional,
        };
        _measures[enacted.MeasureId] = measure;
        Law(e, measure, enacted.CatalogueVersion, enacted.Decision.DecidedAt);
        if (type is null)
        {
            Start(measure, e, null, enacted.CatalogueVersion, enacted.StartDate, enacted.EndDate, enacted.LegalMaxEnd,
                enacted.TotalCapEnd, enacted.ExpiresAt, enacted.Decision.DecidedAt);
            return null;
        }

        measure.ClosedPoints.Add((Instant.FromDateTimeOffset(enacted.Decision.DecidedAt), ClosedBy(enacted.Parameters)));
        foreach (var breach in Safeguards.ByEffect(type, Parameters(enacted.Parameters)).Concat(Safeguards.ReviewDate(type, enacted.ReviewDueAt)))
            Add(Severity.Error, breach.Rule, e, measure, null, enacted.Decision.DecidedAt, breach.Message);
        if (type.UntilRepealed)
        {
            measure.Basis = type.LegalBasis;
            measure.Started = true;
            measure.StartDate = LocalDate.FromDateOnly(enacted.StartDate);
            measure.StartsAt = Instant.FromDateTimeOffset(enacted.StartsAt);
            measure.DecidedAt = Instant.FromDateTimeOffset(enacted.Decision.DecidedAt);
            measure.CatalogueVersion = enacted.CatalogueVersion;
        }
        else
        {
            Start(measure, e, type.LegalBasis, enacted.CatalogueVersion, enacted.StartDate, enacted.EndDate, enacted.LegalMaxEnd,
                enacted.TotalCapEnd, enacted.ExpiresAt, enacted.Decision.DecidedAt);
        }

        return type.LegalBasis.Citation;
    }

    private string? Impose(StoredEvent e, LeverageImposed imposed)
    {
        if (Find(_leverages, imposed.LeverageId, e) is not { } leverage) return null;
        var type = Law(e, leverage, imposed.CatalogueVersion, imposed.Decision.DecidedAt)?.LeverageTypes.FirstOrDefault(t => t.Code == leverage.Code);
        if (type is { UntilRepealed: true })
        {
            leverage.Basis = type.LegalBasis;
            leverage.Started = true;
            leverage.StartDate = LocalDate.FromDateOnly(imposed.StartDate);
            leverage.StartsAt = Instant.FromDateTimeOffset(imposed.StartsAt);
            leverage.DecidedAt = Instant.FromDateTimeOffset(imposed.Decision.DecidedAt);
            leverage.CatalogueVersion = imposed.CatalogueVersion;
            if (imposed.ReviewDueAt is null)
                Add(Severity.Error, "leverage.review-date", e, leverage, null, imposed.Decision.DecidedAt,
                    $"{type.Code} has no end in law and was imposed without a review date");
            return type.LegalBasis.Citation;
        }

        Start(leverage, e, type?.LegalBasis, imposed.CatalogueVersion, imposed.StartDate, imposed.EndDate, imposed.LegalMaxEnd,
            imposed.TotalCapEnd, imposed.ExpiresAt, imposed.Decision.DecidedAt);
        return type?.LegalBasis.Citation;
    }

    /// <summary>Puts an item in force with its initial term, checked against its basis.</summary>
    private void Start(TimeLimited item, StoredEvent e, LegalBasis? basis, string? version, DateOnly start,
        DateOnly? end, DateOnly? legalMaxEnd, DateOnly? totalCapEnd, DateTimeOffset? expiresAt, DateTimeOffset decidedAt)
    {
        var subject = TermRules.Subject(item.Kind);
        item.Started = true;
        item.StartDate = LocalDate.FromDateOnly(start);
        item.DecidedAt = Instant.FromDateTimeOffset(decidedAt);
        item.CatalogueVersion = version;
        if (basis is null)
        {
            item.StartsAt = item.DecidedAt;
            Add(Severity.Error, $"{subject}.basis-unknown", e, item, null, decidedAt,
                $"{item.Code} is not in the {subject} catalogue: its time limits cannot be checked");
            return;
        }

        item.Basis = basis;
        item.StartsAt = basis.Zone.AtStartOfDay(item.StartDate).ToInstant();
        if (!basis.AppliesTo(item.Country))
            Add(Severity.Error, $"{subject}.jurisdiction", e, item, null, decidedAt, $"{basis.Code} is {basis.Jurisdiction} law and does not apply in {item.Country}");
        if (end is null || legalMaxEnd is null || expiresAt is null)
        {
            Add(Severity.Error, $"{subject}.initial-duration", e, item, null, decidedAt,
                $"{item.Code} has a legal maximum duration but was put in force without an end");
            return;
        }

        var recorded = new RecordedTerm(LocalDate.FromDateOnly(start), LocalDate.FromDateOnly(end.Value), LocalDate.FromDateOnly(legalMaxEnd.Value),
            totalCapEnd is { } cap ? LocalDate.FromDateOnly(cap) : null, Instant.FromDateTimeOffset(expiresAt.Value));
        var (lawful, breaches) = TermRules.Initial(item.Kind, basis, item.Country, recorded);
        item.Lawful = lawful;
        item.Recorded = lawful with { End = recorded.End, EndsAt = recorded.EndsAt };
        foreach (var breach in breaches) Add(Severity.Error, breach.Rule, e, item, null, decidedAt, breach.Message);
    }

    private void Extend(TimeLimited item, StoredEvent e, int number, DateOnly newEnd, DateOnly legalMaxEnd, DateTimeOffset expiresAt, string? consent,
        string? version, StoredDecision decision)
    {
        var subject = TermRules.Subject(item.Kind);
        item.RecordedExtensions++;
        if (number != item.RecordedExtensions)
            Add(Severity.Error, $"{subject}.extension.numbering", e, item, null, decision.DecidedAt,
                $"recorded as extension {number}, but it is extension {item.RecordedExtensions} of the record");
        if (version is not null && version != item.CatalogueVersion) Law(e, item, version, decision.DecidedAt);
        if (item is not { Basis: { } basis, Lawful: { } lawful, Recorded: { } recorded })
        {
            item.Changes.Add(new TermChange(decision.DecidedAt, newEnd, false, $"{subject}.until-repealed"));
            Add(Severity.Error, $"{subject}.until-repealed", e, item, null, decision.DecidedAt, $"{item.Code} has no term in law to extend");
            return;
        }

        var (extended, breach) = TermRules.Extend(item.Kind, basis, item.Country, lawful, item.LawfulExtensions, LocalDate.FromDateOnly(newEnd), consent,
            Instant.FromDateTimeOffset(decision.DecidedAt), LocalDate.FromDateOnly(legalMaxEnd), Instant.FromDateTimeOffset(expiresAt));
        var lawfulExtension = breach is null || breach.Rule.EndsWith(".recorded-term", StringComparison.Ordinal);
        if (lawfulExtension)
        {
            item.Lawful = extended;
            item.LawfulExtensions++;
        }

        item.Recorded = recorded with { End = LocalDate.FromDateOnly(newEnd), EndsAt = Instant.FromDateTimeOffset(expiresAt) };
        item.Changes.Add(new TermChange(decision.DecidedAt, newEnd, lawfulExtension, breach?.Rule));
        if (breach is not null) Add(Severity.Error, breach.Rule, e, item, null, decision.DecidedAt, breach.Message);
    }

    private void StopItem(TimeLimited item, StoredEvent e, Instant at, string how, Instant recordedAt, bool bySystem)
    {
        if (item.Stopped is not null)
        {
            Add(Severity.Error, $"{TermRules.Subject(item.Kind)}.ended-twice", e, item, null, recordedAt.ToDateTimeOffset(),
                $"{e.EventType} recorded after it had already {item.Stopped.How}");
            return;
        }

        item.Stopped = new Stop(at, how, recordedAt, bySystem);
        if (how is "expired" or "lapsed" && item.Recorded is { } term && at != term.EndsAt)
            Add(Severity.Error, $"{TermRules.Subject(item.Kind)}.expiry-not-at-legal-end", e, item, null, recordedAt.ToDateTimeOffset(),
                $"{how} stamped at {at}, but its term ends at {term.EndsAt}");
    }

    /// <summary>The checks at the end of the replay: legal maximum, recording of the end, and what depends on the crisis.</summary>
    private void CheckEnd(TimeLimited item, CrisisRecord? crisis)
    {
        var subject = TermRules.Subject(item.Kind);
        var recordedEnd = item.RecordedEnd;
        var inForceUntil = recordedEnd ?? _asOf;

        if (item.Lawful is { } lawful && inForceUntil > lawful.EndsAt)
            Add(Severity.Error, $"{subject}.in-force-beyond-legal-maximum", null, item, crisis, lawful.EndsAt.ToDateTimeOffset(),
                $"in force until {inForceUntil} according to the record, {Days(inForceUntil - lawful.EndsAt)} beyond its legal end {lawful.EndsAt} ({item.Basis?.Code})");

        if (item.Stopped is null && item.Recorded is { } term && _asOf > term.EndsAt + _tolerance)
            Add(Severity.Error, $"{subject}.expiry-not-recorded", null, item, crisis, term.EndsAt.ToDateTimeOffset(),
                $"its term ended at {term.EndsAt}, and at {_asOf} no expiry has been recorded ({Days(_asOf - term.EndsAt)} later)");

        if (item.Stopped is { BySystem: true } stop && stop.RecordedAt - stop.At > _tolerance)
            Add(Severity.Error, stop.How is "expired" or "lapsed" ? $"{subject}.expiry-late" : $"{subject}.end-late", null, item, crisis,
                stop.At.ToDateTimeOffset(), $"{stop.How} at {stop.At} but recorded only at {stop.RecordedAt}, {Days(stop.RecordedAt - stop.At)} late");

        switch (item.Kind)
        {
            case ItemKind.Emergency when crisis?.EndedAt is { } crisisEnd && inForceUntil > crisisEnd:
                Add(Severity.Error, "emergency.outlived-crisis", null, item, crisis, crisisEnd.ToDateTimeOffset(),
                    $"crisis {crisis.Id} ended at {crisisEnd}; the emergency stayed in force until {inForceUntil}");
                break;
            case ItemKind.Measure:
                CheckMeasureBacking(item, crisis, inForceUntil);
                break;
            case ItemKind.Leverage when item.ConditionalOnCrisis && crisis?.EndedAt is { } crisisEnd && inForceUntil > crisisEnd:
                Add(Severity.Error, "leverage.outlived-crisis", null, item, crisis, crisisEnd.ToDateTimeOffset(),
                    $"conditional on crisis {crisis.Id}, which ended at {crisisEnd}; it stayed in force until {inForceUntil}");
                break;
        }
    }

    /// <summary>
    /// A measure specific to instrumentalized migration is backed, at every moment it is in force, by a declared crisis
    /// that qualifies; every measure ends when its crisis ends, and one taken under an emergency ends with it.
    /// </summary>
    private void CheckMeasureBacking(TimeLimited measure, CrisisRecord? crisis, Instant inForceUntil)
    {
        var type = measure.MeasureType;
        if (measure.CrisisId is null)
        {
            if (type is { NeedsQualifiedCrisis: true })
                Add(Severity.Error, "measure.requires-instrumentalization", null, measure, null, measure.StartsAt.ToDateTimeOffset(),
                    $"{measure.Code} is specific to instrumentalized migration but names no crisis");
            return;
        }

        if (crisis is null)
        {
            Add(Severity.Error, "measure.crisis-unknown", null, measure, null, measure.StartsAt.ToDateTimeOffset(),
                $"it answers crisis {measure.CrisisId}, which is in none of the stores audited: its backing cannot be proven");
            return;
        }

        if (!string.Equals(crisis.Country, measure.Country, StringComparison.OrdinalIgnoreCase))
            Add(Severity.Error, "measure.crisis-country", null, measure, crisis, measure.StartsAt.ToDateTimeOffset(),
                $"crisis {crisis.Id} is declared for {crisis.Country}, the measure is in force in {measure.Country}");
        if (type is { NeedsQualifiedCrisis: true } && !crisis.Qualifies)
            Add(Severity.Error, "measure.requires-instrumentalization", null, measure, crisis, measure.StartsAt.ToDateTimeOffset(),
                $"{measure.Code} is specific to instrumentalized migration; crisis {crisis.Id} does not qualify as instrumentalization");
        var zone = measure.Basis?.Zone ?? DateTimeZone.Utc;
        if (measure.DecidedAt < crisis.DeclaredAt
            || LegalCalendar.DayOf(measure.StartsAt, zone) < LegalCalendar.DayOf(crisis.DeclaredAt, zone))
            Add(Severity.Error, "measure.before-crisis", null, measure, crisis, measure.StartsAt.ToDateTimeOffset(),
                $"in force from {measure.StartsAt} (decided {measure.DecidedAt}), before crisis {crisis.Id} was declared at {crisis.DeclaredAt}");
        if (crisis.EndedAt is { } crisisEnd && inForceUntil > crisisEnd)
            Add(Severity.Error, "measure.outlived-crisis", null, measure, crisis, crisisEnd.ToDateTimeOffset(),
                $"crisis {crisis.Id} ended at {crisisEnd}; the measure stayed in force until {inForceUntil}");

        if (type?.DependsOnEmergency is not { } emergencyBasis) return;
        var under = crisis.Emergencies.LastOrDefault(em => em.Code == emergencyBasis && em.Started && em.StartsAt <= measure.StartsAt
            && em.InForceAt(Max(measure.StartsAt, measure.DecidedAt)));
        if (under is null)
        {
            if (!measure.Provisional)
                Add(Severity.Error, "measure.requires-emergency", null, measure, crisis, measure.StartsAt.ToDateTimeOffset(),
                    $"{measure.Code} may be in force only under an emergency {emergencyBasis} in force on crisis {crisis.Id}; none was when it was enacted");
            return;
        }

        // Judged once the emergency's end has passed: until then the law (and the measures service's cascade) ends the
        // measure with its emergency, so a decided term reaching beyond an emergency still in force is not yet outliving it.
        var inForceAsOfAudit = inForceUntil < _asOf ? inForceUntil : _asOf;
        if (under.RecordedEnd is { } emergencyEnd && emergencyEnd < _asOf && inForceAsOfAudit > emergencyEnd)
            Add(Severity.Error, "measure.outlived-emergency", null, measure, crisis, emergencyEnd.ToDateTimeOffset(),
                $"the emergency {under.Id} it was taken under ended at {emergencyEnd}; the measure stayed in force until {inForceAsOfAudit}");
    }

    private TimeLimited? OnEmergency(StoredEvent e, string crisisId, Action<TimeLimited> act)
    {
        if (_crises.TryGetValue(crisisId, out var crisis) && crisis.Current is { } emergency)
        {
            act(emergency);
            return emergency;
        }

        Add(Severity.Error, "emergency.unknown", e, null, null, null, $"{e.EventType} on crisis {crisisId}, which has no emergency");
        return null;
    }

    private TimeLimited? Find(Dictionary<string, TimeLimited> items, string id, StoredEvent e)
    {
        if (items.TryGetValue(id, out var item)) return item;
        Add(Severity.Error, "integrity.orphan", e, null, null, null, $"{e.EventType} for {id}, whose first decision is not in the store");
        return null;
    }

    /// <summary>The law the decision names, as its store adopted it; an error when the store never adopted that version.</summary>
    private LegalCatalogue? Law(StoredEvent e, TimeLimited item, string? version, DateTimeOffset at)
    {
        if (_law.Find(_store, version) is { } law) return law;
        Add(Severity.Error, $"{TermRules.Subject(item.Kind)}.catalogue-version-unknown", e, item, null, at,
            $"decided under law version '{version ?? "(none recorded)"}', which this store never adopted: its legal limits cannot be checked");
        return null;
    }

    /// <summary>
    /// Safeguard 3 over time: each crossing-point closure, for as long as the record has it in force, always left a
    /// registration point open in its country (<see cref="RegistrationPointTimeline"/>).
    /// </summary>
    private void CheckRegistrationPointsHeld()
    {
        var closures = _measures.Values.Where(m => m is { Started: true, MeasureType.Category: MeasureCategory.CrossingPointRestriction }).ToList();
        if (closures.Count == 0) return;
        if (!_registrationPoints.Seen)
        {
            _findings.Add((new Finding(Severity.Warning, "safeguard.3.unchecked", closures[0].Store, null, null, null, null, null, null, null,
                $"{closures.Count} crossing-point closure(s) were audited without reception's store: that a registration point stayed open while each was in force (safeguard 3) was checked only when it was enacted; audit the reception schema too"), null, null));
            return;
        }

        foreach (var closure in closures)
        {
            var until = closure.RecordedEnd is { } end && end < _asOf ? end : _asOf;
            for (var i = 0; i < closure.ClosedPoints.Count; i++)
            {
                var (from, points) = closure.ClosedPoints[i];
                if (i == 0 && closure.StartsAt > from) from = closure.StartsAt;
                var to = i + 1 < closure.ClosedPoints.Count ? closure.ClosedPoints[i + 1].From : until;
                if (to > until) to = until;
                if (_registrationPoints.FirstMomentWithoutOpenPoint(closure.Country, points, from, to) is not { } bare) continue;
                Add(Severity.Error, Safeguards.Prefix + "3.open-registration-point", null, closure, null, bare.ToDateTimeOffset(),
                    $"{closure.Code} was in force at {bare.ToDateTimeOffset():u} while no registration point where asylum can be lodged was open in {closure.Country} outside the crossing points it closes (CFMR Art. 10(5); N.D. and N.T. v Spain)");
                break;
            }
        }
    }

    // Most measures close no crossing point: they share one empty set instead of keeping one each for the whole replay.
    private static IReadOnlySet<string> ClosedBy(StoredParameters? p) =>
        p?.CrossingPoints is { Count: > 0 } points ? new HashSet<string>(points, StringComparer.Ordinal) : FrozenSet<string>.Empty;

    private static MeasureParameters Parameters(StoredParameters? p) =>
        p is null ? MeasureParameters.None : new(p.RegistrationDelayWeeks, [.. p.CrossingPoints ?? []], p.ExcludesApr53Groups, p.IndividualAssessment);

    private T Read<T>()
        where T : IStoredDecisionEvent =>
        (T)_record!;

    private TimeLimited? ItemOf(StoredEvent e) =>
        _measures.GetValueOrDefault(e.StreamKey) ?? _leverages.GetValueOrDefault(e.StreamKey)
        ?? (_crises.TryGetValue(e.StreamKey, out var crisis) ? crisis.Current : null);

    private CrisisRecord? CrisisOf(StoredEvent e) => _crises.GetValueOrDefault(e.StreamKey) ?? Crisis(ItemOf(e));

    private CrisisRecord? Crisis(TimeLimited? item) => item?.CrisisId is { } id ? _crises.GetValueOrDefault(id) : null;

    private void Add(Severity severity, string rule, StoredEvent? e, TimeLimited? item, CrisisRecord? crisis, DateTimeOffset? at, string message)
    {
        if (item is not null) item.FindingCount++;
        crisis ??= Crisis(item);
        var subject = item is null ? null : $"{TermRules.Subject(item.Kind)} {item.Id}";
        _findings.Add((new Finding(severity, rule, e is null ? item?.Store ?? _store : _store, e?.StreamKey ?? item?.StreamKey, e?.Version, e?.Sequence,
            subject, crisis?.Id ?? item?.CrisisId, item?.Country ?? crisis?.Country ?? (e is null ? null : CountryOf(e)), at, message), item, crisis));
    }

    private static string? CountryOf(StoredEvent e)
    {
        try
        {
            using var document = JsonDocument.Parse(e.Utf8);
            return StoredJson.CountryOf(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Instant Max(Instant a, Instant b) => a > b ? a : b;

    private static string Days(Duration d) =>
        d >= Duration.FromDays(1) ? $"{d.TotalDays:0.#} day(s)" : d >= Duration.FromHours(1) ? $"{d.TotalHours:0.#} hour(s)" : $"{d.TotalMinutes:0.#} minute(s)";

    private AuditReport Report(DateTimeOffset generatedAt) => AuditReportBuilder.Build(generatedAt, options, _law.Versions, _stores, _crises.Values,
        _measures.Values.Concat(_leverages.Values).Where(i => i.Started), _refusals, _decisions, _findings, _tampering, _asOf);
}
