using System.CommandLine;
using CrisisOps.Transparency.Grpc.V1;
using Grpc.Core;
using Grpc.Net.Client;
using Spectre.Console;

namespace CrisisOps.Auditor.Cli;

/// <summary>
/// <c>crisisops-audit fetch-receipt</c>: asks a service's transparency endpoint for one decision's receipt
/// (<c>GetDecisionReceipt</c>, anonymous) and saves its JSON for <c>verify-receipt</c>: what a court asks for, kept by the
/// party who asked. Exit code 0: saved; 2: the service refused or could not be reached (its status and reason printed).
/// </summary>
public static class FetchReceiptCommand
{
    public static Command Create()
    {
        var endpoint = new Option<string>("--endpoint") { Description = "The service's gRPC address (e.g. http://127.0.0.1:5101)", Required = true };
        var stream = new Option<string?>("--stream") { Description = "The decision's stream (with --stream-version)" };
        var version = new Option<long?>("--stream-version") { Description = "The decision's version in its stream (with --stream; --version is the tool's own)" };
        var sequence = new Option<long?>("--sequence") { Description = "Or the decision's position in the store" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the receipt (JSON)", Required = true };
        var command = new Command("fetch-receipt", "Fetches one decision's receipt from a service (GetDecisionReceipt) and saves it for verify-receipt.")
        {
            endpoint, stream, version, sequence, output,
        };
        command.SetAction(async (result, ct) =>
        {
            var request = new GetDecisionReceiptRequest();
            if (result.GetValue(sequence) is { } position) request.Sequence = position;
            else if (result.GetValue(stream) is { } key && result.GetValue(version) is { } v) request.StreamVersion = new StreamVersion { Stream = key, Version = v };
            else
            {
                AnsiConsole.MarkupLine("[red]fetch-receipt:[/] name the decision: --sequence, or --stream and --stream-version");
                return AuditCommand.CouldNotRun;
            }

            if (!Uri.TryCreate(result.GetRequiredValue(endpoint), UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]fetch-receipt:[/] --endpoint '{result.GetRequiredValue(endpoint)}' is not an http or https URL");
                return AuditCommand.CouldNotRun;
            }

            try
            {
                using var channel = GrpcChannel.ForAddress(address);
                var response = await new Transparency.Grpc.V1.Transparency.TransparencyClient(channel)
                    .GetDecisionReceiptAsync(request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
                await File.WriteAllTextAsync(result.GetRequiredValue(output).FullName, response.ReceiptJson, ct);
                AnsiConsole.MarkupLineInterpolated(
                    $"[green]saved[/] the receipt of {response.Stream} v{response.Version} (sequence {response.Sequence}, {(response.Cosigned ? "cosigned" : "not cosigned")}): {result.GetRequiredValue(output).FullName}");
                return AuditCommand.Passed;
            }
            catch (RpcException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]fetch-receipt:[/] {result.GetRequiredValue(endpoint)} answered {ex.StatusCode}: {ex.Status.Detail}");
                return AuditCommand.CouldNotRun;
            }
            catch (IOException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]fetch-receipt:[/] {ex.Message}");
                return AuditCommand.CouldNotRun;
            }
        });
        return command;
    }
}
