using CrisisOps.Humanitarian.Assistance;
using CrisisOps.Humanitarian.Catalogue;
using CrisisOps.Humanitarian.Overflow;
using Xunit;
using static CrisisOps.Humanitarian.Tests.Samples;
using Reception = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Humanitarian.Tests;

public class OverflowShelterTests
{
    private static readonly Guid MessageId = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");

    private static Reception.ReceptionStrainChanged Overflow(string scope = "Region", string to = "Overflow", int capacity = 500, int occupied = 540,
        string scopeId = "PL20", string region = "Podlaskie") =>
        new(scope, scopeId, "PL", region, "PL-BY", "Strained", to, capacity, occupied, (double)occupied / capacity, Nov2021);

    [Fact]
    public void Only_a_region_tipping_into_overflow_opens_a_request()
    {
        Assert.True(OverflowShelter.Opens(Overflow()));
        Assert.False(OverflowShelter.Opens(Overflow(scope: "Facility")));
        Assert.False(OverflowShelter.Opens(Overflow(scope: "Country")));
        Assert.False(OverflowShelter.Opens(Overflow(to: "Strained")));
        Assert.False(OverflowShelter.Opens(Overflow(to: "Normal")));
    }

    [Fact]
    public void An_overflow_asks_for_the_missing_places_as_emergency_shelter_by_a_deadline_counted_from_the_overflow()
    {
        var command = OverflowShelter.Request(Overflow(), MessageId, null, 12, Nov2021.AddMinutes(3))!;
        Assert.Equal((Sector.Shelter, 40, "places", Origins.ReceptionOverflow), (command.Sector, command.Quantity, command.Unit, command.Origin));
        Assert.Equal(Nov2021.AddHours(12), command.Deadline);
        Assert.Equal(("PL", "Podlaskie", "PL20", (string?)null, false),
            (command.Location.Country, command.Location.Admin1Name, command.Location.Admin1Pcode, command.Location.Name, command.Location.BeyondBorder));
        Assert.Equal(OverflowShelter.ReceptionOverflow, command.Decision.Actor);
        Assert.Contains("540 occupied for 500 places", command.Decision.Justification, StringComparison.Ordinal);
        Assert.Equal($"reception-overflow/{MessageId}", command.Decision.RequestId);
        Assert.Equal(("PL/PL20", 1, MessageId), (command.Overflow!.RegionKey, command.Overflow.Episode, command.Overflow.MessageId));
        Assert.Equal("request-overflow-PL-PL20-1", command.RequestId);

        var requested = new AssistanceSpec().Single<AssistanceRequested>(command);
        Assert.Equal(command.Overflow, requested.Overflow);
    }

    [Fact]
    public void An_overflow_asks_for_the_people_reception_could_not_place_refused_and_waiting_but_not_those_sent_elsewhere()
    {
        var notPlaced = new Reception.NotPlaced(Counts(general: 12, families: 5), Counts(general: 30), Counts(unaccompanied: 3));
        var command = OverflowShelter.Request(Overflow(capacity: 500, occupied: 500) with { NotPlaced = notPlaced }, MessageId, null, 24, Nov2021)!;
        Assert.Equal(20, command.Quantity);
        Assert.Contains("20 people without a place (17 refused, 3 waiting)", command.Decision.Justification, StringComparison.Ordinal);
    }

    [Fact]
    public void An_overflow_message_published_before_reception_counted_people_not_placed_reads_as_none()
    {
        var old = System.Text.Json.JsonSerializer.Deserialize<Reception.ReceptionStrainChanged>(
            """{"scope":"Region","scopeId":"PL20","country":"PL","region":"Podlaskie","borderSection":"","from":"Strained","to":"Overflow","capacity":500,"occupied":500,"occupancyRate":1.0,"changedAt":"2021-11-08T08:00:00+00:00"}""",
            System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Null(old.NotPlaced);
        Assert.Equal(1, OverflowShelter.Request(old, MessageId, null, 24, Nov2021)!.Quantity);
    }

    private static Dictionary<string, int> Counts(int general = 0, int families = 0, int unaccompanied = 0) => new()
    {
        ["General"] = general, ["Families"] = families, ["UnaccompaniedMinors"] = unaccompanied, ["SpecialNeeds"] = 0,
    };

    [Fact]
    public void An_overflow_with_occupancy_exactly_at_capacity_still_asks_for_one_place() =>
        Assert.Equal(1, OverflowShelter.Request(Overflow(capacity: 500, occupied: 500), MessageId, null, 24, Nov2021)!.Quantity);

    [Fact]
    public void While_the_regions_automatic_request_is_open_a_new_overflow_opens_nothing_and_once_closed_the_next_episode_opens()
    {
        Assert.Null(OverflowShelter.Request(Overflow(), MessageId, new OverflowShelterSlot("PL/PL20", "request-overflow-PL-PL20-1", 1), 24, Nov2021));
        var next = OverflowShelter.Request(Overflow(), MessageId, new OverflowShelterSlot("PL/PL20", null, 1), 24, Nov2021)!;
        Assert.Equal(("request-overflow-PL-PL20-2", 2), (next.RequestId, next.Overflow!.Episode));
    }

    [Fact]
    public void The_same_message_decides_the_same_request_whenever_it_is_delivered()
    {
        var first = OverflowShelter.Request(Overflow(), MessageId, null, 24, Nov2021.AddMinutes(1))!;
        var redelivered = OverflowShelter.Request(Overflow(), MessageId, null, 24, Nov2021.AddHours(5))!;
        Assert.Equal((first.RequestId, first.Deadline, first.Quantity, first.Decision.RequestId, first.Decision.Justification),
            (redelivered.RequestId, redelivered.Deadline, redelivered.Quantity, redelivered.Decision.RequestId, redelivered.Decision.Justification));
    }

    [Fact]
    public void Distinct_regions_never_share_a_request_id_and_one_region_is_one_whatever_the_case_of_its_code()
    {
        var plain = OverflowShelter.StreamIdFor(Overflow(scopeId: "A"), 12);
        var dashed = OverflowShelter.StreamIdFor(Overflow(scopeId: "A-1"), 2);
        Assert.NotEqual(plain, dashed);
        Assert.Equal(OverflowShelter.RegionKey(Overflow(scopeId: "pl20")), OverflowShelter.RegionKey(Overflow(scopeId: "PL20")));
        Assert.Equal("request-overflow-PL-%C5%81ODZKIE-1", OverflowShelter.StreamIdFor(Overflow(scopeId: "Łodzkie"), 1));
        var noCode = OverflowShelter.Request(Overflow(scopeId: "", region: "Podlaskie"), MessageId, null, 24, Nov2021)!;
        Assert.Equal(("PL/PODLASKIE", (string?)null), (noCode.Overflow!.RegionKey, noCode.Location.Admin1Pcode));
    }
}
