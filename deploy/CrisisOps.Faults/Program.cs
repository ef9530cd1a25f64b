using System.Diagnostics;
using CrisisOps.Faults;
using CrisisOps.Reception.Grpc.V1;
using CrisisOps.Testing;
using Grpc.Core;
using Spectre.Console;

// The fault suite (deploy/faults.sh): bounded, loopback only. Full: 2,000 decisions at 10/s (more while the faults
// last, at most 10,000), kill -9 of each service in turn, RabbitMQ stop_app/start_app, PostgreSQL stopped and started.
// --ci: 200 decisions at 3/s (at most 1,000) and the kills only (the shared PostgreSQL and RabbitMQ are left alone, so
// tests running beside it are not disturbed).
var ci = args.Contains("--ci");
var calls = Option("--calls") is { } n ? int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) : ci ? 200 : 2000;
var broker = !ci && !args.Contains("--no-broker");
var postgresFault = !ci && !args.Contains("--no-postgres");
var rate = Option("--rate") is { } r ? double.Parse(r, System.Globalization.CultureInfo.InvariantCulture) : ci ? 3 : 10;
var portBase = Option("--port-base") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 5160;
var root = Option("--root") ?? Directory.GetCurrentDirectory();
var postgres = Environment.GetEnvironmentVariable("ConnectionStrings__postgres") ?? throw new InvalidOperationException("run `eval \"$(deploy/infra.sh)\"` first");
var rabbit = Environment.GetEnvironmentVariable("ConnectionStrings__rabbitmq") ?? throw new InvalidOperationException("ConnectionStrings__rabbitmq is not set");
var run = Guid.NewGuid().ToString("N")[..8];
var logs = Directory.CreateDirectory(Path.Combine(root, "deploy", ".local", "faults", run)).FullName;
var clock = Stopwatch.StartNew();
using var tokens = new Tokens();
var stores = new[] { "declaration", "measures", "reception", "humanitarian", "leverages" };
var schemas = stores.ToDictionary(s => s, s => $"faults_{run}_{s}");

var services = new List<ServiceProcess>();
string Assembly(string service) => Path.Combine(root, "services", Capital(service), $"CrisisOps.{Capital(service)}", "bin", "Release", "net10.0", $"CrisisOps.{Capital(service)}.dll");
foreach (var (name, i) in stores.Append("auditor").Select((s, i) => (s, i)))
{
    var environment = new Dictionary<string, string>
    {
        ["ConnectionStrings__postgres"] = postgres,
        ["ConnectionStrings__rabbitmq"] = rabbit,
        ["Auth__SigningKeyFile"] = tokens.PublicKeyFile,
        ["Kestrel__EndpointDefaults__Protocols"] = "Http2",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["Messaging__EndpointPrefix"] = $"faults-{run}-{name}",
        ["Messaging__TopologyPrefix"] = $"faults-{run}",
        ["Messaging__QueueExpiry"] = "00:10:00",
        ["Logging__LogLevel__Default"] = "Warning",
    };
    if (name == "auditor")
    {
        foreach (var (schema, k) in schemas.Values.Select((s, k) => (s, k))) environment[$"Audit__Schemas__{k}"] = schema;
    }
    else
    {
        environment["EventStore__Schema"] = schemas[name];
    }

    services.Add(new ServiceProcess(name, Assembly(name), portBase + i, environment, Path.Combine(logs, $"{name}.log")));
}

var exit = 1;
try
{
    Say($"run {run}: {calls} decisions or more (at {rate}/s while the faults last, at most {5 * calls}); faults: kill -9 of each service{(broker ? ", RabbitMQ stop_app/start_app" : "")}{(postgresFault ? ", PostgreSQL stop/start" : "")}; logs in {logs}");
    foreach (var s in services) await s.StartAsync(TimeSpan.FromSeconds(180));
    Say($"six services listening on 127.0.0.1:{portBase}-{portBase + 5} ({clock.Elapsed.TotalSeconds:F0} s)");
    var declaration = services[0];
    var reception = services[2];
    var ministry = tokens.Ministry("PL", "faults-duty-officer");
    var facilities = await RegisterFacilitiesAsync(reception, ministry, run);
    var load = new Load(declaration, reception, ministry, facilities) { Rate = rate };

    // The faults, each when its share of the load is done: every service killed in turn, then the broker, then the database.
    var plan = new List<(double At, string Label, Func<Task> Fault)>();
    foreach (var (s, i) in services.Select((s, i) => (s, i)))
        plan.Add((0.08 + (0.08 * i), $"kill -9 {s.Name}", async () => await KillAndRestartAsync(s)));
    if (broker) plan.Add((0.6, "RabbitMQ stopped 15 s", () => OutageAsync("rabbitmqctl", ["stop_app"], ["start_app"], TimeSpan.FromSeconds(15))));
    if (postgresFault) plan.Add((0.75, "PostgreSQL stopped 20 s", () => OutageAsync("pg_ctlcluster", ["15", "main", "stop", "-m", "fast"], ["15", "main", "start"], TimeSpan.FromSeconds(20))));
    var faults = Task.Run(async () =>
    {
        foreach (var (at, label, fault) in plan)
        {
            while (load.Completed < at * calls) await Task.Delay(20);
            load.Phase = label;
            Say($"{label} at decision {load.Completed} ({clock.Elapsed.TotalSeconds:F0} s)");
            await fault();
            load.Phase = "steady";
        }
    });
    await Task.WhenAll(load.RunAsync(calls, callers: 8, faults), faults);
    var decisions = load.Decisions.ToList();

    // Every call that did not get OK is sent again with its request id until it does (a restarted service, a broker back).
    load.Phase = "retry";
    for (var round = 0; round < 10 && decisions.Any(d => !d.Ok); round++)
    {
        foreach (var d in decisions.Where(d => !d.Ok)) await load.SendAsync(d);
        if (decisions.Any(d => !d.Ok)) await Task.Delay(2_000);
    }

    Say($"load done: {decisions.Count(d => d.Answers[0].Status == StatusCode.OK)} OK first time, {decisions.Count(d => d.Answers.Count > 1)} retried ({clock.Elapsed.TotalSeconds:F0} s); verifying");
    var checks = await new Verification(postgres, schemas, tokens.Coordinator(), rabbit, $"faults-{run}-reception-area-strain")
        .RunAsync(decisions, declaration, reception);
    checks.Add(Statuses(decisions, StatusCode.Unknown, "answers UNKNOWN", fromServerOnly: false));
    checks.Add(Statuses(decisions, StatusCode.Internal, "answers INTERNAL from a service", fromServerOnly: true));
    checks.Add(new Check("load", "decisions never OK'd after 10 retries", 0, decisions.Count(d => !d.Ok), decisions.Count(d => !d.Ok)));
    Print(decisions, checks);
    exit = checks.All(c => c.Passed) ? 0 : 1;
    Say(exit == 0 ? $"nothing lost ({clock.Elapsed.TotalSeconds:F0} s)" : "LOST: see the rows marked above");
}
catch (Exception ex)
{
    AnsiConsole.MarkupLine($"[red]the fault suite could not run:[/] {Markup.Escape(ex.Message)}");
    exit = 2;
}
finally
{
    // Whatever happened, the shared servers are left running and the services stopped.
    if (broker) await Exec("rabbitmqctl", ["start_app"]);
    if (postgresFault) await Exec("pg_ctlcluster", ["15", "main", "start"]);
    foreach (var s in services) s.Dispose();
}

return exit;

string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

static string Capital(string s) => char.ToUpperInvariant(s[0]) + s[1..];

static void Say(string line) => AnsiConsole.MarkupLine($"[grey]faults:[/] {Markup.Escape(line)}");

static async Task KillAndRestartAsync(ServiceProcess s)
{
    var pid = s.Pid;
    s.KillHard();
    Say($"  {s.Name} (pid {pid}) killed; restarting");
    var started = Stopwatch.StartNew();
    await s.StartAsync(TimeSpan.FromSeconds(180));
    Say($"  {s.Name} listening again after {started.Elapsed.TotalSeconds:F1} s (pid {s.Pid})");
}

static async Task OutageAsync(string command, string[] stop, string[] start, TimeSpan outage)
{
    if (await Exec(command, stop) != 0) throw new InvalidOperationException($"{command} {string.Join(' ', stop)} failed");
    await Task.Delay(outage);
    if (await Exec(command, start) != 0) throw new InvalidOperationException($"{command} {string.Join(' ', start)} failed");
    Say($"  {command} {string.Join(' ', start)} done");
}

static async Task<int> Exec(string command, string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    await process.WaitForExitAsync();
    return process.ExitCode;
}

static async Task<List<string>> RegisterFacilitiesAsync(ServiceProcess reception, string token, string run)
{
    var client = new ReceptionCapacity.ReceptionCapacityClient(reception.Channel);
    var ids = new List<string>();
    for (var i = 0; i < 3; i++)
    {
        var result = await client.RegisterFacilityAsync(new RegisterFacilityRequest
        {
            RequestId = $"faults-{run}-facility-{i}",
            Name = $"Fault suite centre {i}",
            Kind = FacilityKind.ReceptionCentre,
            Country = "PL",
            Region = "PL-PD",
            Capacity = new Places { General = 100_000 },
            Status = FacilityStatus.Open,
            Justification = "fault suite: capacity that never fills",
        }, new CallOptions(new Metadata { { "authorization", $"Bearer {token}" } }));
        ids.Add(result.Id);
    }

    return ids;
}

static Check Statuses(List<Decision> decisions, StatusCode code, string what, bool fromServerOnly)
{
    var count = decisions.SelectMany(d => d.Answers).Count(a => a.Status == code && (!fromServerOnly || a.FromServer));
    return new Check("load", what, 0, count, count);
}

static void Print(List<Decision> decisions, List<Check> checks)
{
    var answers = new Table().Title("answers by phase").AddColumns("phase", "status", "answers");
    foreach (var g in decisions.SelectMany(d => d.Answers).GroupBy(a => (a.Phase, a.Status)).OrderBy(g => g.Key.Phase).ThenBy(g => g.Key.Status))
        answers.AddRow(Markup.Escape(g.Key.Phase), g.Key.Status.ToString(), g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture));
    AnsiConsole.Write(answers);
    var table = new Table().Title("nothing lost?").AddColumns("service", "check", "expected", "found", "lost");
    foreach (var c in checks)
        table.AddRow(Markup.Escape(c.Service), Markup.Escape(c.What), $"{c.Expected}", $"{c.Found}", c.Passed ? "[green]0[/]" : $"[red]{c.Lost}[/]");
    AnsiConsole.Write(table);
}
