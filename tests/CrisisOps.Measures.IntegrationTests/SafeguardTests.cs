extern alias measures;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static CrisisOps.Testing.RunningService;
using Reception = CrisisOps.Contracts.Reception.V1;
using RegistrationPoint = measures::CrisisOps.Measures.Facts.RegistrationPoint;

namespace CrisisOps.Measures.IntegrationTests;

[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SafeguardTests(StackFixture stack)
{
    [Fact]
    public async Task Crossing_points_may_be_closed_only_while_a_registration_point_reported_by_reception_stays_open()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 11, 8, 10, 0, 0, TimeSpan.FromHours(1)));
        await using var declaration = await stack.StartDeclarationAsync(TestSettings.NewSchema("sg_decl"), clock);
        await using var service = await stack.StartMeasuresAsync(TestSettings.NewSchema("sg_meas"), clock);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crisis = await StackFixture.Declaration(declaration).DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        await StackFixture.WaitForCrisisAsync(service, crisis.Result.Id);

        // Reception capacity reports its registration points on RabbitMQ, as issue #4's service will.
        var kuznica = $"kuznica-{Guid.NewGuid():N}";
        var terespol = $"terespol-{Guid.NewGuid():N}";
        var bus = stack.Infra.CreateBus();
        await bus.StartAsync();
        try
        {
            foreach (var point in new[] { kuznica, terespol })
                await bus.Publish(new Reception.RegistrationPointStatusChanged(point, "PL", "PL-BY", true, true, clock.GetUtcNow()));
        }
        finally
        {
            await bus.StopAsync();
        }

        var store = service.Services.GetRequiredService<IDocumentStore>();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            await using var session = store.QuerySession();
            if (await session.Query<RegistrationPoint>().CountAsync(r => r.Id == kuznica || r.Id == terespol) == 2) break;
            await Task.Delay(100);
        }

        var measures = StackFixture.Measures(service);
        var closeBoth = Requests.Enact("SBC-ART5-4-CROSSING-POINT-RESTRICTION", "PL", crisis.Result.Id, "2021-11-08", "2021-12-07", "PL-BY");
        closeBoth.Parameters = new MeasureParameters { CrossingPoints = { kuznica, terespol } };
        // Registration points of other tests may be open in PL too: close every open one this service knows of.
        await using (var session = store.QuerySession())
        {
            closeBoth.Parameters.CrossingPoints.AddRange((await session.Query<RegistrationPoint>()
                .Where(r => r.Country == "PL" && r.Open && r.Id != kuznica && r.Id != terespol).ToListAsync()).Select(r => r.Id));
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(closeBoth, poland));
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.StartsWith("safeguard.3.open-registration-point:", refused.Status.Detail, StringComparison.Ordinal);

        var closeOne = closeBoth.Clone();
        closeOne.RequestId = Guid.NewGuid().ToString();
        closeOne.Parameters.CrossingPoints.Remove(terespol);
        var enacted = await measures.EnactMeasureAsync(closeOne, poland);
        var details = await measures.GetMeasureAsync(new GetMeasureRequest { MeasureId = enacted.Id }, poland);
        Assert.DoesNotContain(terespol, details.Parameters.CrossingPoints);
        Assert.Equal(MeasureStatus.InForce, details.Status);
    }
}
