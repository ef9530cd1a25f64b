using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Legal;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.ServiceDefaults.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using static CrisisOps.ServiceDefaults.Grpc.ProtoFields;

namespace CrisisOps.Auditor.Grpc;

/// <summary>Runs the audit for an auditor: the same replay and checks as crisisops-audit, mapped to the proto.</summary>
[Authorize]
public sealed class AuditGrpcService(IConfiguration configuration, AuditSettings settings, TimeProvider clock)
    : V1.Audit.AuditBase
{
    // A replay reads every store: audits queue one behind the other rather than compete for the database.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public override async Task<V1.AuditReport> RunAudit(V1.RunAuditRequest request, ServerCallContext context)
    {
        var actor = context.Actor();
        if (actor.Role != Role.Auditor) throw new NotPermittedException($"role {actor.Role} may not run audits: the auditor role only");
        var options = new AuditOptions(
            request.AsOf?.ToDateTimeOffset() ?? clock.GetUtcNow(),
            TimeSpan.FromMinutes(settings.ToleranceMinutes),
            Optional(request.CrisisId, "crisis_id", 100),
            string.IsNullOrWhiteSpace(request.Country) ? null : Country(request.Country, "country"),
            request.From?.ToDateTimeOffset(),
            request.To?.ToDateTimeOffset());
        if (options.From > options.To) throw new InvalidFieldException("to", "is before from");

        // One audit at a time reads with up to three connections: the auditor's share of the connection budget is 4.
        var connection = new ConnectionBudget().Apply(configuration.GetConnectionString("postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:postgres is not configured"), AuditorService.Name, 4);
        await OneAtATime.WaitAsync(context.CancellationToken);
        try
        {
            var stores = await AuditRunner.StoresAsync(connection, settings.Schemas, context.CancellationToken);
            var report = await AuditRunner.RunAsync(connection, stores, options, null, clock, context.CancellationToken);
            var response = ReportProto.ToProto(report);
            if (request.IncludeHtml) response.Html = HtmlReport.Render(report);
            return response;
        }
        finally
        {
            OneAtATime.Release();
        }
    }
}
