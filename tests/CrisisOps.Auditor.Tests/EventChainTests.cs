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
