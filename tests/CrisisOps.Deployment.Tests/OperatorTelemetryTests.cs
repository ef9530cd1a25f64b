extern alias cli;
extern alias declaration;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using cli::CrisisOps.Declaration.Grpc.V1;
using CrisisOps.ServiceDefaults.Telemetry;
using CrisisOps.Testing;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Xunit;
using DeclarationService = declaration::CrisisOps.Declaration.DeclarationService;

namespace CrisisOps.Deployment.Tests;

/// <summary>
/// Telemetry an operator can read, through the service's own OpenTelemetry pipeline (what it would export): no trace
/// of the background polling, each decision's trace whole and findable by its request id, and the duty officer's metrics.
/// </summary>
public sealed class OperatorTelemetryTests : ServiceStack
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Idle_polling_exports_no_trace_and_a_decision_exports_one_whole_trace_tagged_with_its_request_id_stream_and_crisis()
    {
        var exported = new Exported();
        await using var app = await StartAsync(exported, traceBackground: false);

        await Task.Delay(Idle);
        var whileIdle = exported.Spans.Count;
        using var channel = GrpcChannel.ForAddress(app.Urls.First());
        var client = new CrisisDeclaration.CrisisDeclarationClient(channel);
        var requestId = Guid.NewGuid().ToString();
        var declared = await client.DeclareCrisisAsync(Crisis(requestId), RunningService.As(Tokens.Ministry("PL")));
        var crisisId = declared.Result.Id;
        var lifted = await Assert.ThrowsAsync<RpcException>(async () => await client.LiftEmergencyAsync(new CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(), CrisisId = crisisId, ExpectedVersion = declared.Result.Version, Justification = "no emergency to lift",
        }, RunningService.As(Tokens.Ministry("PL"))));
        var server = await exported.EventuallyAsync(s => s.Kind == ActivityKind.Server && Tag(s, DecisionTelemetry.RequestIdTag) == requestId);
        await exported.EventuallyAsync(s => s.TraceId == server.TraceId && s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer);

        Assert.Equal(0, whileIdle);
        Assert.Equal(Grpc.Core.StatusCode.FailedPrecondition, lifted.StatusCode);
        Assert.Equal(crisisId, Tag(server, DecisionTelemetry.StreamTag));
        Assert.Equal(crisisId, Tag(server, DecisionTelemetry.CrisisIdTag));
        var trace = exported.Spans.Where(s => s.TraceId == server.TraceId).ToList();
        Assert.Contains(trace, s => s.Source.Name == "Npgsql");
        Assert.Contains(trace, s => s.Source.Name == "CrisisOps.Relay");
        // Every exported trace starts with a call, a message or a relayed event: none with a poll.
        Assert.All(exported.Spans.Where(s => s.ParentSpanId == default),
            root => Assert.True(root.Kind is ActivityKind.Server or ActivityKind.Consumer or ActivityKind.Producer, $"root {root.Source.Name} {root.DisplayName}"));
        Assert.True(exported.Measured("crisisops.decisions", "outcome", "recorded") >= 1);
        Assert.True(exported.Measured("crisisops.decisions", "outcome", "refused") >= 1);
        Assert.True(exported.Measured("crisisops.refusals", "rule", "emergency.not-in-force") >= 1);
        await exported.EventuallyMeasuredAsync("crisisops.relay.lag");
    }

    [Fact]
    public async Task With_background_tracing_switched_on_the_same_idle_service_exports_its_polling()
    {
        var exported = new Exported();
        await using var app = await StartAsync(exported, traceBackground: true);

        await Task.Delay(Idle);

        Assert.Contains(exported.Spans, s => s.Source.Name is "Marten" or "Npgsql");
    }

    private async Task<WebApplication> StartAsync(Exported exported, bool traceBackground)
    {
        var settings = TestSettings.For(Infra, Tokens, TestSettings.NewSchema("otel"));
        settings["Telemetry:TraceBackground"] = traceBackground ? "true" : "false";
        var app = DeclarationService.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(settings);
            b.WebHost.UseUrls("http://127.0.0.1:0");
            // The spans the service's pipeline keeps reach this processor exactly as they would reach the exporter.
            b.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(exported));
        });
        await app.StartAsync();
        return app;
    }

    private static string? Tag(Activity span, string name) => span.GetTagItem(name)?.ToString();

    private static DeclareCrisisRequest Crisis(string requestId) => new()
    {
        RequestId = requestId,
        TargetCountry = "PL",
        BorderSections = { "PL-BY" },
        Perpetrator = new Perpetrator { Name = "Belarus", Kind = PerpetratorKind.State },
        Scenario = Scenario.Belligerent,
        Criteria = new QualificationCriteria
        {
            HostileActor = new Criterion { Met = true, Evidence = "state authorities organise transport" },
            EncouragesOrFacilitatesMovement = new Criterion { Met = true, Evidence = "flights and visas" },
            AimToDestabilise = new Criterion { Met = true, Evidence = "public statements" },
            RisksEssentialStateFunctions = new Criterion { Met = true, Evidence = "border guard overstretched" },
        },
        Stage = BlueprintStage.CrisisManagement,
        Justification = "deliberate pushing of migrants to the border",
    };

    /// <summary>The spans the pipeline exports, and the CrisisOps meter's measurements.</summary>
    private sealed class Exported : BaseProcessor<Activity>
    {
        private readonly MeterListener _meters = new();
        private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();

        public Exported()
        {
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == DecisionTelemetry.MeterName) listener.EnableMeasurementEvents(instrument);
            };
            _meters.SetMeasurementEventCallback<long>((i, _, tags, _) => _measurements.Enqueue((i.Name, tags.ToArray())));
            _meters.SetMeasurementEventCallback<double>((i, _, tags, _) => _measurements.Enqueue((i.Name, tags.ToArray())));
            _meters.Start();
        }

        public ConcurrentQueue<Activity> Spans { get; } = new();

        public override void OnEnd(Activity data) => Spans.Enqueue(data);

        public int Measured(string instrument, string tag, string value) =>
            _measurements.Count(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag && Equals(t.Value, value)));

        public async Task<Activity> EventuallyAsync(Func<Activity, bool> match)
        {
            for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(100))
                if (Spans.FirstOrDefault(match) is { } found) return found;
            throw new TimeoutException("no such span was exported; exported: " + string.Join("; ",
                Spans.Select(s => $"{s.Source.Name} {s.Kind} {s.DisplayName} [{string.Join(",", s.TagObjects.Select(t => t.Key))}]")));
        }

        public async Task EventuallyMeasuredAsync(string instrument)
        {
            for (var until = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < until; await Task.Delay(100))
                if (_measurements.Any(m => m.Instrument == instrument)) return;
            throw new TimeoutException($"nothing was measured on {instrument}");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _meters.Dispose();
            base.Dispose(disposing);
        }
    }
}
