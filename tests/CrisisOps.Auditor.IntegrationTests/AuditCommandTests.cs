extern alias measures;
using System.Text.Json;
using System.Text.Json.Nodes;
using CrisisOps.Auditor.Cli;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Declaration.Grpc.V1;
using CrisisOps.Measures.Grpc.V1;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Testing;
using Grpc.Core;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Xunit;
using static CrisisOps.Testing.RunningService;
using CrisisFacts = measures::CrisisOps.Measures.Facts.CrisisFacts;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// crisisops-audit over histories built through the services' gRPC APIs with a controlled clock, the services running
/// as the application role: clean first, then with violations planted around the services and a row tampered with.
/// </summary>
[Collection(StackCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuditCommandTests(StackFixture stack)
{
    private string Migrator => stack.Infra.Migrator;
    private string Application => stack.Infra.Application;
    private string Auditor => stack.Infra.Auditor;

    [Fact]
    public async Task Poland_2021_audits_clean_and_a_planted_extension_a_late_expiry_and_an_edited_row_are_each_named_and_fail_the_audit()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2021, 9, 2, 10, 0, 0, TimeSpan.FromHours(2)));
        var declarationSchema = TestSettings.NewSchema("adecl");
        var measuresSchema = TestSettings.NewSchema("ameas");
        await using var declarationService = await stack.StartDeclarationAsync(declarationSchema, clock, AsApplicationRole);
        await using var measuresService = await stack.StartMeasuresAsync(measuresSchema, clock, AsApplicationRole);
        var poland = As(stack.Tokens.Ministry("PL"));
        var crises = StackFixture.Declaration(declarationService);
        var measures = StackFixture.Measures(measuresService);

        var crisis = await crises.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        var emergency = await crises.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", "2021-09-02", "2021-10-01"), poland);
        await WaitForCrisisAsync(measuresService, crisis.Result.Id);
        var measure = await measures.EnactMeasureAsync(
            Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, "2021-09-02", "2021-10-01", "PL-BY"), poland);
        var sixWeeks = Requests.Enact("EU-CFMR-ART10-REGISTRATION-DELAY", "PL", crisis.Result.Id, "2021-09-02", "2021-09-10", "PL-BY");
        sixWeeks.Parameters = new() { RegistrationDelayWeeks = 6 };
        await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(sixWeeks, poland));

        clock.SetUtcNow(new DateTimeOffset(2021, 9, 30, 18, 0, 0, TimeSpan.FromHours(2)));
        await crises.ExtendEmergencyAsync(Requests.ExtendEmergency(crisis.Result.Id, emergency.Version, "2021-11-30", "Sejm resolution of 30 Sep 2021"), poland);
        await measures.ExtendMeasureAsync(Requests.ExtendMeasure(measure.Id, measure.Version, "2021-11-30", "Sejm resolution of 30 Sep 2021"), poland);
        clock.SetUtcNow(new DateTimeOffset(2021, 12, 1, 0, 0, 30, TimeSpan.FromHours(1)));
        await WaitForAsync(async () => (await measures.GetMeasureAsync(new() { MeasureId = measure.Id }, poland)).Status == MeasureStatus.Expired);
        await WaitForAsync(async () => (await crises.GetCrisisAsync(new() { CrisisId = crisis.Result.Id }, poland)).Emergency.Status == EmergencyStatus.Expired);
        await stack.WaitUntilSealedAsync(declarationSchema, Auditor);
        await stack.WaitUntilSealedAsync(measuresSchema, Auditor);

        var (exit, clean) = await AuditAsync("2021-12-02", [declarationSchema, measuresSchema]);
        Assert.Equal(AuditCommand.Passed, exit);
        Assert.Empty(clean.Findings);
        var timeline = Assert.Single(clean.Crises);
        Assert.Equal([ItemKind.Emergency, ItemKind.Measure], timeline.Items.Select(i => i.Kind));
        Assert.All(timeline.Items, i => Assert.Equal(("expired", new DateOnly(2021, 11, 30)), (i.EndedBy, i.LawfulEnd)));
        Assert.Equal(2, clean.RecordedEnds.Count);
        Assert.All(clean.RecordedEnds, e => Assert.Equal(30, e.LagSeconds));
        var refused = Assert.Single(clean.Refusals);
        Assert.Equal(("safeguard.2.registration-delay", "interior-officer"), (refused.Rule, refused.ActorSubject));

        // A second extension of the state of emergency, written with SQL as the migration role around the service,
        // chained correctly: only the time limits can find it.
        await PlantSecondExtensionAsync(measuresSchema, measure.Id);
        // Greece: the one-month act reached its legal end while the declaration service was down for two days.
        var greece = As(stack.Tokens.Ministry("GR"));
        var greekCrisis = await crises.DeclareCrisisAsync(Requests.Crisis("GR", "Turkey", "GR-TR-Evros"), greece);
        await crises.DeclareEmergencyAsync(
            Requests.Emergency(greekCrisis.Result.Id, greekCrisis.Result.Version, "GR-EMERGENCY-ACT", "2021-12-01", "2021-12-31"), greece);
        clock.SetUtcNow(new DateTimeOffset(2022, 1, 3, 8, 0, 0, TimeSpan.FromHours(2)));
        await WaitForAsync(async () =>
            (await crises.GetCrisisAsync(new() { CrisisId = greekCrisis.Result.Id }, greece)).Emergency.Status == EmergencyStatus.Expired);
        await stack.WaitUntilSealedAsync(declarationSchema, Auditor);
        await stack.WaitUntilSealedAsync(measuresSchema, Auditor);

        var html = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.html");
        var (exitPlanted, planted) = await AuditAsync("2022-01-04", [declarationSchema, measuresSchema], html);
        Assert.Equal(AuditCommand.ChecksFailed, exitPlanted);
        Assert.Equal(["emergency.expiry-late", "measure.extension.count"], planted.Findings.Select(f => f.Rule).Order());
        var count = planted.Findings.Single(f => f.Rule == "measure.extension.count");
        Assert.Equal((measuresSchema, measure.Id, 4L), (count.Store, count.StreamKey, count.Version));
        var late = planted.Findings.Single(f => f.Rule == "emergency.expiry-late");
        Assert.Equal((greekCrisis.Result.Id, "GR"), (late.CrisisId, late.Country));
        Assert.Contains(planted.RecordedEnds, e => e.Country == "GR" && e.LagSeconds > 2 * 86_400);
        await AssertDrawnInTheBrowserAsync(html, measure.Id, greekCrisis.Result.Id);

        // Editing a stored event by hand: the end date of the Polish emergency as declared.
        await stack.ExecuteAsync($$"""
            update {{declarationSchema}}.mt_events set data = jsonb_set(data, '{EndDate}', '"2021-10-31"')
            where stream_id = '{{crisis.Result.Id}}' and version = 2
            """, Migrator);
        var (exitTampered, tampered) = await AuditAsync("2022-01-04", [declarationSchema, measuresSchema]);
        Assert.Equal(AuditCommand.ChecksFailed, exitTampered);
        var altered = tampered.Findings.Single(f => f.Rule == "integrity.altered");
        Assert.Equal((declarationSchema, crisis.Result.Id, 2L), (altered.Store, altered.StreamKey, altered.Version));
    }

    private void AsApplicationRole(Dictionary<string, string?> settings)
    {
        settings["ConnectionStrings:postgres"] = Application;
        settings[$"ConnectionStrings:{MartenConventions.MigratorConnection}"] = Migrator;
    }

    /// <summary>
    /// The planted history's HTML report in Chromium, as an auditor opens it: the verdict, the unlawful extension on the
    /// measure's bar, and the Greek expiry recorded to the right of its legal end, each drawn where it belongs.
    /// </summary>
    private static async Task AssertDrawnInTheBrowserAsync(string html, string measureId, string greekCrisisId)
    {
        try
        {
            await using var browser = await ReportBrowser.StartAsync();
            var page = await browser.OpenAsync(html);

            Assert.True(await page.Locator("h1 .fail").IsVisibleAsync());
            Assert.Equal("FAILED", await page.Locator("h1 .fail").InnerTextAsync());
            var rows = (await page.EvaluateAsync<JsonElement>(TimelineRows)).EnumerateArray().ToList();
            var measureRow = Assert.Single(rows, r => r.GetProperty("id").GetString() == measureId);
            var unlawful = measureRow.GetProperty("unlawful");
            Assert.Equal(JsonValueKind.Object, unlawful.ValueKind);
            Assert.True(unlawful.GetProperty("width").GetDouble() > 0, "the unlawful extension's marker is drawn");
            var greekRow = Assert.Single(rows, r => r.GetProperty("id").GetString()!.StartsWith(greekCrisisId, StringComparison.Ordinal));
            var lateAt = greekRow.GetProperty("late").GetProperty("x").GetDouble();
            var legalEndAt = greekRow.GetProperty("limit").GetProperty("x").GetDouble();
            Assert.True(lateAt > legalEndAt + 5, $"the late expiry ({lateAt:0.#} px) is drawn right of the legal end ({legalEndAt:0.#} px)");
            Assert.All(rows, r => Assert.True(r.GetProperty("bar").GetProperty("width").GetDouble() >= 1, $"{r.GetProperty("id")} has a bar"));
        }
        finally
        {
            File.Delete(html);
        }
    }

    /// <summary>Each timeline row of the page, as laid out by the browser: the boxes of its bar and markers.</summary>
    private const string TimelineRows = """
        () => [...document.querySelectorAll('div.timeline svg')].flatMap(svg => {
          const rows = [];
          let row = null;
          for (const el of svg.children) {
            const kind = el.getAttribute('class') || '';
            if (kind === 'label') { row = { id: '', bar: null, limit: null, late: null, unlawful: null }; rows.push(row); continue; }
            if (!row) continue;
            const r = el.getBoundingClientRect();
            const box = { x: r.x, width: r.width, height: r.height };
            if (kind === 'sublabel') row.id = el.textContent;
            else if (kind === 'bar' || kind === 'bar flagged') row.bar = box;
            else if (kind === 'limit') row.limit = box;
            else if (kind === 'recorded late') row.late = { ...box, x: r.x + r.width / 2 };
            else if (kind === 'extension unlawful') row.unlawful = box;
          }
          return rows;
        })
        """;

    private async Task<(int Exit, AuditReport Report)> AuditAsync(string asOf, string[] schemas, string? html = null)
    {
        var json = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.json");
        try
        {
            string[] output = html is null ? [] : ["--html", html];
            var exit = await AuditCommand.Create().Parse(
                ["--connection", Auditor, .. schemas.SelectMany(s => new[] { "--schema", s }), "--as-of", asOf, "--json", json, .. output]).InvokeAsync();
            return (exit, AuditJson.Deserialize(await File.ReadAllTextAsync(json)));
        }
        finally
        {
            File.Delete(json);
        }
    }

    /// <summary>
    /// Appends, as the migration role, a second extension to the end of the measure's stream: the first extension's
    /// data with another number, end and decision time, hashed onto the stream's chain like the service would.
    /// </summary>
    private async Task PlantSecondExtensionAsync(string schema, string measureId)
    {
        await using var connection = new NpgsqlConnection(Migrator);
        await connection.OpenAsync();
        string extension, head;
        await using (var read = new NpgsqlCommand($"""
            select (select data::text from {schema}.mt_events where stream_id = @id and type = 'measure_extended'),
                   (select headers->>'chain-hash' from {schema}.mt_events where stream_id = @id order by version desc limit 1)
            """, connection))
        {
            read.Parameters.AddWithValue("id", measureId);
            await using var reader = await read.ExecuteReaderAsync();
            await reader.ReadAsync();
            (extension, head) = (reader.GetString(0), reader.GetString(1));
        }

        var data = JsonNode.Parse(extension)!;
        data["ExtensionNumber"] = 2;
        data["PreviousEndDate"] = "2021-11-30";
        data["NewEndDate"] = "2022-01-29";
        data["LegalMaxEnd"] = "2022-01-29";
        data["ExpiresAt"] = "2022-01-29T23:00:00+00:00";
        data["Decision"]!["DecidedAt"] = "2021-11-20T10:00:00+01:00";
        var json = data.ToJsonString();
        var hash = EventChain.Hash(head, measureId, 4, "measure_extended", json);
        await using var insert = new NpgsqlCommand($"""
            insert into {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers)
            select nextval('{schema}.mt_events_sequence'), gen_random_uuid(), stream_id, 4, @data::jsonb, type, now(), tenant_id, mt_dotnet_type,
                   jsonb_build_object('{EventChain.HashHeader}', @hash)
            from {schema}.mt_events where stream_id = @id and version = 2;
            update {schema}.mt_streams set version = 4 where id = @id;
            """, connection);
        insert.Parameters.AddWithValue("data", json);
        insert.Parameters.AddWithValue("hash", hash);
        insert.Parameters.AddWithValue("id", measureId);
        Assert.Equal(2, await insert.ExecuteNonQueryAsync());
    }

    private static async Task WaitForCrisisAsync(RunningService measures, string crisisId)
    {
        var store = measures.Services.GetRequiredService<IDocumentStore>();
        await WaitForAsync(async () =>
        {
            await using var session = store.QuerySession();
            return await session.LoadAsync<CrisisFacts>(crisisId) is not null;
        });
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the condition was never met");
            await Task.Delay(100);
        }
    }
}
