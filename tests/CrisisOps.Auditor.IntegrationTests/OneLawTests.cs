using System.Text.Json.Nodes;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Testing;
using Grpc.Core;
using NodaTime;
using Xunit;
using static CrisisOps.Testing.RunningService;

namespace CrisisOps.Auditor.IntegrationTests;

/// <summary>
/// One law for the services and the auditor, as a ministry would try it: a jurisdiction added as data (a copy of law/
/// with Latvia's state of emergency and a measure under it, read by the services through Law:Directory, no rebuild),
/// crises and emergencies in several jurisdictions on today's clock, measures, bad input; then the audit reads the law
/// from the stores (no file passed) and passes.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class OneLawTests(StackFixture stack) : IDisposable
{
    private readonly string _law = Path.Combine(Path.GetTempPath(), $"crisisops-law-{Guid.NewGuid():N}");

    [Fact]
    public async Task Decisions_in_a_jurisdiction_added_as_data_are_audited_with_the_law_their_store_adopted_and_pass()
    {
        AddLatvia(_law);
        var clock = TimeProvider.System;
        var declarationSchema = TestSettings.NewSchema("law_decl");
        var measuresSchema = TestSettings.NewSchema("law_meas");
        await using var declarationService = await stack.StartDeclarationAsync(declarationSchema, clock, s => s["Law:Directory"] = _law);
        await using var measuresService = await stack.StartMeasuresAsync(measuresSchema, clock, s => s["Law:Directory"] = _law);
        var declaration = StackFixture.Declaration(declarationService);
        var measures = StackFixture.Measures(measuresService);
        var today = Today("Europe/Riga");

        var accepted = 0;
        foreach (var (country, basis, days) in new[] { ("LV", "LV-STATE-OF-EMERGENCY", 90), ("PL", "PL-CONST-230", 30), ("LT", "LT-STATE-OF-EMERGENCY", 60), ("GR", "GR-EMERGENCY-ACT", 20) })
        {
            var ministry = As(stack.Tokens.Ministry(country));
            var crisis = await declaration.DeclareCrisisAsync(Requests.Crisis(country, "Belarus", $"{country}-BY"), ministry);
            var emergency = await declaration.DeclareEmergencyAsync(
                Requests.Emergency(crisis.Result.Id, crisis.Result.Version, basis, Iso(today), Iso(today.PlusDays(days - 1))), ministry);
            accepted += 2;

            // Bad input changes nothing and is named: an empty justification, a start in the past.
            var unjustified = Requests.ExtendEmergency(crisis.Result.Id, emergency.Version, Iso(today.PlusDays(days)), "consent");
            unjustified.Justification = "";
            var noReason = await Assert.ThrowsAsync<RpcException>(async () => await declaration.ExtendEmergencyAsync(unjustified, ministry));
            Assert.Equal(StatusCode.InvalidArgument, noReason.StatusCode);
            var past = await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(
                Requests.Enact("SBC-ART25A-INTERNAL-CONTROL-UNFORESEEABLE", country, crisis.Result.Id, Iso(today.PlusDays(-3)), Iso(today.PlusDays(10)), $"{country}-BY"),
                ministry));
            Assert.Equal((StatusCode.InvalidArgument, "start_date"), (past.StatusCode, past.Trailers.GetValue("crisisops-field")));

            // A safeguard holds in every jurisdiction, before anything else is judged: suspending asylum is refused
            // as such (never as "GR law"), and the attempt is kept for auditors.
            var suspension = await Assert.ThrowsAsync<RpcException>(async () => await measures.EnactMeasureAsync(
                Requests.Enact("GR-SUSPENSION-OF-ASYLUM-APPLICATIONS", country, crisis.Result.Id, Iso(today), Iso(today.PlusDays(10)), $"{country}-BY"),
                ministry));
            Assert.Equal("safeguard.1.access-to-asylum", suspension.Trailers.GetValue("crisisops-rule"));
            accepted++;

            if (country == "LV")
            {
                // A measure under the emergency of the added jurisdiction, with the crisis version its caller read.
                var underEmergency = Requests.Enact("LV-BORDER-ZONE-RESTRICTION", "LV", crisis.Result.Id, Iso(today), Iso(today.PlusDays(29)), "LV-BY");
                underEmergency.CrisisVersion = emergency.Version;
                var measure = await measures.EnactMeasureAsync(underEmergency, ministry);
                Assert.False(measure.Replayed);
                accepted++;
            }
        }

        await stack.WaitUntilSealedAsync(declarationSchema);
        await stack.WaitUntilSealedAsync(measuresSchema);
        var stores = await AuditRunner.StoresAsync(stack.Infra.Postgres, [declarationSchema, measuresSchema], CancellationToken.None);
        var report = await AuditRunner.RunAsync(stack.Infra.Postgres, stores, new AuditOptions(clock.GetUtcNow(), AuditOptions.DefaultTolerance),
            null, clock, CancellationToken.None);

        Assert.True(report.Passed, string.Join("; ", report.Findings.Select(f => $"{f.Rule}: {f.Message}")));
        Assert.True(report.DecisionsChecked >= accepted);
        var adopted = Assert.Single(report.Catalogues);
        Assert.Contains(declarationSchema, adopted, StringComparison.Ordinal);
        Assert.Contains(measuresSchema, adopted, StringComparison.Ordinal);
        Assert.Equal("safeguard.1.access-to-asylum", Assert.Single(report.Refusals, r => r.Country == "LV").Rule);
    }

    [Fact]
    public async Task A_measure_that_names_the_crisis_version_read_after_an_extension_and_a_change_of_stage_is_decided_not_left_waiting()
    {
        var clock = TimeProvider.System;
        await using var declarationService = await stack.StartDeclarationAsync(TestSettings.NewSchema("cv_decl"), clock);
        await using var measuresService = await stack.StartMeasuresAsync(TestSettings.NewSchema("cv_meas"), clock);
        var declaration = StackFixture.Declaration(declarationService);
        var measures = StackFixture.Measures(measuresService);
        var today = Today("Europe/Warsaw");
        var poland = As(stack.Tokens.Ministry("PL"));

        var crisis = await declaration.DeclareCrisisAsync(Requests.Crisis("PL", "Belarus", "PL-BY"), poland);
        var emergency = await declaration.DeclareEmergencyAsync(
            Requests.Emergency(crisis.Result.Id, crisis.Result.Version, "PL-CONST-230", Iso(today), Iso(today.PlusDays(20))), poland);
        var extended = await declaration.ExtendEmergencyAsync(
            Requests.ExtendEmergency(crisis.Result.Id, emergency.Version, Iso(today.PlusDays(40)), "Sejm resolution"), poland);
        var deescalated = await declaration.DeescalateCrisisAsync(new Declaration.Grpc.V1.CrisisDecisionRequest
        {
            RequestId = Guid.NewGuid().ToString(), CrisisId = crisis.Result.Id, ExpectedVersion = extended.Version, Justification = "arrivals fell",
        }, poland);

        // The caller read version 4 (declared, emergency, extension, stage): the measures service waits for it and decides.
        var enact = Requests.Enact("PL-STATE-OF-EMERGENCY", "PL", crisis.Result.Id, Iso(today), Iso(today.PlusDays(10)), "PL-BY");
        enact.CrisisVersion = deescalated.Version;
        var measure = await measures.EnactMeasureAsync(enact, poland.WithDeadline(DateTime.UtcNow.AddSeconds(60)));

        Assert.Equal(4, deescalated.Version);
        Assert.False(measure.Replayed);
    }

    public void Dispose()
    {
        if (Directory.Exists(_law)) Directory.Delete(_law, recursive: true);
    }

    /// <summary>The shipped law with Latvia's state of emergency and one measure under it: a data change, nothing else.</summary>
    private static void AddLatvia(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "law"), "*.json"))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        var basesFile = Path.Combine(directory, "legal-bases.json");
        var bases = JsonNode.Parse(File.ReadAllText(basesFile))!;
        bases["bases"]!.AsArray().Add(JsonNode.Parse("""
            {
              "code": "LV-STATE-OF-EMERGENCY", "title": "State of emergency (ārkārtējā situācija)",
              "citation": "Law on Emergency Situation and State of Exception (Latvia), Art. 9", "article": "Art. 9", "text": "[test data]",
              "jurisdiction": "LV", "decidingAuthority": "Cabinet of Ministers", "decidedBy": "MemberState", "declaresEmergency": true,
              "timeZone": "Europe/Riga",
              "counting": { "trigger": "FirstDayCountsAsDayOne", "monthEnd": "LastDayOfMonth", "nonWorkingDays": "EndsOnThatDay" },
              "holidays": "LV", "maxInitialDuration": "P90D",
              "extension": { "maxExtensions": 1, "maxExtensionLength": "P90D", "consentRequired": "Saeima resolution" },
              "totalCap": "P180D", "requiresQualifiedInstrumentalization": false, "examples": [], "notes": "added as data by a test"
            }
            """));
        File.WriteAllText(basesFile, bases.ToJsonString());
        var typesFile = Path.Combine(directory, "measure-types.json");
        var types = JsonNode.Parse(File.ReadAllText(typesFile))!;
        types["types"]!.AsArray().Add(JsonNode.Parse("""
            {
              "code": "LV-BORDER-ZONE-RESTRICTION", "toolbox": "B1", "title": "Restrictions in the border zone under the state of emergency",
              "category": "BorderManagementReinforcement",
              "classification": { "context": "Belligerent", "scope": "SpecificForInstrumentalizedMigration", "purpose": "Countervailing" },
              "legalBasis": "LV-STATE-OF-EMERGENCY", "dependsOnEmergency": "LV-STATE-OF-EMERGENCY",
              "parliamentaryConfirmation": false, "untilRepealed": false
            }
            """));
        File.WriteAllText(typesFile, types.ToJsonString());
    }

    private static LocalDate Today(string zone) =>
        SystemClock.Instance.GetCurrentInstant().InZone(DateTimeZoneProviders.Tzdb[zone]).Date;

    private static string Iso(LocalDate d) => NodaTime.Text.LocalDatePattern.Iso.Format(d);
}
