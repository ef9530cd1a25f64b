using System.Text.Json;
using System.Text.Json.Serialization;
using CrisisOps.Legal;
using Xunit;

namespace CrisisOps.Declaration.Tests;

/// <summary>Actors as the event store keeps them (System.Text.Json, enums as strings), old records included.</summary>
public sealed class ActorJsonTests
{
    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public void An_actor_recorded_with_a_ministry_reads_it_as_its_organisation()
    {
        const string Recorded = """
            {"Name": "Duty officer, PL MoI", "Role": "Ministry", "Country": "PL", "Subject": "demo:pl-moi-duty-officer",
             "Ministry": "Ministry of Interior and Administration"}
            """;

        var actor = JsonSerializer.Deserialize<Actor>(Recorded, Json)!;

        Assert.Equal(new Actor("demo:pl-moi-duty-officer", "Duty officer, PL MoI", Role.Ministry, "Ministry of Interior and Administration", "PL"), actor);
    }

    [Fact]
    public void An_actor_is_written_and_read_with_its_organisation_only()
    {
        var actor = new Actor("ngo-1", "Field coordinator", Role.Partner, "Polish Red Cross", "PL");

        var json = JsonSerializer.Serialize(actor, Json);

        Assert.DoesNotContain("Ministry", json, StringComparison.Ordinal);
        Assert.Equal(actor, JsonSerializer.Deserialize<Actor>(json, Json));
    }
}
