using CrisisOps.Auditor.Core.Integrity;
using Xunit;

namespace CrisisOps.Auditor.Tests;

/// <summary>Each kind of tampering with a store is found and named by stream and position.</summary>
public sealed class ChainVerifierTests
{
    [Fact]
    public void A_history_as_appended_verifies_clean()
    {
        var history = History.TwoCrises();

        var result = History.Verify(history.Events, history.Links);

        Assert.Empty(result.Findings);
        Assert.Equal(5, result.Events);
        Assert.Equal(2, result.Streams);
        Assert.Equal(history.Links[^1].LogHash, result.LogHead);
    }

    [Fact]
    public void Data_edited_in_place_is_an_alteration_of_that_event_only()
    {
        var history = History.TwoCrises();
        history.Events[2] = history.Events[2] with { Data = """{"CrisisId":"crisis-pl","EndDate":"2021-12-01"}""" };

        var finding = Assert.Single(History.Verify(history.Events, history.Links).Findings);

        Assert.Equal((Tampering.Altered, "crisis-pl", 2L, 3L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void Data_edited_with_its_hash_recomputed_is_still_found_by_the_log_that_sealed_it()
    {
        var history = History.TwoCrises();
        var forged = CrisisOps.ServiceDefaults.EventStore.EventChain.Hash(history.Events[0].Hash!, "crisis-pl", 2, "emergency_declared",
            """{"CrisisId":"crisis-pl","EndDate":"2021-12-01"}""");
        history.Events[2] = history.Events[2] with { Data = """{"CrisisId":"crisis-pl","EndDate":"2021-12-01"}""", Hash = forged };

        var findings = History.Verify(history.Events, history.Links).Findings;

        Assert.Contains(findings, f => f is { Kind: Tampering.Altered, StreamKey: "crisis-pl", Version: 2, Sequence: 3 });
    }

    [Fact]
    public void An_event_deleted_inside_its_stream_is_named_by_its_version()
    {
        var history = History.TwoCrises();
        history.Events.RemoveAt(2);

        var finding = Assert.Single(History.Verify(history.Events, history.Links).Findings);

        Assert.Equal((Tampering.Deleted, "crisis-pl", 2L, 3L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void An_event_deleted_at_the_end_of_its_stream_is_found_by_the_log_chain()
    {
        var history = History.TwoCrises();
        history.Events.RemoveAt(3);

        var finding = Assert.Single(History.Verify(history.Events, history.Links).Findings);

        Assert.Equal((Tampering.Deleted, "crisis-pl", 3L, 4L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void An_event_deleted_at_the_end_of_its_stream_goes_unnoticed_without_the_log_chain()
    {
        var history = History.TwoCrises();
        history.Events.RemoveAt(3);

        Assert.Empty(History.Verify(history.Events, [], hasLogChain: false).Findings);
    }

    [Fact]
    public void An_event_inserted_without_going_through_the_service_has_no_hash_and_is_named()
    {
        var history = History.TwoCrises();
        history.Events.Add(new StoredEvent(6, "crisis-pl", 4, "emergency_extended", """{"CrisisId":"crisis-pl","NewEndDate":"2022-03-01"}""",
            null, DateTimeOffset.UnixEpoch));

        var finding = Assert.Single(History.Verify(history.Events, history.Links).Findings);

        Assert.Equal((Tampering.Inserted, "crisis-pl", 4L, 6L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void An_event_slipped_below_the_log_checkpoints_with_a_valid_stream_hash_is_an_insertion()
    {
        var history = new History()
            .Append("crisis-pl", "crisis_declared", """{"CrisisId":"crisis-pl"}""")
            .Append("crisis-gr", "crisis_declared", """{"CrisisId":"crisis-gr"}""", link: false)
            .Append("crisis-pl", "crisis_ended", """{"CrisisId":"crisis-pl"}""");
        // The second event carries a correct stream hash, but the log moved from sequence 1 to 3 without it.
        history.Links.Clear();
        var head = CrisisOps.ServiceDefaults.EventStore.EventChain.Genesis;
        foreach (var e in history.Events.Where(e => e.Sequence != 2))
        {
            head = CrisisOps.ServiceDefaults.EventStore.EventChain.LogLink(head, e.Sequence, e.Hash!);
            history.Links.Add(new StoredLink(e.Sequence, e.StreamKey, e.Version, e.Hash!, head));
        }

        var finding = Assert.Single(History.Verify(history.Events, history.Links).Findings);

        Assert.Equal((Tampering.Inserted, "crisis-gr", 1L, 2L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void Events_of_two_streams_swapped_in_the_global_order_are_a_reordering()
    {
        var history = History.TwoCrises();
        (history.Events[1], history.Events[2]) = (history.Events[2] with { Sequence = 2 }, history.Events[1] with { Sequence = 3 });

        var findings = History.Verify(history.Events, history.Links).Findings;

        Assert.Equal(2, findings.Count);
        Assert.All(findings, f => Assert.Equal(Tampering.Reordered, f.Kind));
        Assert.Contains(findings, f => f is { StreamKey: "crisis-pl", Version: 2, Sequence: 2 });
        Assert.Contains(findings, f => f is { StreamKey: "crisis-gr", Version: 1, Sequence: 3 });
    }

    [Fact]
    public void Events_of_one_stream_swapped_in_the_global_order_are_a_reordering_even_without_the_log_chain()
    {
        var history = History.TwoCrises();
        (history.Events[2], history.Events[3]) = (history.Events[3] with { Sequence = 3 }, history.Events[2] with { Sequence = 4 });

        var finding = Assert.Single(History.Verify(history.Events, [], hasLogChain: false).Findings);

        Assert.Equal((Tampering.Reordered, "crisis-pl", 3L, 3L), (finding.Kind, finding.StreamKey, finding.Version, finding.Sequence));
    }

    [Fact]
    public void A_rewritten_log_checkpoint_breaks_the_log_chain_where_it_was_rewritten()
    {
        var history = History.TwoCrises();
        history.Links[2] = history.Links[2] with { LogHash = new string('0', 64) };

        var findings = History.Verify(history.Events, history.Links).Findings;

        Assert.Contains(findings, f => f is { Kind: Tampering.Altered, Sequence: 3 });
    }

    [Fact]
    public void Events_the_daemon_has_not_linked_yet_are_counted_not_reported()
    {
        var history = History.TwoCrises().Append("crisis-pl", "crisis_ended", """{"CrisisId":"crisis-pl"}""", link: false);

        var result = History.Verify(history.Events, history.Links);

        Assert.Empty(result.Findings);
        Assert.Equal(1, result.NotYetSealed);
    }

    [Fact]
    public void Tombstones_of_failed_transactions_are_not_tampering()
    {
        var history = History.TwoCrises();
        history.Events.Add(new StoredEvent(6, "mt_tombstone", 6, "tombstone", "{}", null, DateTimeOffset.UnixEpoch));

        Assert.Empty(History.Verify(history.Events, history.Links).Findings);
    }
}
