using System.Collections.Immutable;
using CrisisOps.Legal;
using CrisisOps.Legal.Law;
using CrisisOps.Measures.Measures;
using Google.Protobuf.WellKnownTypes;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Measures.Grpc;

/// <summary>Proto ↔ domain mapping for measures.</summary>
public static class MeasureProto
{
    public static V1.MeasureType ToProto(MeasureType t) => new()
    {
        Code = t.Code,
        Toolbox = t.Toolbox,
        Title = t.Title,
        Category = t.Category.ToString(),
        Classification = ToProto(t.Classification),
        LegalBasisCitation = t.LegalBasis.Citation,
        DecidingAuthority = t.LegalBasis.DecidingAuthority,
        Jurisdiction = t.LegalBasis.Jurisdiction,
        PeriodRule = t.LegalBasis.Counting.Summary,
        MaxInitialDuration = t.LegalBasis.MaxInitialDuration.ToString(),
        MaxExtensions = t.LegalBasis.Extension.MaxExtensions ?? -1,
        MaxExtensionLength = t.LegalBasis.Extension.MaxExtensionLength.ToString(),
        ConsentRequired = t.LegalBasis.Extension.ConsentRequired ?? "",
        TotalCap = t.LegalBasis.TotalCap?.ToString() ?? "",
        RequiresQualifiedInstrumentalization = t.LegalBasis.RequiresQualifiedInstrumentalization,
        DependsOnEmergency = t.DependsOnEmergency ?? "",
        ParliamentaryConfirmation = t.ParliamentaryConfirmation,
        UntilRepealed = t.UntilRepealed,
        Notes = t.LegalBasis.Notes,
    };

    public static V1.Classification ToProto(Classification c) => new()
    {
        Context = (V1.MeasureContext)((int)c.Context + 1),
        Scope = (V1.MeasureScope)((int)c.Scope + 1),
        Purpose = (V1.MeasurePurpose)((int)c.Purpose + 1),
    };

    public static V1.MeasureStatus ToProto(MeasureStatus s) => (V1.MeasureStatus)((int)s + 1);

    public static MeasureStatus ToDomain(V1.MeasureStatus s) => (MeasureStatus)((int)s - 1);

    public static MeasureParameters ToDomain(V1.MeasureParameters? p) => p is null
        ? new MeasureParameters(null, [], false, false)
        : new MeasureParameters(
            p.RegistrationDelayWeeks == 0 ? null : p.RegistrationDelayWeeks,
            [.. p.CrossingPoints.Select(x => x.Trim()).Where(x => x.Length > 0).Distinct()],
            p.ExcludesApr53Groups,
            p.IndividualAssessment);

    public static V1.MeasureParameters ToProto(MeasureParameters p)
    {
        var proto = new V1.MeasureParameters
        {
            RegistrationDelayWeeks = p.RegistrationDelayWeeks ?? 0,
            ExcludesApr53Groups = p.ExcludesApr53Groups,
            IndividualAssessment = p.IndividualAssessment,
        };
        proto.CrossingPoints.AddRange(p.CrossingPoints.IsDefault ? [] : p.CrossingPoints);
        return proto;
    }

    public static ImmutableArray<string> Territory(IEnumerable<string> sections)
    {
        var territory = sections.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToImmutableArray();
        return territory.IsEmpty ? throw new InvalidFieldException("territory", "name at least one border section or region") : territory;
    }

    public static V1.MeasureDetails ToProto(MeasureView v, LegalCatalogue catalogue)
    {
        var details = new V1.MeasureDetails
        {
            MeasureId = v.Id,
            Version = v.Version,
            MeasureType = v.TypeCode,
            Category = v.Category.ToString(),
            Toolbox = catalogue.MeasureTypes.FirstOrDefault(t => t.Code == v.TypeCode)?.Toolbox ?? "",
            Classification = ToProto(v.Classification),
            Country = v.Country,
            CrisisId = v.CrisisId ?? "",
            LegalBasisCitation = v.LegalBasisCitation,
            LegalActReference = v.LegalActReference,
            DecidingAuthority = v.DecidingAuthority,
            StartDate = Iso(v.StartDate),
            EndDate = v.EndDate is { } end ? Iso(end) : "",
            LegalMaxEnd = v.LegalMaxEnd is { } max ? Iso(max) : "",
            TotalCapEnd = v.TotalCapEnd is { } cap ? Iso(cap) : "",
            ExpiresAt = v.ExpiresAt is { } at ? Timestamp.FromDateTimeOffset(at) : null,
            ReviewDueAt = v.ReviewDueAt is { } review ? Iso(review) : "",
            ExtensionsUsed = v.ExtensionsUsed,
            MaxExtensions = v.MaxExtensions ?? -1,
            Status = ToProto(v.Status),
            Confirmation = v.Confirmation.ToString(),
            Provisional = v.Provisional,
            Parameters = ToProto(v.Parameters),
        };
        details.Territory.AddRange(v.Territory);
        return details;
    }

    public static V1.RefusedAttempt ToProto(SafeguardBreachRefused r, DateTimeOffset recordedAt) => new()
    {
        Rule = r.Rule,
        Reason = r.Reason,
        MeasureType = r.MeasureTypeCode,
        Command = r.Command,
        AttemptedBy = ServiceDefaults.Grpc.ProtoFields.ToProto(r.Decision),
        RecordedAt = Timestamp.FromDateTimeOffset(recordedAt),
    };
}
