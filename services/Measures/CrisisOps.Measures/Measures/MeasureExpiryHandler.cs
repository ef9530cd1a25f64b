using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Facts;
using CrisisOps.ServiceDefaults.Deadlines;
using CrisisOps.ServiceDefaults.EventStore;
using Marten;

namespace CrisisOps.Measures.Measures;

/// <summary>Expires a measure at its legal end when it was not lawfully extended; stamped with the legal end.</summary>
public sealed class MeasureExpiryHandler(IDocumentStore store, LegalCatalogue catalogue, TimeProvider clock)
    : LegalEndHandler<Measure>(store, clock)
{
    public override string Kind => MeasureStream.ExpiryDeadline;

    protected override StreamDefinition<Measure> Definition => MeasureStream.Definition;

    protected override IReadOnlyList<object> Expire(Measure? state, Decision decision) =>
        MeasureDecider.Decide(state, new ExpireMeasure(decision), catalogue, LegalSituation.None);
}
