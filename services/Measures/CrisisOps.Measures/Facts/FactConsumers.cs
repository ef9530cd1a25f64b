using CrisisOps.Measures.Measures;
using CrisisOps.ServiceDefaults.Messaging;
using Marten;
using MassTransit;
using Declaration = CrisisOps.Contracts.Declaration.V1;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Measures.Facts;

/// <summary>
/// Keeps what this service knows of crises from crisis declaration's events (idempotent), and cascades their end
/// to the measures that depend on them. A crisis that ends while this service is down waits in its queue.
/// </summary>
public sealed class CrisisFactsConsumer(IDocumentStore store, MeasureCascade cascade, TimeProvider clock) :
    IConsumer<Declaration.CrisisDeclared>,
    IConsumer<Declaration.EmergencyDeclared>,
    IConsumer<Declaration.EmergencyExpired>,
    IConsumer<Declaration.EmergencyLifted>,
    IConsumer<Declaration.EmergencyExtended>,
    IConsumer<Declaration.CrisisStageChanged>,
    IConsumer<Declaration.CrisisEnded>
{
    private const string Name = "crisis-facts";

    public Task Consume(ConsumeContext<Declaration.CrisisDeclared> context) =>
        Update(context, context.Message.CrisisId, context.Message.TargetCountry, f => f with { Qualifies = context.Message.QualifiesAsInstrumentalization });

    public Task Consume(ConsumeContext<Declaration.EmergencyDeclared> context) =>
        Update(context, context.Message.CrisisId, context.Message.TargetCountry, f => Newer(context, f)
            ? f with { EmergencyLegalBasis = context.Message.LegalBasisCode, EmergencyInForce = true, EmergencyStartDate = context.Message.StartDate, Version = VersionOf(context) }
            : f);

    // An extension or a change of stage decides nothing here, but it moves the crisis's version: a caller who read the
    // crisis after it passes that version (crisis_version) and must not wait for a fact that never comes.
    public Task Consume(ConsumeContext<Declaration.EmergencyExtended> context) =>
        Update(context, context.Message.CrisisId, context.Message.TargetCountry, f => f);

    public Task Consume(ConsumeContext<Declaration.CrisisStageChanged> context) =>
        Update(context, context.Message.CrisisId, context.Message.TargetCountry, f => f);

    public async Task Consume(ConsumeContext<Declaration.EmergencyExpired> context)
    {
        var m = context.Message;
        await EmergencyEnded(context, m.CrisisId, m.TargetCountry, m.ExpiredAt);
    }

    public async Task Consume(ConsumeContext<Declaration.EmergencyLifted> context)
    {
        var m = context.Message;
        await EmergencyEnded(context, m.CrisisId, m.TargetCountry, m.Decision.DecidedAt);
    }

    public async Task Consume(ConsumeContext<Declaration.CrisisEnded> context)
    {
        var m = context.Message;
        await Update(context, m.CrisisId, m.TargetCountry, f => f with { Ended = true, EndedAt = m.Decision.DecidedAt, EmergencyInForce = false });
        // Runs on every delivery: each measure's end is itself idempotent, so a crash half-way loses nothing.
        await cascade.EndMeasuresAsync(m.CrisisId, EndReason.CrisisEnded, null, m.Decision.DecidedAt,
            $"crisis {m.CrisisId} ended: {m.Decision.Justification} (decided by {m.Decision.ActorName}, {m.Decision.Ministry})",
            context.MessageId, context.CancellationToken);
    }

    private async Task EmergencyEnded<T>(ConsumeContext<T> context, string crisisId, string country, DateTimeOffset endedAt)
        where T : class
    {
        string? basis = null;
        await Update(context, crisisId, country, f =>
        {
            basis = f.EmergencyLegalBasis;
            return Newer(context, f) ? f with { EmergencyInForce = false, EmergencyEndedAt = endedAt, Version = VersionOf(context) } : f;
        });
        await using var session = store.QuerySession();
        basis ??= (await session.LoadAsync<CrisisFacts>(crisisId, context.CancellationToken))?.EmergencyLegalBasis;
        if (basis is not null)
            await cascade.EndMeasuresAsync(crisisId, EndReason.EmergencyEnded, basis, endedAt,
                $"the emergency {basis} on crisis {crisisId} ended", context.MessageId, context.CancellationToken);
    }

    private Task<bool> Update<T>(ConsumeContext<T> context, string crisisId, string country, Func<CrisisFacts, CrisisFacts> change)
        where T : class =>
        store.ConsumeOnceAsync(Name, context.MessageId, clock.GetUtcNow(), async session =>
        {
            var facts = await session.LoadAsync<CrisisFacts>(crisisId, context.CancellationToken)
                ?? new CrisisFacts(crisisId, country, false, false, null, null, false, null, null, 0);
            var changed = change(facts);
            // The version is the crisis stream's, as recorded: callers pass the one they read (crisis_version) and wait for it.
            changed = changed with { Version = Math.Max(changed.Version, VersionOf(context)) };
            // Ending is terminal: a late, older message cannot revive an ended crisis.
            session.Store(facts.Ended ? changed with { Ended = true, EndedAt = facts.EndedAt, EmergencyInForce = false } : changed);
        }, context.CancellationToken);

    private static long VersionOf<T>(ConsumeContext<T> context)
        where T : class => context.Headers.Get<long>(RelayHeaders.Version) ?? 0;

    private static bool Newer<T>(ConsumeContext<T> context, CrisisFacts facts)
        where T : class => VersionOf(context) >= facts.Version;
}

/// <summary>
/// Keeps the registration points of each country, from reception capacity's events; when one closes, the measures whose
/// safeguard needed it open end (safeguard 3 holds for as long as a crossing-point closure is in force).
/// </summary>
public sealed class RegistrationPointConsumer(IDocumentStore store, MeasureCascade cascade, TimeProvider clock)
    : IConsumer<Reception.RegistrationPointStatusChanged>
{
    public async Task Consume(ConsumeContext<Reception.RegistrationPointStatusChanged> context)
    {
        var m = context.Message;
        var country = m.Country.ToUpperInvariant();
        await store.ConsumeOnceAsync("registration-points", context.MessageId, clock.GetUtcNow(), async session =>
        {
            var known = await session.LoadAsync<RegistrationPoint>(m.FacilityId, context.CancellationToken);
            if (known is null || known.UpdatedAt <= m.ChangedAt)
                session.Store(new RegistrationPoint(m.FacilityId, country, m.BorderSection, m.Open, m.ChangedAt));
        }, context.CancellationToken);
        if (m.Open) return;

        // Runs on every delivery: each measure's end is idempotent, so a crash half-way loses nothing.
        IReadOnlyList<string> open;
        await using (var session = store.QuerySession())
        {
            open = await session.Query<RegistrationPoint>().Where(r => r.Country == country && r.Open).Select(r => r.Id).ToListAsync(context.CancellationToken);
        }

        await cascade.EndWhereSafeguardNoLongerHeldAsync(country, [.. open], m.ChangedAt, $"registration point {m.FacilityId} closed",
            context.MessageId, context.CancellationToken);
    }
}
