using System.CommandLine;
using CrisisOps.Auditor.Core.Integrity;
using CrisisOps.Transparency;
using Spectre.Console;

namespace CrisisOps.Auditor.Cli;

/// <summary>
/// <c>crisisops-audit verify-receipt FILE</c>: checks one decision's receipt offline, with no database (issue 11).
/// Exit code 0: every check held; 1: one failed (each is named); 2: the receipt or a key file could not be read.
/// </summary>
public static class VerifyReceiptCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("receipt") { Description = "The receipt, as JSON (GetDecisionReceipt's receipt_json; docs/transparency-log.md §7)" };
        var logKeys = new Option<FileInfo?>("--log-keys")
        {
            Description = "The services' published keys ('<verifier key> [from=…] [until=…]' per line); without it the key the receipt names is used, and the report says so",
        };
        var witnessKeys = new Option<FileInfo?>("--witness-keys") { Description = "The witnesses' verifier keys: the checkpoint must carry a valid cosignature by one of them" };
        var command = new Command("verify-receipt", "Verifies a decision receipt offline: the leaf, its decision signature, the checkpoint's signature " +
            "(and a witness's cosignature), and the inclusion proof. Exit code 0: it holds; 1: a check failed; 2: could not read it.")
        {
            file, logKeys, witnessKeys,
        };
        command.SetAction(async (result, ct) =>
        {
            DecisionReceipt receipt;
            List<PublishedKey>? keys;
            List<NoteVerifierKey>? witnesses;
            try
            {
                receipt = DecisionReceipt.Parse(await File.ReadAllTextAsync(result.GetRequiredValue(file).FullName, ct));
                keys = result.GetValue(logKeys) is { } k ? (await AuditCommand.KeyLinesAsync(k.FullName, ct)).Select(PublishedKey.Parse).ToList() : null;
                witnesses = result.GetValue(witnessKeys) is { } w
                    ? (await AuditCommand.KeyLinesAsync(w.FullName, ct)).Select(l => NoteVerifierKey.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])).ToList()
                    : null;
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]the receipt could not be verified:[/] {ex.Message}");
                return AuditCommand.CouldNotRun;
            }

            var checks = ReceiptVerifier.Verify(receipt, keys, witnesses);
            foreach (var check in checks)
            {
                if (check.Passed) AnsiConsole.MarkupLineInterpolated($"[green]holds[/]  {check.What}: {check.Detail}");
                else AnsiConsole.MarkupLineInterpolated($"[red]FAILS[/]  {check.What}: {check.Detail}");
            }

            return checks.All(c => c.Passed) ? AuditCommand.Passed : AuditCommand.ChecksFailed;
        });
        return command;
    }
}
