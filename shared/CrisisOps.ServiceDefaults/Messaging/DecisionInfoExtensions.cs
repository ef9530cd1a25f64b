using CrisisOps.Contracts;
using CrisisOps.Legal;

namespace CrisisOps.ServiceDefaults.Messaging;

/// <summary>The decision metadata as it travels on the bus.</summary>
public static class DecisionInfoExtensions
{
    public static DecisionInfo ToInfo(this Decision d) => new(d.Actor.Subject, d.Actor.Name, d.Actor.Role.ToString(), d.Actor.Organisation,
        d.Actor.Country, d.LegalBasis, d.Justification, d.DecidedAt);
}
