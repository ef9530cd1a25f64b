using System.Collections.Frozen;

namespace CrisisOps.ServiceDefaults.Grpc;

/// <summary>
/// The one table of what every request field may hold, the same on every service: how long a string may be (by field
/// name, wherever the field appears), how many elements a repeated field may have, and which write-command fields are
/// required. <see cref="RequestValidator"/> applies it to every request before the handler runs, so a new RPC or
/// field is covered without new code; the services still check what only they know (an ISO country code, a date).
/// </summary>
public static class FieldLimits
{
    /// <summary>Characters of a string field not named in <see cref="LongerStrings"/>: names, codes and ids.</summary>
    public const int DefaultStringLength = 200;

    /// <summary>Elements of any repeated field (border sections, crossing points, allies...).</summary>
    public const int MaxRepeated = 1000;

    /// <summary>How many message levels a request may nest (no request of ours goes beyond four).</summary>
    public const int MaxDepth = 16;

    /// <summary>The fields that are free text, with their limit in characters.</summary>
    public static readonly FrozenDictionary<string, int> LongerStrings = new Dictionary<string, int>
    {
        // Why a decision was taken: it is read by courts and auditors, so it may be long, but never a dump (1 MB was accepted once).
        ["justification"] = 4000,
        ["evidence"] = 4000,
        ["notes"] = 4000,
        ["reason"] = 4000,
        ["source"] = 500,
        ["note"] = 500,
        ["reference"] = 500,
        ["consent_reference"] = 500,
        ["confirmation_reference"] = 500,
        ["legal_act_reference"] = 500,
        ["legal_basis"] = 500,
        ["legal_basis_citation"] = 500,
        ["how"] = 500,
    }.ToFrozenDictionary();

    /// <summary>
    /// Write commands carry these, and each is required wherever a request message has it (checked on the request
    /// itself, not on nested messages): the idempotency key and the reason recorded with the decision.
    /// </summary>
    public static readonly IReadOnlyList<string> RequiredOnWrites = ["request_id", "justification"];

    /// <summary>
    /// Requests whose justification is optional by contract: a partner's pledge or delivery is its own reason, and the
    /// service records "UNHCR pledges 200 tents" when none is given. Full proto names.
    /// </summary>
    public static readonly FrozenSet<string> OptionalJustification = new[]
    {
        "crisisops.humanitarian.v1.PledgeAssistanceRequest",
        "crisisops.humanitarian.v1.RecordDeliveryRequest",
    }.ToFrozenSet();

    /// <summary>The longest a string field of this name may be.</summary>
    public static int MaxLength(string fieldName) => LongerStrings.GetValueOrDefault(fieldName, DefaultStringLength);
}
