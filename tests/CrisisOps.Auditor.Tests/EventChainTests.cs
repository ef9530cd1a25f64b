using System.Text;
using CrisisOps.ServiceDefaults.EventStore;
using Xunit;

namespace CrisisOps.Auditor.Tests;

/// <summary>The canonical JSON must be the same whether it is computed from the serializer's text or from PostgreSQL's jsonb.</summary>
public sealed class EventChainTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(EventChain.Canonicalize(json));

    [Fact]
    public void Key_order_and_whitespace_do_not_change_the_canonical_form()
    {
        var serialized = """{"StartDate":"2021-09-02","Decision":{"Justification":"x","Actor":{"Subject":"pl","Role":"Ministry"}},"Territory":["PL-BY"]}""";
        var fromJsonb = """{"Decision": {"Actor": {"Role": "Ministry", "Subject": "pl"}, "Justification": "x"}, "StartDate": "2021-09-02", "Territory": ["PL-BY"]}""";

        Assert.Equal(Canonical(serialized), Canonical(fromJsonb));
        Assert.Equal("""{"Decision":{"Actor":{"Role":"Ministry","Subject":"pl"},"Justification":"x"},"StartDate":"2021-09-02","Territory":["PL-BY"]}""", Canonical(fromJsonb));
    }

    [Fact]
    public void Escapes_are_written_the_same_way_whatever_the_writer_chose()
    {
        var escapedBySerializer = """{"Reason":"l\u2019ordre \u0026 \u003Cla loi\u003E","Path":"a\/b","Line":"a\nb"}""";
        var asJsonbPrintsIt = """{"Line": "a\nb", "Path": "a/b", "Reason": "l’ordre & <la loi>"}""";

        Assert.Equal(Canonical(escapedBySerializer), Canonical(asJsonbPrintsIt));
        Assert.Equal("""{"Line":"a\nb","Path":"a/b","Reason":"l’ordre & <la loi>"}""", Canonical(asJsonbPrintsIt));
    }

    [Fact]
    public void Names_are_sorted_and_written_by_their_decoded_value_whatever_their_spelling()
    {
        var escaped = """{"\u00e9t\u00e9":1,"b":2,"\u0041":3,"a\"b":4}""";
        var plain = """{"A": 3, "a\"b": 4, "b": 2, "été": 1}""";

        Assert.Equal(Canonical(escaped), Canonical(plain));
        Assert.Equal("""{"A":3,"b":2,"a\"b":4,"été":1}""", Canonical(plain));
    }

    [Fact]
    public void The_text_PostgreSQL_prints_for_a_jsonb_value_is_canonical_once_its_whitespace_is_gone()
    {
        // As psql printed a measure's enactment (keys shorter first, then by bytes; ", " and ": " between tokens).
        var printed = """{"Ratio": 12.50, "Country": "PL", "EndDate": "2021-10-01", "Decision": {"Actor": {"Name": "interior-officer", "Role": "Ministry", "Country": "PL", "Subject": "interior-officer"}, "DecidedAt": "2021-09-02T10:00:00+02:00", "LegalBasis": "Art. 230", "Justification": "a \"quoted\" reason, with: punctuation"}, "Territory": ["PL-BY", "PL-UA"], "Parameters": {"CrossingPoints": [], "RegistrationDelayWeeks": null}, "Provisional": false, "MaxExtensions": 1}""";
        var fast = new System.Buffers.ArrayBufferWriter<byte>();

        EventChain.CanonicalizeJsonbText(Encoding.UTF8.GetBytes(printed), fast);

        Assert.Equal(Canonical(printed), Encoding.UTF8.GetString(fast.WrittenSpan));
    }

    [Fact]
    public void Negative_numbers_and_nested_values_keep_their_canonical_form() =>
        Assert.Equal("""{"a":[-1,-0.50,{"x":0,"y":null}],"b":true}""", Canonical("""{ "b" : true, "a" : [ -1, -5.0e-1, { "y": null, "x": -0 } ] }"""));

    [Theory]
    [InlineData("15", "15")]
    [InlineData("12.50", "12.50")]
    [InlineData("1.50e1", "15.0")]
    [InlineData("1E+2", "100")]
    [InlineData("1.5e-3", "0.0015")]
    [InlineData("-2.5E3", "-2500")]
    [InlineData("-0.00", "0.00")]
    [InlineData("-0", "0")]
    [InlineData("0.001e3", "1")]
    public void Numbers_are_written_as_PostgreSQL_numeric_prints_them(string written, string canonical) =>
        Assert.Equal(canonical, EventChain.NormalizeNumber(written));

    [Fact]
    public void Each_field_of_an_event_changes_its_hash()
    {
        var data = """{"A":1}""";
        var hash = EventChain.Hash(EventChain.Genesis, "crisis-1", 1, "crisis_declared", data);

        Assert.Equal(hash, EventChain.Hash(EventChain.Genesis, "crisis-1", 1, "crisis_declared", """{ "A": 1 }"""));
        Assert.NotEqual(hash, EventChain.Hash(EventChain.Genesis, "crisis-1", 1, "crisis_declared", """{"A":2}"""));
        Assert.NotEqual(hash, EventChain.Hash(EventChain.Genesis, "crisis-2", 1, "crisis_declared", data));
        Assert.NotEqual(hash, EventChain.Hash(EventChain.Genesis, "crisis-1", 2, "crisis_declared", data));
        Assert.NotEqual(hash, EventChain.Hash(EventChain.Genesis, "crisis-1", 1, "crisis_ended", data));
        Assert.NotEqual(hash, EventChain.Hash(hash, "crisis-1", 1, "crisis_declared", data));
    }

    [Fact]
    public void Fields_are_delimited_so_that_moving_a_boundary_changes_the_hash() =>
        Assert.NotEqual(
            EventChain.Hash(EventChain.Genesis, "crisis-1a", 1, "b", "{}"),
            EventChain.Hash(EventChain.Genesis, "crisis-1", 1, "ab", "{}"));
}
