namespace CrisisOps.Cli;

/// <summary>A refusal the user can act on: printed as one line on standard error, exit code 1, no stack trace.</summary>
public sealed class CliException(string message) : Exception(message);

/// <summary>Runs a command body and turns <see cref="CliException"/> into its message and exit code 1.</summary>
public static class CliErrors
{
    public const int Failure = 1;

    public static int Run(Action body)
    {
        try
        {
            body();
            return 0;
        }
        catch (CliException ex)
        {
            return Report(ex);
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (CliException ex)
        {
            return Report(ex);
        }
    }

    private static int Report(CliException ex)
    {
        Console.Error.WriteLine($"crisisops: {ex.Message}");
        return Failure;
    }
}
