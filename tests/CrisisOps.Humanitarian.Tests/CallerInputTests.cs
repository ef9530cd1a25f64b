using CrisisOps.Humanitarian.Grpc;
using CrisisOps.Legal;
using Xunit;
using ProtoSector = CrisisOps.Humanitarian.Grpc.V1.Sector;

namespace CrisisOps.Humanitarian.Tests;

/// <summary>What a caller can send never reaches a stream id as an exception of the server's own.</summary>
public class CallerInputTests
{
    [Theory]
    [InlineData(7)]
    [InlineData(99)]
    [InlineData(-4)]
    public void A_sector_number_the_contract_does_not_know_is_refused_naming_the_field(int number)
    {
        var refused = Assert.Throws<InvalidFieldException>(() => HumanitarianProto.ToDomain((ProtoSector)number));
        Assert.Equal("sector", refused.Field);
        Assert.Equal("sector", Assert.Throws<InvalidFieldException>(() => HumanitarianProto.Filter((ProtoSector)number)).Field);
    }
}
