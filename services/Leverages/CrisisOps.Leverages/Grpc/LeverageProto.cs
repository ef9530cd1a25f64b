using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Leverages.Leverages;
using Google.Protobuf.WellKnownTypes;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Leverages.Grpc;

/// <summary>Proto ↔ domain mapping for leverages: enums by name, so that reordering either side cannot shift a value.</summary>
public static class LeverageProto
{
    public static V1.LeverageType ToProto(LeverageType t)
    {
        var proto = new V1.LeverageType
        {
            Code = t.Code,
            Title = t.Title,
            Category = t.Category.ToString(),
            Side = t.Side.ToString(),
            LegalBasisCitation = t.LegalBasis.Citation,
            DecidingAuthority = t.LegalBasis.DecidingAuthority,
            DefaultDuration = t.LegalBasis.MaxInitialDuration.ToString(),
            MaxRenewals = t.LegalBasis.Extension.MaxExtensions ?? -1,
            MaxRenewalLength = t.LegalBasis.Extension.MaxExtensionLength.ToString(),
            TotalCap = t.LegalBasis.TotalCap?.ToString() ?? "",
            ReviewEvery = t.ReviewEvery?.ToString() ?? "",
            EvidenceRequired = t.EvidenceRequired,
            UntilRepealed = t.UntilRepealed,
            Notes = t.LegalBasis.Notes,
            DecidedBy = t.LegalBasis.DecidedBy.ToString(),
        };
        proto.Targets.AddRange(t.Targets.Select(ToProto));
        return proto;
    }

    public static V1.LeverageDetails ToProto(LeverageView v)
    {
        var details = new V1.LeverageDetails
        {
            LeverageId = v.Id,
            Version = v.Version,
            LeverageType = v.TypeCode,
            Category = v.Category.ToString(),
            Side = v.Side.ToString(),
            Country = v.Country,
            CrisisId = v.CrisisId ?? "",
            ConditionalOnCrisis = v.ConditionalOnCrisis,
            Status = ToProto(v.Status),
            StartDate = v.StartDate is { } s ? Iso(s) : "",
            EndDate = v.EndDate is { } e ? Iso(e) : "",
            LegalMaxEnd = v.LegalMaxEnd is { } m ? Iso(m) : "",
            ExpiresAt = v.ExpiresAt is { } x ? Timestamp.FromDateTimeOffset(x) : null,
            ReviewDueAt = v.ReviewDueAt is { } r ? Iso(r) : "",
            ReviewOverdue = v.ReviewOverdue,
            FlaggedForReview = v.FlaggedForReview,
            Renewals = v.Renewals,
            LegalBasisCitation = v.LegalBasisCitation,
            LegalActReference = v.LegalActReference,
        };
        details.Targets.AddRange(v.Targets.Select(t => new V1.Target { Kind = ToProto(t.Kind), Name = t.Name, Country = t.Country }));
        details.Evidence.AddRange(v.Evidence);
        details.Allies.AddRange(v.Allies.OrderBy(a => a.Key).Select(a => new V1.Ally { Code = a.Key, Position = ToProto(a.Value) }));
        return details;
    }

    public static Target ToDomain(V1.Target? t, string field) => t is null
        ? throw new InvalidFieldException(field, "is required")
        : new Target(ToDomain(t.Kind, $"{field}.kind"), Required(t.Name, $"{field}.name"), Country(t.Country, $"{field}.country"));

    public static TargetKind ToDomain(V1.TargetKind kind, string field) => kind switch
    {
        V1.TargetKind.PerpetratorState => TargetKind.PerpetratorState,
        V1.TargetKind.TransitState => TargetKind.TransitState,
        V1.TargetKind.Carrier => TargetKind.Carrier,
        V1.TargetKind.TravelAgency => TargetKind.TravelAgency,
        V1.TargetKind.NamedOfficial => TargetKind.NamedOfficial,
        V1.TargetKind.Entity => TargetKind.Entity,
        V1.TargetKind.Unspecified => throw new InvalidFieldException(field, "is required"),
        _ => throw new InvalidFieldException(field, $"value {(int)kind} is not a target kind"),
    };

    public static V1.TargetKind ToProto(TargetKind kind) => kind switch
    {
        TargetKind.PerpetratorState => V1.TargetKind.PerpetratorState,
        TargetKind.TransitState => V1.TargetKind.TransitState,
        TargetKind.Carrier => V1.TargetKind.Carrier,
        TargetKind.TravelAgency => V1.TargetKind.TravelAgency,
        TargetKind.NamedOfficial => V1.TargetKind.NamedOfficial,
        TargetKind.Entity => V1.TargetKind.Entity,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no proto target kind"),
    };

    public static AllyPosition ToDomain(V1.AllyPosition position, string field) => position switch
    {
        V1.AllyPosition.Pending => AllyPosition.Pending,
        V1.AllyPosition.Joined => AllyPosition.Joined,
        V1.AllyPosition.Declined => AllyPosition.Declined,
        V1.AllyPosition.Unspecified => throw new InvalidFieldException(field, "is required"),
        _ => throw new InvalidFieldException(field, $"value {(int)position} is not an ally position"),
    };

    public static V1.AllyPosition ToProto(AllyPosition position) => position switch
    {
        AllyPosition.Pending => V1.AllyPosition.Pending,
        AllyPosition.Joined => V1.AllyPosition.Joined,
        AllyPosition.Declined => V1.AllyPosition.Declined,
        _ => throw new ArgumentOutOfRangeException(nameof(position), position, "no proto ally position"),
    };

    /// <summary>A status filter; the caller has already treated UNSPECIFIED as no filter.</summary>
    public static LeverageStatus ToDomain(V1.LeverageStatus status) => status switch
    {
        V1.LeverageStatus.Proposed => LeverageStatus.Proposed,
        V1.LeverageStatus.Imposed => LeverageStatus.Imposed,
        V1.LeverageStatus.Suspended => LeverageStatus.Suspended,
        V1.LeverageStatus.Lifted => LeverageStatus.Lifted,
        V1.LeverageStatus.Lapsed => LeverageStatus.Lapsed,
        V1.LeverageStatus.Withdrawn => LeverageStatus.Withdrawn,
        _ => throw new InvalidFieldException("status", $"value {(int)status} is not a leverage status"),
    };

    public static V1.LeverageStatus ToProto(LeverageStatus status) => status switch
    {
        LeverageStatus.Proposed => V1.LeverageStatus.Proposed,
        LeverageStatus.Imposed => V1.LeverageStatus.Imposed,
        LeverageStatus.Suspended => V1.LeverageStatus.Suspended,
        LeverageStatus.Lifted => V1.LeverageStatus.Lifted,
        LeverageStatus.Lapsed => V1.LeverageStatus.Lapsed,
        LeverageStatus.Withdrawn => V1.LeverageStatus.Withdrawn,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "no proto leverage status"),
    };
}
