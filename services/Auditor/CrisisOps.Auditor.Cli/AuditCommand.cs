using System.CommandLine;
using System.Globalization;
using CrisisOps.Auditor.Core;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Auditor.Core.Replay;
using CrisisOps.Auditor.Core.Reporting;
using CrisisOps.Transparency;
using Npgsql;
using Spectre.Console;

namespace CrisisOps.Auditor.Cli;

/// <summary><c>crisisops-audit</c>: replays the stores, runs every check, reports, and fails when a check fails.</summary>
public static class AuditCommand
{
    /// <summary>Every check passed.</summary>
    public const int Passed = 0;

    /// <summary>At least one check failed: a time limit, a safeguard, a decision's metadata, or a hash chain.</summary>
    public const int ChecksFailed = 1;

    /// <summary>The audit could not run (arguments, database, catalogues).</summary>
    public const int CouldNotRun = 2;

    public static RootCommand Create()
    {
        var connection = new Option<string>("--connection")
        {
            Description = "PostgreSQL connection string of a role that may read the stores (deploy/infra.sh exports CRISISOPS_PG_AUDITOR)",
            Required = true,
        };
        var schemas = new Option<string[]>("--schema")
        {
            Description = "A store (schema) to audit; repeat it for several. Default: every schema that holds a Marten event store",
            AllowMultipleArgumentsPerToken = true,
        };
        var crisis = new Option<string?>("--crisis") { Description = "Report one crisis only, with the emergencies, measures and leverages that answer it" };
        var country = new Option<string?>("--country") { Description = "Report one country only (ISO 3166-1 alpha-2)" };
        var from = new Option<string?>("--from") { Description = "Report what was in force or decided from this date (yyyy-MM-dd, UTC) or moment (ISO 8601)" };
        var to = new Option<string?>("--to") { Description = "… up to the end of this date, or this moment" };
        var asOf = new Option<string?>("--as-of")
        {
            Description = "The audit's reference moment: what was still in force then and which legal ends had passed (default: now)",
        };
        var tolerance = new Option<double>("--tolerance-minutes")
        {
            Description = "How long after a legal end its recording still counts as on time",
            DefaultValueFactory = _ => AuditOptions.DefaultTolerance.TotalMinutes,
        };
        var json = new Option<FileInfo?>("--json") { Description = "Write the report as JSON to this file" };
        var html = new Option<FileInfo?>("--html") { Description = "Write the HTML report (a timeline per crisis, each item against its legal limit) to this file" };

        var checkpoints = new Option<DirectoryInfo?>("--checkpoints")
        {
            Description = "A directory of checkpoints kept outside the database (the services' checkpoint directories, copied): every store must be a " +
                "consistent extension of each, recomputed from its rows; a rewritten, deleted, reordered or inserted event is named",
        };
        var logKeys = new Option<FileInfo?>("--log-keys")
        {
            Description = "A file of the services' published keys, one per line: '<verifier key> [from=<ISO 8601>] [until=<ISO 8601>]'. A kept " +
                "checkpoint none of them signed is refused, and every event's decision signature is verified (integrity.unsigned, bad-signature, key-not-valid)",
        };
        var witness = new Option<string?>("--witness")
        {
            Description = "A witness: its URL (crisisops-witness run --listen; its cosigned checkpoints and refusals are fetched over HTTP, and a " +
                "witness that cannot be reached is an error) or its published directory (crisisops-witness --state, copied). Every store must " +
                "extend each checkpoint it cosigned, and every checkpoint it refused (split view, rewrite, rollback) is an error. Needs --witness-keys",
        };
        var witnessKeys = new Option<FileInfo?>("--witness-keys")
        {
            Description = "The witnesses' verifier keys (crisisops-witness keygen prints one), one per line: a cosigned checkpoint counts only with a valid cosignature by one of them",
        };

        var command = new RootCommand(
            "crisisops-audit: replays the event stores of the CrisisOps services and proves that no emergency, measure or leverage outlived " +
            "its legal limits, that every extension and expiry was lawful and on time, that measures specific to instrumentalized migration " +
            "were backed by a qualifying crisis, that every decision names its actor, basis and justification, and that no stored event was " +
            "altered, deleted, inserted or reordered. Exit code 0: every check passed; 1: a check failed; 2: the audit could not run.")
        {
            connection, schemas, crisis, country, from, to, asOf, tolerance, json, html, checkpoints, logKeys, witness, witnessKeys,
            VerifyReceiptCommand.Create(),
            FetchReceiptCommand.Create(),
        };
        command.SetAction(async (result, ct) =>
        {
            try
            {
                var options = new AuditOptions(
                    Moment(result.GetValue(asOf), "--as-of", endOfDay: false) ?? TimeProvider.System.GetUtcNow(),
                    TimeSpan.FromMinutes(result.GetValue(tolerance)),
                    result.GetValue(crisis),
                    result.GetValue(country)?.ToUpperInvariant(),
                    Moment(result.GetValue(from), "--from", endOfDay: false),
                    Moment(result.GetValue(to), "--to", endOfDay: true));
                var report = await RunAsync(result.GetRequiredValue(connection), result.GetValue(schemas) ?? [], options, ct);
                if (result.GetValue(checkpoints) is not null || result.GetValue(witness) is not null)
                    report = await WithCheckpointsAsync(report, result.GetRequiredValue(connection), new KeptCheckpoints(result.GetValue(checkpoints)?.FullName,
                        result.GetValue(logKeys)?.FullName, result.GetValue(witness), result.GetValue(witnessKeys)?.FullName), ct);
                TerminalReport.Write(report);
                if (result.GetValue(json) is { } jsonFile)
                {
                    await File.WriteAllTextAsync(jsonFile.FullName, AuditJson.Serialize(report), ct);
                    AnsiConsole.MarkupLineInterpolated($"[grey]JSON report:[/] {jsonFile.FullName}");
                }

                if (result.GetValue(html) is { } htmlFile)
                {
                    await File.WriteAllTextAsync(htmlFile.FullName, HtmlReport.Render(report), ct);
                    AnsiConsole.MarkupLineInterpolated($"[grey]HTML report:[/] {htmlFile.FullName}");
                }

                return report.Passed ? Passed : ChecksFailed;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or NpgsqlException or InvalidDataException or IOException
                or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]the audit could not run:[/] {ex.Message}");
                return CouldNotRun;
            }
        });
        return command;
    }

    private static async Task<AuditReport> RunAsync(string connection, string[] schemas, AuditOptions options,
        CancellationToken ct)
    {
        var stores = await AuditRunner.StoresAsync(connection, schemas, ct);
        if (stores.Count == 0) throw new ArgumentException("the database holds no event store");
        if (!AnsiConsole.Profile.Capabilities.Interactive)
            return await AuditRunner.RunAsync(connection, stores, options, null, TimeProvider.System, ct);

        var total = await AuditRunner.CountAsync(connection, stores.Select(s => s.Schema), ct);
        return await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"replaying {total:N0} events from {stores.Count} store(s)", maxValue: Math.Max(total, 1));
                var progress = new Progress<long>(done => task.Value = done);
                var report = await AuditRunner.RunAsync(connection, stores, options, progress, TimeProvider.System, ct);
                task.Value = task.MaxValue;
                return report;
            });
    }

    /// <summary>Where the checkpoints kept outside the database are, and the keys to check them with (issue 11).</summary>
    /// <param name="Directory">The auditor's own copy of the services' checkpoints, or null.</param>
    /// <param name="LogKeysFile">The services' published keys, or null.</param>
    /// <param name="Witness">A witness's URL or published directory, or null.</param>
    /// <param name="WitnessKeysFile">The witnesses' verifier keys; required with <paramref name="Witness"/>.</param>
    public sealed record KeptCheckpoints(string? Directory, string? LogKeysFile, string? Witness, string? WitnessKeysFile);

    /// <summary>The report with what checking every store against the kept and the cosigned checkpoints found (issue 11).</summary>
    public static async Task<AuditReport> WithCheckpointsAsync(AuditReport report, string connection, KeptCheckpoints sources, CancellationToken ct)
    {
        var keys = sources.LogKeysFile is null ? null : (await KeyLinesAsync(sources.LogKeysFile, ct)).Select(PublishedKey.Parse).ToList();
        var logKeys = keys?.Select(k => k.Key).ToList();
        var kept = sources.Directory is null ? [] : LogAuditRunner.ReadCheckpoints(sources.Directory, logKeys).ToList();
        var refusals = new List<Finding>();
        if (sources.Witness is not null)
        {
            if (sources.WitnessKeysFile is null) throw new ArgumentException("--witness needs --witness-keys: a cosignature is worth only the key it is checked with");
            var witnessKeys = (await KeyLinesAsync(sources.WitnessKeysFile, ct)).Select(l => NoteVerifierKey.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])).ToList();
            var (cosigned, refused) = WitnessFetch.IsUrl(sources.Witness)
                ? await FetchedAsync(new Uri(sources.Witness), witnessKeys, logKeys, ct)
                : WitnessReader.Read(sources.Witness, witnessKeys, logKeys);
            kept.AddRange(cosigned);
            refusals.AddRange(refused);
        }

        var findings = await LogAuditRunner.RunAsync(connection, report.Stores.Select(s => s.Schema), kept, keys, ct);
        var stores = report.Stores.Select(s => s.Schema).ToHashSet(StringComparer.Ordinal);
        return report with { Findings = [.. report.Findings, .. refusals.Where(r => stores.Contains(r.Store)), .. findings] };
    }

    /// <summary>What the witness at <paramref name="url"/> serves, checked as its directory would be.</summary>
    private static async Task<(IReadOnlyList<KeptCheckpoint>, IReadOnlyList<Finding>)> FetchedAsync(Uri url, List<NoteVerifierKey> witnessKeys,
        List<NoteVerifierKey>? logKeys, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var (cosigned, refused) = await WitnessFetch.FetchAsync(url, http, ct);
        return WitnessReader.Check(cosigned, refused, witnessKeys, logKeys);
    }

    internal static async Task<IEnumerable<string>> KeyLinesAsync(string file, CancellationToken ct) =>
        (await File.ReadAllLinesAsync(file, ct)).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'));

    /// <summary>A date (the start of that day, or its end) or a moment, in UTC unless an offset is given.</summary>
    private static DateTimeOffset? Moment(string? value, string option, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddTicks(-1) : start;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment)
            ? moment
            : throw new FormatException($"{option}: '{value}' is neither a date (yyyy-MM-dd) nor a moment (ISO 8601)");
    }
}
