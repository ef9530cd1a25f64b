extern alias cli;
using cli::CrisisOps.Cli.Demo;
using cli::CrisisOps.Common.Grpc.V1;
using cli::CrisisOps.Declaration.Grpc.V1;
using Spectre.Console;
using Xunit;

namespace CrisisOps.Deployment.Tests;

/// <summary>The demo's output in a log or a pipe: the same facts, one line per row, without box drawing.</summary>
public sealed class DemoOutputTests : IDisposable
{
    private readonly IAnsiConsole _terminal = AnsiConsole.Console;
    private readonly StringWriter _output = new();

    public DemoOutputTests()
    {
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(_output),
        });
    }

    [Fact]
    public void Redirected_the_tables_print_one_line_per_row_without_box_drawing()
    {
        DemoView.PlainTables = true;
        DemoView.Result(new CommandResult { Id = "crisis-0193", Version = 3 });
        var bases = new ListLegalBasesResponse { CatalogueVersion = "2026-11" };
        bases.Bases.Add(new LegalBasis { Code = "PL-CONST-230", Jurisdiction = "PL", MaxInitialDuration = "P90D", MaxExtensions = 1, MaxExtensionLength = "P60D", TotalCap = "P150D" });
        bases.Bases.Add(new LegalBasis { Code = "EU-CFMR", Jurisdiction = "EU", MaxInitialDuration = "P12M", MaxExtensions = 1, MaxExtensionLength = "P12M", TotalCap = "P24M", ConsentRequired = "Council" });
        DemoView.LegalBases(bases);

        var lines = _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal(
            [
                "  id: crisis-0193", "  version: 3", "  replayed: no",
                "legal catalogue 2026-11", "  code | limits | an extension needs",
                "  PL-CONST-230 | PL: P90D, then 1 x P60D, at most P150D | -",
                "  EU-CFMR | EU: P12M, then 1 x P12M, at most P24M | Council",
            ],
            lines);
        Assert.DoesNotContain(lines, l => l.IndexOfAny(['─', '│', '╭', '┌', '━']) >= 0);
    }

    [Fact]
    public void On_a_terminal_the_same_tables_are_boxed()
    {
        DemoView.PlainTables = false;
        DemoView.Result(new CommandResult { Id = "crisis-0193", Version = 3 });

        Assert.Contains('╭', _output.ToString());
        Assert.Contains("crisis-0193", _output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        DemoView.PlainTables = false;
        AnsiConsole.Console = _terminal;
        _output.Dispose();
    }
}
