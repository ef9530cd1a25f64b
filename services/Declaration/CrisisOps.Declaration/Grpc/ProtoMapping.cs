using CrisisOps.Declaration.Crises;
using CrisisOps.Declaration.EarlyWarning;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.Grpc;
using Google.Protobuf.WellKnownTypes;
using Marten;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Declaration.Grpc;

/// <summary>Proto ↔ domain mapping and request validation (field named on every refusal).</summary>
public static class ProtoMapping
{
    public static string Country(string? value, string field = "target_country") => ProtoFields.Country(value, field);

    public static Scenario ToDomain(V1.Scenario s) => Enum(s, "scenario") switch
    {
        V1.Scenario.Belligerent => Scenario.Belligerent,
        V1.Scenario.Negotiation => Scenario.Negotiation,
        V1.Scenario.Neglect => Scenario.Neglect,
        V1.Scenario.Hybrid => Scenario.Hybrid,
        V1.Scenario.NonStateActor => Scenario.NonStateActor,
        _ => throw new InvalidFieldException("scenario", $"unknown value {s}"),
    };

    public static V1.Scenario ToProto(Scenario s) => (V1.Scenario)((int)s + 1);

    public static BlueprintStage ToDomain(V1.BlueprintStage s) => Enum(s, "stage") switch
    {
        V1.BlueprintStage.MonitoringAndPreparedness => BlueprintStage.MonitoringAndPreparedness,
        V1.BlueprintStage.CrisisManagement => BlueprintStage.CrisisManagement,
        _ => throw new InvalidFieldException("stage", $"unknown value {s}"),
    };

    public static V1.BlueprintStage ToProto(BlueprintStage s) => (V1.BlueprintStage)((int)s + 1);

    public static Perpetrator ToDomain(V1.Perpetrator? p) => p is null
        ? throw new InvalidFieldException("perpetrator", "is required")
        : new Perpetrator(Required(p.Name, "perpetrator.name"), Enum(p.Kind, "perpetrator.kind") switch
        {
            V1.PerpetratorKind.State => PerpetratorKind.State,
            V1.PerpetratorKind.NonState => PerpetratorKind.NonState,
            _ => throw new InvalidFieldException("perpetrator.kind", $"unknown value {p.Kind}"),
        });

    public static QualificationCriteria ToDomain(V1.QualificationCriteria? c)
    {
        if (c is null) throw new InvalidFieldException("criteria", "is required: the four EU criteria, each met or not, with evidence");
        Criterion Map(V1.Criterion? x, string name) => x is null
            ? throw new InvalidFieldException($"criteria.{name}", "is required")
            : new Criterion(x.Met, x.Evidence?.Trim() ?? "");
        return new QualificationCriteria(Map(c.HostileActor, "hostile_actor"),
            Map(c.EncouragesOrFacilitatesMovement, "encourages_or_facilitates_movement"),
            Map(c.AimToDestabilise, "aim_to_destabilise"), Map(c.RisksEssentialStateFunctions, "risks_essential_state_functions"));
    }

    private static V1.Criterion ToProto(Criterion c) => new() { Met = c.Met, Evidence = c.Evidence };

    public static V1.CrisisDetails ToProto(CrisisView v)
    {
        var details = new V1.CrisisDetails
        {
            CrisisId = v.Id,
            Version = v.Version,
            TargetCountry = v.TargetCountry,
            Perpetrator = new V1.Perpetrator
            {
                Name = v.Perpetrator.Name,
                Kind = v.Perpetrator.Kind == PerpetratorKind.State ? V1.PerpetratorKind.State : V1.PerpetratorKind.NonState,
            },
            Scenario = ToProto(v.Scenario),
            Criteria = new V1.QualificationCriteria
            {
                HostileActor = ToProto(v.Criteria.HostileActor),
                EncouragesOrFacilitatesMovement = ToProto(v.Criteria.EncouragesOrFacilitatesMovement),
                AimToDestabilise = ToProto(v.Criteria.AimToDestabilise),
                RisksEssentialStateFunctions = ToProto(v.Criteria.RisksEssentialStateFunctions),
            },
            QualifiesAsInstrumentalization = v.QualifiesAsInstrumentalization,
            Stage = ToProto(v.Stage),
            Status = v.Status == CrisisStatus.Active ? V1.CrisisStatus.Active : V1.CrisisStatus.Ended,
            DeclaredAt = Timestamp.FromDateTimeOffset(v.DeclaredAt),
        };
        details.BorderSections.AddRange(v.BorderSections);
        if (v.Emergency is { } e)
        {
            details.Emergency = new V1.Emergency
            {
                LegalBasisCode = e.LegalBasisCode,
                CatalogueVersion = e.CatalogueVersion,
                StartDate = Iso(e.StartDate),
                EndDate = Iso(e.EndDate),
                LegalMaxEnd = Iso(e.LegalMaxEnd),
                TotalCapEnd = e.TotalCapEnd is { } cap ? Iso(cap) : "",
                ExpiresAt = Timestamp.FromDateTimeOffset(e.ExpiresAt),
                ExtensionsUsed = e.ExtensionsUsed,
                MaxExtensions = e.MaxExtensions ?? -1,
                Status = (V1.EmergencyStatus)((int)e.Status + 1),
            };
        }

        return details;
    }

    public static V1.AlertPicture ToProto(AlertPicture p)
    {
        var proto = new V1.AlertPicture
        {
            TargetCountry = p.TargetCountry,
            BorderSection = p.BorderSection,
            Level = (V1.AlertLevel)(int)p.Level,
            UpdatedAt = Timestamp.FromDateTimeOffset(p.UpdatedAt),
            Version = p.Version,
        };
        proto.Groups.AddRange(p.Groups.Select(g => new V1.GroupLevel
        {
            Group = (V1.IndicatorGroup)((int)g.Group + 1),
            Level = (V1.IndicatorLevel)(int)(g.Level ?? 0),
            Indicators = g.Indicators,
        }));
        return proto;
    }

    public static IndicatorGroup ToDomain(V1.IndicatorGroup g) => Enum(g, "group") switch
    {
        V1.IndicatorGroup.Intent => IndicatorGroup.Intent,
        V1.IndicatorGroup.Potential => IndicatorGroup.Potential,
        V1.IndicatorGroup.TerritorialVulnerability => IndicatorGroup.TerritorialVulnerability,
        V1.IndicatorGroup.PoliticalVulnerability => IndicatorGroup.PoliticalVulnerability,
        _ => throw new InvalidFieldException("group", $"unknown value {g}"),
    };

    public static IndicatorLevel ToDomain(V1.IndicatorLevel l) => Enum(l, "level") switch
    {
        >= V1.IndicatorLevel.Low and <= V1.IndicatorLevel.Critical => (IndicatorLevel)(int)l,
        _ => throw new InvalidFieldException("level", $"unknown value {l}"),
    };

    public static V1.LegalBasis ToProto(LegalBasis b) => new()
    {
        Code = b.Code,
        Title = b.Title,
        Citation = b.Citation,
        Jurisdiction = b.Jurisdiction,
        DecidingAuthority = b.DecidingAuthority,
        TimeZone = b.TimeZone,
        PeriodRule = b.Counting.Summary,
        MaxInitialDuration = b.MaxInitialDuration.ToString(),
        MaxExtensions = b.Extension.MaxExtensions ?? -1,
        MaxExtensionLength = b.Extension.MaxExtensionLength.ToString(),
        ConsentRequired = b.Extension.ConsentRequired ?? "",
        TotalCap = b.TotalCap?.ToString() ?? "",
        RequiresQualifiedInstrumentalization = b.RequiresQualifiedInstrumentalization,
        DecidedBy = b.DecidedBy.ToString(),
        Notes = b.Notes,
    };

    public static async Task<CrisisView> LoadCrisisAsync(this IQuerySession session, string? crisisId, CancellationToken ct)
    {
        var id = Required(crisisId, "crisis_id", 100);
        return await session.LoadAsync<CrisisView>(id, ct) ?? throw new NotFoundException("crisis", id);
    }
}
