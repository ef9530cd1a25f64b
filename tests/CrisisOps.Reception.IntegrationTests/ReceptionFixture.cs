extern alias service;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using Google.Protobuf.WellKnownTypes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ReceptionService = service::CrisisOps.Reception.ReceptionService;

namespace CrisisOps.Reception.IntegrationTests;

/// <summary>The real servers and one signing key, shared by every test of the run.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public sealed class StackFixture : ServiceStack
{
    /// <summary>Starts the reception service on its own schema (the same schema again is a restart).</summary>
    public Task<RunningService> StartReceptionAsync(string schema, TimeProvider? clock = null, IDictionary<string, string?>? extra = null)
    {
        var settings = TestSettings.For(Infra, Tokens, schema);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) settings[k] = v;
        return RunningService.StartAsync(ReceptionService.Build, settings, clock);
    }

    public static ReceptionCapacity.ReceptionCapacityClient Client(RunningService service) => new(service.Channel);

    public static IDocumentStore Store(RunningService service) => service.Services.GetRequiredService<IDocumentStore>();

    /// <summary>Polls until <paramref name="condition"/> holds (never a bare sleep).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > until) throw new TimeoutException($"{what} did not happen in time");
            await Task.Delay(100);
        }
    }
}

/// <summary>Requests as a ministry writes them.</summary>
public static class Requests
{
    public static Places General(int n) => new() { General = n };

    public static RegisterFacilityRequest Facility(string country, string region, Places capacity, string name = "Reception centre",
        FacilityKind kind = FacilityKind.ReceptionCentre) => new()
        {
            RequestId = Guid.NewGuid().ToString(),
            Name = name,
            Kind = kind,
            Country = country,
            Region = region,
            Capacity = capacity,
            Status = FacilityStatus.Open,
            Justification = "opened under the national reception plan",
        };

    public static RegisterFacilityRequest CrossingPoint(string country, string region, string section, string name)
    {
        var request = Facility(country, region, General(40), name, FacilityKind.RegistrationPoint);
        request.DesignatedCrossingPoint = true;
        request.BorderSection = section;
        return request;
    }

    public static MovementRequest People(string facilityId, Places people) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FacilityId = facilityId,
        People = people,
    };

    public static FacilityDecisionRequest Decision(string facilityId, long version) => new()
    {
        RequestId = Guid.NewGuid().ToString(),
        FacilityId = facilityId,
        ExpectedVersion = version,
        Justification = "decided by the regional governor",
    };

    public static GetCapacityPictureRequest Picture(string country, string? region = null, DateTimeOffset? asOf = null) => new()
    {
        Country = country,
        Region = region ?? "",
        AsOf = asOf is { } at ? Timestamp.FromDateTimeOffset(at) : null,
    };

    /// <summary>A region code no other test uses, so that region figures are this test's own.</summary>
    public static string NewRegion(string country) => $"{country}-{Guid.NewGuid():N}"[..11].ToUpperInvariant();
}
