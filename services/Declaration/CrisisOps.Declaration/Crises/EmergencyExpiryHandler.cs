using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Declaration.Crises;

/// <summary>Expires an emergency at its legal end when it was not lawfully extended; stamped with the legal end.</summary>
public sealed class EmergencyExpiryHandler(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
    : LegalEndHandler<Crisis>(store, clock)
{
    public override string Kind => CrisisStream.ExpiryDeadline;

    protected override StreamDefinition<Crisis> Definition => CrisisStream.Definition;

    protected override IReadOnlyList<object> Expire(Crisis? state, Decision decision) =>
        CrisisDecider.Decide(state, new ExpireEmergency(decision), catalogue);
}
