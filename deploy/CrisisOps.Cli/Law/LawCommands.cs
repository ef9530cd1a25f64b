using System.CommandLine;
using CrisisOps.Legal.Law;
using Spectre.Console;

namespace CrisisOps.Cli.Law;

/// <summary><c>crisisops law page</c>: the legal catalogue as one HTML page for counsel's review.</summary>
public static class LawCommands
{
    public static Command Create() =>
        new("law", "The law as data (law/): legal bases, holidays, measure and leverage types.")
        {
            Page(),
        };

    private static Command Page()
    {
        var output = new Option<FileInfo>("--out") { Description = "The HTML file to write (its folder is created if missing)", Required = true };
        var law = new Option<DirectoryInfo?>("--law")
        {
            Description = "The law folder (default: law/ in the current folder or the nearest folder above it that has one)",
        };
        var command = new Command("page",
            "Writes the legal catalogue as one self-contained HTML page: every basis beside its text, with its limits, counting rule, " +
            "review and worked examples, then the measure and leverage types with their bases, and the catalogue version (content hash).")
        {
            output,
            law,
        };
        command.SetAction(result => CliErrors.Run(() =>
        {
            var folder = LawFolder.Resolve(result.GetValue(law), Environment.CurrentDirectory);
            var catalogue = LawFolder.Load(folder);
            var file = result.GetRequiredValue(output);
            file.Directory?.Create();
            File.WriteAllText(file.FullName, LegalCataloguePage.Render(catalogue));
            AnsiConsole.MarkupLineInterpolated(
                $"[green]wrote[/] {file.FullName}: {catalogue.Bases.Count} legal bases, {catalogue.MeasureTypes.Count} measure types, {catalogue.LeverageTypes.Count} leverage types, version {catalogue.Version}");
        }));
        return command;
    }
}
