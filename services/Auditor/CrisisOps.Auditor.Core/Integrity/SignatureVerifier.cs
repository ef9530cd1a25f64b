using System.Globalization;
using System.Text.Json.Nodes;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;

namespace CrisisOps.Auditor.Core.Integrity;

/// <summary>A service's published public key and the period it signs for (key rotation: an old key keeps verifying what it signed then).</summary>
public sealed record PublishedKey(NoteVerifierKey Key, DateTimeOffset? From, DateTimeOffset? Until)
{
    /// <summary>Reads one line of a keys file: <c>&lt;verifier key&gt; [from=&lt;ISO 8601&gt;] [until=&lt;ISO 8601&gt;]</c>.</summary>
    public static PublishedKey Parse(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        DateTimeOffset? Moment(string name) => fields.Skip(1).FirstOrDefault(f => f.StartsWith(name + "=", StringComparison.Ordinal)) is { } field
            ? DateTimeOffset.Parse(field[(name.Length + 1)..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : null;
        return new PublishedKey(NoteVerifierKey.Parse(fields[0]), Moment("from"), Moment("until"));
    }

    /// <summary>Whether the key signed for <paramref name="at"/>.</summary>
    public bool ValidAt(DateTimeOffset at) => (From is null || at >= From) && (Until is null || at < Until);
}

/// <summary>
/// Verifies the decision signature of every event (issue 11) against the services' published keys: an event without
/// one was written around the service (<c>integrity.unsigned</c>), one that does not verify was changed after it was
/// signed, and one signed by a key outside the key's period was signed by a retired or not yet valid key. Pure.
/// </summary>
public sealed class SignatureVerifier(string store, IReadOnlyList<PublishedKey> keys)
{
    private readonly List<Finding> _findings = [];

    /// <summary>The findings so far.</summary>
    public IReadOnlyList<Finding> Findings => _findings;

    /// <summary>Checks one event.</summary>
    public void Observe(EventLeaf leaf)
    {
        var headers = JsonNode.Parse(leaf.CanonicalHeaders.Span) as JsonObject ?? [];
        var signature = headers[DecisionStatement.SignatureHeader]?.GetValue<string>();
        var keyName = headers[DecisionStatement.KeyHeader]?.GetValue<string>();
        if (signature is null || keyName is null)
        {
            Add("integrity.unsigned", leaf, $"{leaf.EventType} carries no decision signature: it was written with database credentials, not recorded by the service");
            return;
        }

        headers.Remove(DecisionStatement.SignatureHeader);
        headers.Remove(DecisionStatement.KeyHeader);
        var statement = DecisionStatement.Encode(leaf.EventId, leaf.StreamKey, leaf.Version, leaf.EventType, leaf.UserName,
            EventChain.Canonicalize(headers.ToJsonString()), leaf.CanonicalData.Span);
        var signer = keys.FirstOrDefault(k => k.Key.Name == keyName && DecisionStatement.Verify(k.Key, signature, statement));
        if (signer is null)
            Add("integrity.bad-signature", leaf, keys.Any(k => k.Key.Name == keyName)
                ? $"{leaf.EventType}'s decision signature by {keyName} does not verify: the event was changed after the service signed it"
                : $"{leaf.EventType} is signed by {keyName}, which is not a published key");
        else if (!signer.ValidAt(leaf.Timestamp))
            Add("integrity.key-not-valid", leaf, $"{leaf.EventType} was signed by {signer.Key} outside its period ({signer.From:u} – {signer.Until:u})");
    }

    private void Add(string rule, EventLeaf leaf, string message) =>
        _findings.Add(new Finding(Severity.Error, rule, store, leaf.StreamKey, leaf.Version, leaf.Sequence, null, null, null, null, message));
}
