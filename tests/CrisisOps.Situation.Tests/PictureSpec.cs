using System.Text.Json;
using CrisisOps.Contracts;
using CrisisOps.Situation.Picture;
using Xunit;

namespace CrisisOps.Situation.Tests;

/// <summary>An integration event as a service published it: its id (the message id) and its contract.</summary>
public sealed record Published(Guid Id, object Message)
{
    public static Published Of(object message) => new(Guid.NewGuid(), message);
}

/// <summary>Given integration events, then the picture: over the pure fold only, no store and no bus.</summary>
public sealed class PictureSpec(string country = "PL")
{
    private readonly List<Published> _given = [];

    /// <summary>Stands in for the moment a message arrives; only events without a time of their own would show it.</summary>
    public static readonly DateTimeOffset ReceivedAt = new(2021, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public PictureSpec Given(params IEnumerable<Published>[] histories)
    {
        foreach (var h in histories) _given.AddRange(h);
        return this;
    }

    public CountryPicture Picture => Fold(country, _given);

    public static CountryPicture Fold(string country, IEnumerable<Published> events) =>
        events.Aggregate(CountryPicture.Empty(country), (p, e) => SituationFold.Apply(p, e.Message, e.Id, ReceivedAt));

    /// <summary>
    /// The picture as stored and served (JSON): records holding immutable collections compare those by reference,
    /// so two pictures are the same picture when their JSON is.
    /// </summary>
    public static string Json(CountryPicture p) => JsonSerializer.Serialize(p, Grpc.SituationGrpcService.Json);

    public static void Same(CountryPicture expected, CountryPicture actual) => Assert.Equal(Json(expected), Json(actual));
}

/// <summary>One history per service, as each publishes it for a Polish crisis in November 2021.</summary>
public static class Histories
{
    public static readonly DateTimeOffset Nov2021 = new(2021, 11, 8, 8, 0, 0, TimeSpan.Zero);

    public const string Crisis = "crisis-pl-2021";

    public static DecisionInfo By(int minute, string? legalBasis = null, string justification = "as reported") =>
        new("pl-interior", "PL duty officer", "Ministry", "Ministry of Interior", "PL", legalBasis, justification, Nov2021.AddMinutes(minute));

    public static IReadOnlyList<Published> Declaration() =>
    [
        Published.Of(new Contracts.Declaration.V1.CrisisDeclared(Crisis, "PL", ["PL-BY"], "Belarus", "State", "Belligerent", true,
            "MonitoringAndPreparedness", By(1, justification: "deliberate pushing of migrants to the border"))),
        .. Beside(new Contracts.Declaration.V1.EmergencyDeclared(Crisis, "PL", "PL-CONST-230", "law-1", new DateOnly(2021, 11, 8),
                new DateOnly(2021, 12, 7), new DateOnly(2022, 2, 5), new DateTimeOffset(2021, 12, 7, 23, 0, 0, TimeSpan.Zero), By(3, "Constitution Art. 230")),
            new Contracts.Declaration.V1.EmergencyLegalTermSet(Crisis, "PL", "PL-CONST-230", "law-1", new DateOnly(2022, 2, 5), 1)),
        Published.Of(new Contracts.Declaration.V1.CrisisStageChanged(Crisis, "PL", "MonitoringAndPreparedness", "CrisisManagement", By(5))),
        Published.Of(new Contracts.Declaration.V1.AlertLevelChanged("PL", "PL-BY", "Normal", "High", Nov2021.AddMinutes(6))),
    ];

    public static IReadOnlyList<Published> Measures() =>
    [
        .. Beside(new Contracts.Measures.V1.MeasureEnacted("measure-1", "PL", "PL-STATE-OF-EMERGENCY", "Territorial", "Instrumentalization", "Border",
                "control of the border zone", Crisis, ["PL-BY"], new DateOnly(2021, 11, 9), new DateOnly(2021, 12, 8), new DateOnly(2022, 2, 6),
                new DateTimeOffset(2021, 12, 8, 23, 0, 0, TimeSpan.Zero), By(7, "Act of 2 September 2021")),
            new Contracts.Measures.V1.MeasureLegalTermSet("measure-1", "PL", "Constitution Art. 230(2)", "act of 2021-09-02", "Council of Ministers",
                new DateOnly(2022, 2, 6), 1, null, false)),
        Published.Of(new Contracts.Measures.V1.MeasureExtended("measure-1", "PL", 1, new DateOnly(2022, 1, 7),
            new DateTimeOffset(2022, 1, 7, 23, 0, 0, TimeSpan.Zero), "Sejm resolution", By(9, "Act of 2 September 2021"))),
    ];

    public static IReadOnlyList<Published> Reception() =>
    [
        Published.Of(new Contracts.Reception.V1.FacilityRegistered("facility-1", "Białystok reception centre", "ReceptionCentre", "PL", "PL-PD", "PL-BY",
            false, Counts(general: 10), By(2))),
        Published.Of(new Contracts.Reception.V1.OccupancyChanged("facility-1", "PL", "PL-PD", Counts(general: 10), Counts(general: 10), Nov2021.AddMinutes(10))),
        Published.Of(new Contracts.Reception.V1.ReceptionStrainChanged("Region", "PL-PD", "PL", "PL-PD", "", "Normal", "Overflow", 10, 10, 1.0,
            Nov2021.AddMinutes(10), NotPlaced(refused: 4))),
        Published.Of(new Contracts.Reception.V1.PeopleNotPlaced("facility-1", "PL", "PL-PD", "PL-BY", "Refused", Counts(general: 4), null,
            NotPlaced(refused: 4), By(10, justification: "arrivals reported: night count"))),
        Published.Of(new Contracts.Reception.V1.PeopleNotPlaced("facility-1", "PL", "PL-PD", "PL-BY", "WaitingReported", Counts(families: 6), null,
            NotPlaced(refused: 4, waiting: 6), By(12, justification: "people waiting reported"))),
    ];

    public static IReadOnlyList<Published> Humanitarian() =>
    [
        Published.Of(new Contracts.Humanitarian.V1.AssistanceRequested("request-1", "PL", "Podlaskie", "Shelter", "Emergency shelter", 10,
            Nov2021.AddHours(24), "ReceptionOverflow", By(10))),
        Published.Of(new Contracts.Humanitarian.V1.PledgeMade("request-1", "pledge-1", "IOM", 6, By(13))),
        Published.Of(new Contracts.Humanitarian.V1.DeliveryRecorded("request-1", "pledge-1", "IOM", 6, 4, By(15))),
    ];

    public static IReadOnlyList<Published> Leverages() =>
    [
        Published.Of(new Contracts.Leverages.V1.LeverageProposed("leverage-1", "PL", "CARRIER-SANCTION", "Transport", "Against", "Carrier", "Belavia",
            Crisis, true, ["flights to Minsk"], By(4))),
        Published.Of(new Contracts.Leverages.V1.AllyPositionRecorded("leverage-1", "PL", "LT", "Joined", By(8))),
        Published.Of(new Contracts.Leverages.V1.LeverageImposed("leverage-1", "PL", new DateOnly(2021, 11, 15), new DateOnly(2022, 5, 14),
            new DateTimeOffset(2022, 5, 14, 22, 0, 0, TimeSpan.Zero), new DateOnly(2022, 2, 15), By(14, "Council Regulation 2021/1985"))),
    ];

    /// <summary>Every service's history, in each service's own order (humanitarian's request and reception's report share a minute).</summary>
    public static IReadOnlyList<IReadOnlyList<Published>> All() => [Declaration(), Measures(), Reception(), Humanitarian(), Leverages()];

    public static Dictionary<string, int> Counts(int general = 0, int families = 0) =>
        new() { ["General"] = general, ["Families"] = families, ["UnaccompaniedMinors"] = 0, ["SpecialNeeds"] = 0 };

    public static Contracts.Reception.V1.NotPlaced NotPlaced(int refused = 0, int redirected = 0, int waiting = 0) =>
        new(Counts(general: refused), Counts(general: redirected), Counts(families: waiting));

    /// <summary>A decision and the contract the relay publishes beside it under the same message id.</summary>
    private static IEnumerable<Published> Beside(object decision, object companion)
    {
        var id = Guid.NewGuid();
        return [new Published(id, decision), new Published(id, companion)];
    }
}
