extern alias declaration;
extern alias humanitarian;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Grpc;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Xunit;
using D = declaration::CrisisOps.Declaration.Grpc.V1;
using H = humanitarian::CrisisOps.Humanitarian.Grpc.V1;

namespace CrisisOps.Faults.Tests;

/// <summary>The generic request checks of every service (FieldLimits), on real generated requests.</summary>
public class RequestValidatorTests
{
    private static D.DeclareCrisisRequest Crisis() => new()
    {
        RequestId = "r-1",
        TargetCountry = "PL",
        BorderSections = { "PL-BY" },
        Perpetrator = new D.Perpetrator { Name = "Belarus", Kind = D.PerpetratorKind.State },
        Stage = D.BlueprintStage.CrisisManagement,
        Justification = "people pushed to the border at night",
    };

    private static string Refused(IMessage request) => Assert.Throws<InvalidFieldException>(() => RequestValidator.Validate(request)).Field;

    [Fact]
    public void A_well_formed_request_passes_with_tabs_and_line_breaks_in_its_free_text() =>
        RequestValidator.Validate(new D.DeclareCrisisRequest(Crisis()) { Justification = "first:\tone\r\nthen: two" });

    [Fact]
    public void An_empty_or_blank_justification_on_a_write_command_is_refused_as_required()
    {
        Assert.Equal("justification", Refused(new D.DeclareCrisisRequest(Crisis()) { Justification = "" }));
        Assert.Equal("justification", Refused(new D.DeclareCrisisRequest(Crisis()) { Justification = "  \n " }));
    }

    [Fact]
    public void A_write_command_without_a_request_id_is_refused() => Assert.Equal("request_id", Refused(new D.DeclareCrisisRequest(Crisis()) { RequestId = "" }));

    [Fact]
    public void A_justification_of_a_megabyte_is_refused_while_one_of_four_thousand_characters_passes()
    {
        var refused = Assert.Throws<InvalidFieldException>(() => RequestValidator.Validate(new D.DeclareCrisisRequest(Crisis()) { Justification = new string('j', 1 << 20) }));
        Assert.Equal(("justification", "justification: is longer than 4000 characters"), (refused.Field, refused.Message));
        RequestValidator.Validate(new D.DeclareCrisisRequest(Crisis()) { Justification = new string('j', 4000) });
    }

    [Fact]
    public void A_name_or_code_is_limited_to_two_hundred_characters() =>
        Assert.Equal("perpetrator.name", Refused(new D.DeclareCrisisRequest(Crisis()) { Perpetrator = new D.Perpetrator { Name = new string('n', 201) } }));

    [Theory]
    [InlineData("\0")]
    [InlineData("\u0007")]
    [InlineData("\u001b[31m")]
    [InlineData("\u007f")]
    [InlineData("\u0085")]
    public void A_control_character_anywhere_is_refused_naming_the_field_path(string control)
    {
        Assert.Equal("justification", Refused(new D.DeclareCrisisRequest(Crisis()) { Justification = "why" + control }));
        Assert.Equal("perpetrator.name", Refused(new D.DeclareCrisisRequest(Crisis()) { Perpetrator = new D.Perpetrator { Name = control } }));
        Assert.Equal("border_sections[1]", Refused(new D.DeclareCrisisRequest(Crisis()) { BorderSections = { control } }));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(-1)]
    public void An_enum_number_the_contract_does_not_define_is_refused(int number)
    {
        var refused = Assert.Throws<InvalidFieldException>(() => RequestValidator.Validate(new D.DeclareCrisisRequest(Crisis()) { Stage = (D.BlueprintStage)number }));
        Assert.Equal(("stage", $"stage: {number} is not a value of BlueprintStage"), (refused.Field, refused.Message));
        Assert.Equal("perpetrator.kind", Refused(new D.DeclareCrisisRequest(Crisis()) { Perpetrator = new D.Perpetrator { Kind = (D.PerpetratorKind)number } }));
    }

    [Theory]
    [InlineData(1_000_000_000_000L, 0)]
    [InlineData(-1_000_000_000_000L, 0)]
    [InlineData(253_402_300_800L, 0)]
    [InlineData(0L, 2_000_000_000)]
    [InlineData(0L, -1)]
    public void A_timestamp_outside_what_protobuf_can_represent_is_refused_naming_the_field(long seconds, int nanos)
    {
        var request = new D.RecordIndicatorRequest { RequestId = "r-2", ObservedAt = new Timestamp { Seconds = seconds, Nanos = nanos } };
        Assert.Equal("observed_at", Refused(request));
    }

    [Fact]
    public void The_first_and_last_moments_protobuf_can_represent_pass()
    {
        RequestValidator.Validate(new D.RecordIndicatorRequest { RequestId = "r", ObservedAt = new Timestamp { Seconds = RequestValidator.MaxTimestampSeconds, Nanos = 999_999_999 } });
        RequestValidator.Validate(new D.RecordIndicatorRequest { RequestId = "r", ObservedAt = new Timestamp { Seconds = RequestValidator.MinTimestampSeconds } });
    }

    [Fact]
    public void A_repeated_field_of_more_than_a_thousand_elements_is_refused()
    {
        var request = new D.DeclareCrisisRequest(Crisis());
        request.BorderSections.AddRange(Enumerable.Range(0, 1001).Select(i => $"S{i}"));
        Assert.Equal("border_sections", Refused(request));
    }

    [Fact]
    public void A_partners_pledge_may_leave_its_justification_to_the_service_but_not_its_request_id()
    {
        RequestValidator.Validate(new H.PledgeAssistanceRequest { RequestId = "r-3", AssistanceRequestId = "request-1", Quantity = 5 });
        Assert.Equal("request_id", Refused(new H.PledgeAssistanceRequest { AssistanceRequestId = "request-1", Quantity = 5 }));
    }

    [Fact]
    public void A_read_request_needs_no_request_id() => RequestValidator.Validate(new D.GetCrisisRequest { CrisisId = "c-1" });
}
