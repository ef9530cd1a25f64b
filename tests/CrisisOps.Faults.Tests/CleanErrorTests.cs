extern alias declaration;
extern alias humanitarian;
using CrisisOps.Testing;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Npgsql;
using Xunit;
using D = declaration::CrisisOps.Declaration.Grpc.V1;
using H = humanitarian::CrisisOps.Humanitarian.Grpc.V1;

namespace CrisisOps.Faults.Tests;

/// <summary>The refusals issue 14 and the bad-input part of issue 10 list, each on the real services over gRPC.</summary>
[Collection(AllServicesCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CleanErrorTests(AllServicesFixture stack)
{
    private ServiceUnderTest Service(string name) => stack.Services.Single(s => s.Name == name);

    private static MethodDescriptor Rpc(ServiceUnderTest s, string name) => s.Apis.SelectMany(a => a.Methods).Single(m => m.Name == name);

    [Fact]
    public async Task On_every_service_a_timestamp_beyond_year_9999_is_invalid_argument_naming_the_field()
    {
        foreach (var service in stack.Services)
        {
            // The first RPC of the service whose request has a timestamp of its own, found in the descriptor.
            var (rpc, field) = service.Apis.SelectMany(a => a.Methods)
                .Select(m => (Rpc: m, Field: m.InputType.Fields.InFieldNumberOrder().FirstOrDefault(f => f.FieldType == FieldType.Message && f.MessageType.FullName == Timestamp.Descriptor.FullName)))
                .First(p => p.Field is not null);
            var request = (IMessage)Activator.CreateInstance(rpc.InputType.ClrType)!;
            field!.Accessor.SetValue(request, new Timestamp { Seconds = 1_000_000_000_000 });
            rpc.InputType.FindFieldByName("request_id")?.Accessor.SetValue(request, $"ts-{Guid.NewGuid():N}");
            rpc.InputType.FindFieldByName("justification")?.Accessor.SetValue(request, "a date far away");

            var answer = await RawCalls.CallAsync(service.Service.Channel, rpc, request.ToByteArray(), stack.Tokens.Coordinator());

            Assert.Equal((StatusCode.InvalidArgument, field.Name), (answer.Status, answer.Trailers.GetValue("crisisops-field")));
            Assert.StartsWith($"{field.Name}: seconds 1000000000000 is outside", answer.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task On_every_service_malformed_request_bytes_are_invalid_argument_and_a_call_without_a_token_still_unauthenticated()
    {
        foreach (var service in stack.Services)
        {
            var rpc = service.Apis.SelectMany(a => a.Methods).First(m => !m.IsServerStreaming);
            var malformed = await RawCalls.CallAsync(service.Service.Channel, rpc, [0x0A, 0xFF], stack.Tokens.Coordinator());
            Assert.Equal((StatusCode.InvalidArgument, "request"), (malformed.Status, malformed.Trailers.GetValue("crisisops-field")));
            Assert.StartsWith($"request: is not a valid {rpc.InputType.Name}", malformed.Detail, StringComparison.Ordinal);

            var anonymous = await RawCalls.CallAsync(service.Service.Channel, rpc, [], null);
            Assert.Equal(StatusCode.Unauthenticated, anonymous.Status);
        }
    }

    [Fact]
    public async Task DeclareCrisis_refuses_an_empty_a_megabyte_and_a_NUL_justification_and_records_none_of_them()
    {
        var declaration = Service("declaration");
        var rpc = Rpc(declaration, "DeclareCrisis");
        var before = await stack.EventCountAsync(declaration.Schema!);
        foreach (var justification in new[] { "", new string('j', 1 << 20), "because\0" })
        {
            var request = new D.DeclareCrisisRequest
            {
                RequestId = $"j-{Guid.NewGuid():N}",
                TargetCountry = "PL",
                BorderSections = { "PL-BY" },
                Perpetrator = new D.Perpetrator { Name = "Belarus", Kind = D.PerpetratorKind.State },
                Scenario = D.Scenario.Belligerent,
                Stage = D.BlueprintStage.CrisisManagement,
                Justification = justification,
            };
            var answer = await RawCalls.CallAsync(declaration.Service.Channel, rpc, request.ToByteArray(), stack.Tokens.Ministry("PL"));
            Assert.Equal((StatusCode.InvalidArgument, "justification"), (answer.Status, answer.Trailers.GetValue("crisisops-field")));
        }

        Assert.Equal(before, await stack.EventCountAsync(declaration.Schema!));
    }

    [Fact]
    public async Task A_needs_assessment_named_by_an_assistance_requests_id_is_not_found()
    {
        var humanitarian = Service("humanitarian");
        var poland = stack.Tokens.Ministry("PL");
        var requested = await RawCalls.CallAsync(humanitarian.Service.Channel, Rpc(humanitarian, "RequestAssistance"), new H.RequestAssistanceRequest
        {
            RequestId = $"a-{Guid.NewGuid():N}",
            Country = "PL",
            Location = new H.Location { Country = "PL", Admin1Name = "Podlaskie", Name = "Kuźnica" },
            Sector = H.Sector.Shelter,
            Item = "Family tents",
            Quantity = 20,
            Unit = "pieces",
            Deadline = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddDays(3)),
            Justification = "people at the crossing need shelter tonight",
        }.ToByteArray(), poland);
        Assert.Equal(StatusCode.OK, requested.Status);
        var requestId = Common.Grpc.V1.CommandResult.Parser.ParseFrom(requested.Response).Id;

        var revised = await RawCalls.CallAsync(humanitarian.Service.Channel, Rpc(humanitarian, "ReviseNeedsAssessment"), new H.ReviseNeedsAssessmentRequest
        {
            RequestId = $"n-{Guid.NewGuid():N}",
            AssessmentId = requestId,
            ExpectedVersion = 1,
            Figures = new H.PopulationFigures { Affected = 10, InNeed = 5, Targeted = 5, Reached = 0 },
            AssessedOn = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Justification = "new figures",
        }.ToByteArray(), poland);

        Assert.Equal(StatusCode.NotFound, revised.Status);
        Assert.Equal($"needs assessment '{requestId}' does not exist", revised.Detail);
    }

    [Fact]
    public async Task With_the_database_cut_off_callers_get_unavailable_without_a_stack_and_the_service_recovers_by_itself()
    {
        var target = new NpgsqlConnectionStringBuilder(stack.Infra.Postgres);
        await using var proxy = TcpFaultProxy.Start(target.Host!, target.Port);
        var settings = TestSettings.For(stack.Infra, stack.Tokens, TestSettings.NewSchema("fzcut"));
        settings["ConnectionStrings:postgres"] = new NpgsqlConnectionStringBuilder(stack.Infra.Postgres) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var service = await RunningService.StartAsync(declaration::CrisisOps.Declaration.DeclarationService.Build, settings);
        var apis = AllServicesFixture.ApisOf(typeof(declaration::CrisisOps.Declaration.DeclarationService).Assembly).SelectMany(a => a.Methods).ToList();
        var declare = apis.Single(m => m.Name == "DeclareCrisis");
        var list = apis.Single(m => m.Name == "ListCrises");
        var poland = stack.Tokens.Ministry("PL");
        byte[] Crisis() => new D.DeclareCrisisRequest
        {
            RequestId = $"cut-{Guid.NewGuid():N}",
            TargetCountry = "PL",
            BorderSections = { "PL-BY" },
            Perpetrator = new D.Perpetrator { Name = "Belarus", Kind = D.PerpetratorKind.State },
            Scenario = D.Scenario.Belligerent,
            Stage = D.BlueprintStage.CrisisManagement,
            Criteria = new D.QualificationCriteria
            {
                HostileActor = new D.Criterion { Met = true, Evidence = "state flights" },
                EncouragesOrFacilitatesMovement = new D.Criterion { Met = true, Evidence = "visas issued" },
                AimToDestabilise = new D.Criterion { Met = true, Evidence = "official statements" },
                RisksEssentialStateFunctions = new D.Criterion { Met = true, Evidence = "border guard overwhelmed" },
            },
            Justification = "people pushed to the border at night",
        }.ToByteArray();
        Assert.Equal(StatusCode.OK, (await RawCalls.CallAsync(service.Channel, declare, Crisis(), poland)).Status);

        proxy.Cut();
        foreach (var (rpc, payload) in new[] { (declare, Crisis()), (list, Array.Empty<byte>()), (declare, Crisis()) })
        {
            var answer = await RawCalls.CallAsync(service.Channel, rpc, payload, poland);
            Assert.Equal(StatusCode.Unavailable, answer.Status);
            Assert.Contains("retry", answer.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", answer.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(" at ", answer.Detail, StringComparison.Ordinal);
            Assert.NotNull(answer.Trailers.GetValue("crisisops-trace-id"));
        }

        proxy.Restore();
        var until = DateTime.UtcNow.AddSeconds(30);
        RawAnswer again;
        do
        {
            again = await RawCalls.CallAsync(service.Channel, declare, Crisis(), poland);
            Assert.Contains(again.Status, new[] { StatusCode.OK, StatusCode.Unavailable });
        }
        while (again.Status != StatusCode.OK && DateTime.UtcNow < until && await Delay());
        Assert.Equal(StatusCode.OK, again.Status);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
