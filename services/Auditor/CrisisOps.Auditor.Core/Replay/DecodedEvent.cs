using System.Text.Json;
using CrisisOps.Auditor.Core.Integrity;

namespace CrisisOps.Auditor.Core.Replay;

/// <summary>
/// An event's data read into the audit's record of it (the records of <c>StoredDecisions.cs</c>): the part of the legal check that
/// depends on one row alone, so a replay can read many rows at once on other threads while
/// <see cref="AuditEngine.Check(ReplayRow, DecodedEvent)"/> folds them in sequence order.
/// </summary>
/// <param name="Record">The audit's record of the event, or null for a type the audit does not read into one.</param>
/// <param name="Decision">The decision the event carries (read generically for any other type), or null.</param>
/// <param name="Unreadable">Why the data cannot be read as the service writes it, or null when it can.</param>
public readonly record struct DecodedEvent(IStoredDecisionEvent? Record, StoredDecision? Decision, string? Unreadable)
{
    /// <summary>Reads one event; nothing for a missing row or a tombstone. Pure: safe on any thread.</summary>
    public static DecodedEvent Of(StoredEvent? e)
    {
        if (e is not { IsTombstone: false }) return default;
        try
        {
            var record = Read(e.EventType, e.Utf8.Span);
            return new DecodedEvent(record, record?.Decision ?? StoredJson.Read(e.Utf8.Span, StoredJsonContext.Default.DecisionOnly).Decision, null);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return new DecodedEvent(null, null, ex.Message);
        }
    }

    /// <summary>Reads every row of a batch, in its order.</summary>
    public static DecodedEvent[] Of(ReplayRow[] rows)
    {
        var decoded = new DecodedEvent[rows.Length];
        for (var i = 0; i < rows.Length; i++) decoded[i] = Of(rows[i].Event);
        return decoded;
    }

    /// <summary>The audit's record of the events it checks, by Marten's event type name; null for any other event.</summary>
    private static IStoredDecisionEvent? Read(string eventType, ReadOnlySpan<byte> utf8)
    {
        // The generated type infos by name: looking one up by type on every event costs as much as a small event's read.
        var json = StoredJsonContext.Default;
        return eventType switch
        {
            "law_adopted" => StoredJson.Read(utf8, json.LawAdopted),
            "crisis_declared" => StoredJson.Read(utf8, json.CrisisDeclared),
            "crisis_ended" => StoredJson.Read(utf8, json.CrisisEnded),
            "emergency_declared" => StoredJson.Read(utf8, json.EmergencyDeclared),
            "emergency_extended" => StoredJson.Read(utf8, json.EmergencyExtended),
            "emergency_expired" => StoredJson.Read(utf8, json.EmergencyExpired),
            "emergency_lifted" => StoredJson.Read(utf8, json.EmergencyLifted),
            "measure_enacted" => StoredJson.Read(utf8, json.MeasureEnacted),
            "measure_extended" => StoredJson.Read(utf8, json.MeasureExtended),
            "measure_amended" => StoredJson.Read(utf8, json.MeasureAmended),
            "measure_revoked" or "measure_annulled" => StoredJson.Read(utf8, json.MeasureWithdrawn),
            "measure_expired" => StoredJson.Read(utf8, json.MeasureExpired),
            "measure_ended" => StoredJson.Read(utf8, json.MeasureEnded),
            "safeguard_breach_refused" => StoredJson.Read(utf8, json.SafeguardBreachRefused),
            "leverage_proposed" => StoredJson.Read(utf8, json.LeverageProposed),
            "leverage_imposed" => StoredJson.Read(utf8, json.LeverageImposed),
            "leverage_renewed" => StoredJson.Read(utf8, json.LeverageRenewed),
            "leverage_lifted" => StoredJson.Read(utf8, json.LeverageLifted),
            "leverage_lapsed" => StoredJson.Read(utf8, json.LeverageLapsed),
            _ => null,
        };
    }
}
