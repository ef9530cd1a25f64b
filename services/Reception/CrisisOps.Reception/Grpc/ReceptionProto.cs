using CrisisOps.Legal;
using CrisisOps.Reception.Facilities;
using CrisisOps.Reception.Picture;
using Google.Protobuf.WellKnownTypes;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Reception.Grpc;

/// <summary>Proto ↔ domain mapping for reception, with the field named on every refusal.</summary>
public static class ReceptionProto
{
    private const int MaxCount = 1_000_000;

    /// <summary>Counts per category; <paramref name="someone"/> refuses an empty report.</summary>
    public static Places ToDomain(V1.Places? p, string field, bool someone)
    {
        if (p is null) throw new InvalidFieldException(field, "is required");
        var places = new Places(p.General, p.Families, p.UnaccompaniedMinors, p.SpecialNeeds);
        foreach (var c in Places.Categories)
        {
            var name = $"{field}.{Snake(c)}";
            if (places[c] < 0) throw new InvalidFieldException(name, "must not be negative");
            if (places[c] > MaxCount) throw new InvalidFieldException(name, $"must not exceed {MaxCount}");
        }

        return someone && places.Total == 0 ? throw new InvalidFieldException(field, "count at least one person or place") : places;
    }

    public static V1.Places ToProto(Places p) => new()
    {
        General = p.General,
        Families = p.Families,
        UnaccompaniedMinors = p.UnaccompaniedMinors,
        SpecialNeeds = p.SpecialNeeds,
    };

    public static FacilityKind ToDomain(V1.FacilityKind k) => Enum(k, "kind") switch
    {
        V1.FacilityKind.RegistrationPoint => FacilityKind.RegistrationPoint,
        V1.FacilityKind.ReceptionCentre => FacilityKind.ReceptionCentre,
        V1.FacilityKind.EmergencyShelter => FacilityKind.EmergencyShelter,
        V1.FacilityKind.ClosedFacility => FacilityKind.ClosedFacility,
        _ => throw new InvalidFieldException("kind", $"unknown value {k}"),
    };

    public static V1.FacilityKind ToProto(FacilityKind k) => (V1.FacilityKind)((int)k + 1);

    public static FacilityStatus ToDomain(V1.FacilityStatus s, string field) => Enum(s, field) switch
    {
        V1.FacilityStatus.Open => FacilityStatus.Open,
        V1.FacilityStatus.Full => FacilityStatus.Full,
        V1.FacilityStatus.Closed => FacilityStatus.Closed,
        _ => throw new InvalidFieldException(field, $"unknown value {s}"),
    };

    public static V1.FacilityStatus ToProto(FacilityStatus s) => (V1.FacilityStatus)((int)s + 1);

    public static V1.StrainLevel ToProto(StrainLevel s) => (V1.StrainLevel)(int)s;

    /// <summary>Null when the caller gave none: the report stays all or nothing.</summary>
    public static NotPlacedOutcome? ToDomain(V1.NotPlacedOutcome o) => o switch
    {
        V1.NotPlacedOutcome.Unspecified => null,
        V1.NotPlacedOutcome.Refused => NotPlacedOutcome.Refused,
        V1.NotPlacedOutcome.Redirected => NotPlacedOutcome.Redirected,
        V1.NotPlacedOutcome.Waiting => NotPlacedOutcome.Waiting,
        _ => throw new InvalidFieldException("beyond_capacity", $"unknown value {o}"),
    };

    public static V1.NotPlacedFigures ToProto(NotPlacedFigures n) => new()
    {
        Refused = ToProto(n.Refused),
        Redirected = ToProto(n.Redirected),
        Waiting = ToProto(n.Waiting),
    };

    public static V1.StrainThresholds ToProto(StrainThresholds t) => new() { Strained = t.Strained, Overflow = t.Overflow };

    /// <summary>A region code as given, upper case (regions are compared exactly when figures are summed).</summary>
    public static string Region(string? value, string field = "region") => Required(value, field, 50).ToUpperInvariant();

    public static V1.FacilityFigures ToProto(FacilityFigures f, StrainThresholds t) => new()
    {
        Capacity = ToProto(f.Capacity),
        Occupied = ToProto(f.Occupied),
        Incoming = ToProto(f.Incoming),
        Free = ToProto(f.Free),
        OccupancyRate = f.Rate,
        Strain = ToProto(f.StrainUnder(t)),
        Status = ToProto(f.Status),
    };

    public static V1.FacilityDetails ToProto(FacilityView v)
    {
        var details = new V1.FacilityDetails
        {
            FacilityId = v.Id,
            Version = v.Version,
            DecisionVersion = v.DecisionVersion,
            Name = v.Name,
            Kind = ToProto(v.Kind),
            Country = v.Country,
            Region = v.Region,
            BorderSection = v.BorderSection,
            DesignatedCrossingPoint = v.IsDesignatedCrossingPoint,
            LodgesAsylumApplications = v.LodgesAsylumApplications,
            RegisteredCapacity = ToProto(v.RegisteredCapacity),
            Figures = ToProto(v.Figures, v.Thresholds),
            StrainThresholds = ToProto(v.Thresholds),
            RegisteredAt = Timestamp.FromDateTimeOffset(v.RegisteredAt),
            UpdatedAt = Timestamp.FromDateTimeOffset(v.UpdatedAt),
            NotPlaced = ToProto(v.NotPlacedOrNone),
        };
        details.ContingencyPlans.AddRange(v.Plans.Select(p => new V1.ContingencyPlan
        {
            Code = p.Code,
            Name = p.Name,
            Reserve = ToProto(p.Reserve),
            Active = p.Active,
        }));
        details.IncomingTransfers.AddRange(v.IncomingTransfers.Select(t => new V1.IncomingTransfer
        {
            TransferId = t.TransferId,
            OriginFacilityId = t.OriginFacilityId,
            People = ToProto(t.People),
            ReservedAt = Timestamp.FromDateTimeOffset(t.ReservedAt),
        }));
        return details;
    }

    public static V1.AreaFigures ToProto(AreaFigures a)
    {
        var proto = new V1.AreaFigures
        {
            Area = a.Area,
            Strain = ToProto(a.Strain),
            StrainThresholds = ToProto(a.Thresholds),
            Capacity = a.Capacity.Total,
            Occupied = a.Occupied.Total,
            Free = a.Free.Total,
            OccupancyRate = a.Rate,
            OpenFacilities = a.OpenFacilities,
            FullFacilities = a.FullFacilities,
            ClosedFacilities = a.ClosedFacilities,
            NotPlaced = ToProto(a.NotPlaced),
        };
        proto.Categories.AddRange(Places.Categories.Select(c => new V1.CategoryFigures
        {
            Category = (V1.Category)((int)c + 1),
            Capacity = a.Capacity[c],
            Contingency = a.Contingency[c],
            Occupied = a.Occupied[c],
            Incoming = a.Incoming[c],
            Free = a.Free[c],
            OccupancyRate = StrainThresholds.Rate(a.Occupied[c], a.Capacity[c]),
        }));
        return proto;
    }

    public static V1.CapacityPicture ToProto(CapacityPicture p)
    {
        var proto = new V1.CapacityPicture { Country = p.Country, AsOf = Timestamp.FromDateTimeOffset(p.AsOf), National = ToProto(p.National) };
        proto.Regions.AddRange(p.Regions.Select(ToProto));
        proto.Facilities.AddRange(p.Facilities.Select(ToProto));
        return proto;
    }

    /// <summary>A watch's update: each event on its stream, then the picture after them.</summary>
    public static V1.CapacityChange ToProto(CapacityUpdate u)
    {
        var proto = new V1.CapacityChange { Picture = ToProto(u.Picture) };
        proto.Changes.AddRange(u.Events.Select(e => new V1.StreamChange { StreamId = e.StreamId, Entry = ToHistory(e.Event, e.Describe) }));
        return proto;
    }

    private static string Snake(Category c) => c switch
    {
        Category.General => "general",
        Category.Families => "families",
        Category.UnaccompaniedMinors => "unaccompanied_minors",
        Category.SpecialNeeds => "special_needs",
        _ => c.ToString(),
    };
}
