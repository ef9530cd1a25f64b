using System.Globalization;
using CrisisOps.Auditor.Core.Reporting;
using Google.Protobuf.WellKnownTypes;

namespace CrisisOps.Auditor.Grpc;

/// <summary>The audit report in the proto's terms.</summary>
public static class ReportProto
{
    public static V1.AuditReport ToProto(AuditReport r)
    {
        var proto = new V1.AuditReport
        {
            Passed = r.Passed,
            Errors = r.Errors,
            Warnings = r.Warnings,
            EventsReplayed = r.EventsReplayed,
            DecisionsChecked = r.DecisionsChecked,
            GeneratedAt = Timestamp.FromDateTimeOffset(r.GeneratedAt),
            AsOf = Timestamp.FromDateTimeOffset(r.Scope.AsOf),
            ToleranceSeconds = r.Scope.ToleranceSeconds,
        };
        proto.Catalogues.AddRange(r.Catalogues);
        proto.Stores.AddRange(r.Stores.Select(s => new V1.StoreSummary
        {
            Schema = s.Schema,
            Events = s.Events,
            Streams = s.Streams,
            HasLogChain = s.HasLogChain,
            LogHead = s.LogHead,
            NotYetSealed = s.NotYetSealed,
        }));
        proto.Crises.AddRange(r.Crises.Select(c =>
        {
            var crisis = new V1.CrisisTimeline
            {
                Id = c.Id,
                Store = c.Store,
                Country = c.Country,
                Qualifies = c.Qualifies,
                DeclaredAt = Timestamp.FromDateTimeOffset(c.DeclaredAt),
                EndedAt = Time(c.EndedAt),
            };
            crisis.Items.AddRange(c.Items.Select(ToProto));
            return crisis;
        }));
        proto.WithoutCrisis.AddRange(r.WithoutCrisis.Select(ToProto));
        proto.RecordedEnds.AddRange(r.RecordedEnds.Select(e => new V1.RecordedEnd
        {
            Kind = ToProto(e.Kind),
            Id = e.Id,
            Country = e.Country,
            How = e.How,
            LegalEnd = Timestamp.FromDateTimeOffset(e.LegalEnd),
            RecordedAt = Timestamp.FromDateTimeOffset(e.RecordedAt),
            LagSeconds = e.LagSeconds,
        }));
        proto.Refusals.AddRange(r.Refusals.Select(x => new V1.RefusedAttempt
        {
            Store = x.Store,
            Country = x.Country,
            Rule = x.Rule,
            MeasureType = x.MeasureType ?? "",
            ActorSubject = x.ActorSubject ?? "",
            ActorName = x.ActorName ?? "",
            ActorRole = x.ActorRole ?? "",
            DecidedAt = Timestamp.FromDateTimeOffset(x.DecidedAt),
            Reason = x.Reason ?? "",
        }));
        proto.Findings.AddRange(r.Findings.Select(f => new V1.Finding
        {
            Severity = f.Severity == Severity.Error ? V1.Severity.Error : V1.Severity.Warning,
            Rule = f.Rule,
            Store = f.Store,
            StreamKey = f.StreamKey ?? "",
            Version = f.Version ?? 0,
            Sequence = f.Sequence ?? 0,
            Subject = f.Subject ?? "",
            CrisisId = f.CrisisId ?? "",
            Country = f.Country ?? "",
            At = Time(f.At),
            Message = f.Message,
        }));
        return proto;
    }

    private static V1.TimelineItem ToProto(TimelineItem i)
    {
        var item = new V1.TimelineItem
        {
            Kind = ToProto(i.Kind),
            Id = i.Id,
            Store = i.Store,
            Code = i.Code,
            Country = i.Country,
            CrisisId = i.CrisisId ?? "",
            StartDate = Day(i.StartDate),
            StartsAt = Timestamp.FromDateTimeOffset(i.StartsAt),
            DecidedEnd = Day(i.DecidedEnd),
            DecidedEndsAt = Time(i.DecidedEndsAt),
            LawfulEnd = Day(i.LawfulEnd),
            LawfulEndsAt = Time(i.LawfulEndsAt),
            TotalCapEndsAt = Time(i.TotalCapEndsAt),
            EndedAt = Time(i.EndedAt),
            EndedBy = i.EndedBy ?? "",
            EndRecordedAt = Time(i.EndRecordedAt),
            InForce = i.InForce,
            Findings = i.Findings,
        };
        item.Extensions.AddRange(i.Extensions.Select(c => new V1.TermChange
        {
            DecidedAt = Timestamp.FromDateTimeOffset(c.DecidedAt),
            NewEnd = Day(c.NewEnd),
            Lawful = c.Lawful,
            Rule = c.Rule ?? "",
        }));
        return item;
    }

    private static V1.ItemKind ToProto(ItemKind kind) => kind switch
    {
        ItemKind.Emergency => V1.ItemKind.Emergency,
        ItemKind.Measure => V1.ItemKind.Measure,
        _ => V1.ItemKind.Leverage,
    };

    private static Timestamp? Time(DateTimeOffset? t) => t is { } value ? Timestamp.FromDateTimeOffset(value) : null;

    private static string Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";
}
