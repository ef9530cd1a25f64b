using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Strain;
using CrisisOps.ServiceDefaults.Messaging;
using JasperFx.Events;
using Contract = CrisisOps.Contracts.Reception.V1;

namespace CrisisOps.Reception.Messaging;

/// <summary>Which committed domain events leave the service, and in which contract shape.</summary>
public sealed class ReceptionContracts : IIntegrationEventMapper
{
    public object? ToContract(IEvent e) => e.Data switch
    {
        FacilityRegistered d => new Contract.FacilityRegistered(d.FacilityId, d.Name, d.Kind.ToString(), d.Country, d.Region, d.BorderSection,
            d.IsDesignatedCrossingPoint, d.Capacity.ToDictionary(), d.Decision.ToInfo()),
        RegistrationPointStatusChanged d => new Contract.RegistrationPointStatusChanged(d.FacilityId, d.Country, d.BorderSection,
            d.IsDesignatedCrossingPoint, d.Open, d.ChangedAt),
        // Opening and closing change the places a facility offers, as movements change those occupied.
        FacilityOpened d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        FacilityClosed d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        ArrivalsRecorded d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        DeparturesRecorded d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        TransferDeparted d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        TransferArrived d => Occupancy(d.FacilityId, d.Country, d.Region, d.After, d.Decision.DecidedAt),
        ContingencyActivated d => new Contract.ContingencyActivated(PlanId(d.FacilityId, d.PlanCode), d.Country, d.Region,
            d.Reserve.ToDictionary(), d.Decision.ToInfo()),
        ContingencyDeactivated d => new Contract.ContingencyDeactivated(PlanId(d.FacilityId, d.PlanCode), d.Country, d.Region, d.Decision.ToInfo()),
        ArrivalsNotPlaced d => new Contract.PeopleNotPlaced(d.FacilityId, d.Country, d.Region, d.BorderSection, d.Outcome.ToString(),
            d.People.ToDictionary(), d.RedirectedTo, ToContract(d.NotPlaced), d.Decision.ToInfo()),
        WaitingReported d => new Contract.PeopleNotPlaced(d.FacilityId, d.Country, d.Region, d.BorderSection, nameof(WaitingReported),
            d.Waiting.ToDictionary(), null, ToContract(d.NotPlaced), d.Decision.ToInfo()),
        FacilityStrainChanged d => new Contract.ReceptionStrainChanged("Facility", d.FacilityId, d.Country, d.Region, d.BorderSection,
            d.From.ToString(), d.To.ToString(), d.Capacity, d.Occupied, d.Rate, d.ChangedAt, ToContract(d.NotPlaced)),
        RegionStrainChanged d => new Contract.ReceptionStrainChanged("Region", d.Region, d.Country, d.Region, "",
            d.From.ToString(), d.To.ToString(), d.Capacity, d.Occupied, d.Rate, d.ChangedAt, ToContract(d.NotPlaced)),
        CountryStrainChanged d => new Contract.ReceptionStrainChanged("Country", d.Country, d.Country, "", "",
            d.From.ToString(), d.To.ToString(), d.Capacity, d.Occupied, d.Rate, d.ChangedAt, ToContract(d.NotPlaced)),
        _ => null,
    };

    /// <summary>Plans are named per facility; on the bus they carry the facility so that the id is unique.</summary>
    public static string PlanId(string facilityId, string planCode) => $"{facilityId}/{planCode}";

    /// <summary>Null stays null: a strain change recorded before people not placed were counted does not claim there were none.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(figures))]
    private static Contract.NotPlaced? ToContract(NotPlacedFigures? figures) => figures is null
        ? null
        : new(figures.Refused.ToDictionary(), figures.Redirected.ToDictionary(), figures.Waiting.ToDictionary());

    private static Contract.OccupancyChanged Occupancy(string facilityId, string country, string region, FacilityFigures after, DateTimeOffset at) =>
        new(facilityId, country, region, after.Offered.ToDictionary(), after.Occupied.ToDictionary(), at);
}
