namespace CrisisOps.Testing;

/// <summary>Files of the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The repository's root: the first folder above the test assembly that holds CrisisOps.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path below the root, e.g. <c>deploy/db-roles.sql</c>.</summary>
    public static string File(string path) => Path.Combine(Root, path);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(directory.FullName, "CrisisOps.sln"))) return directory.FullName;
        }

        throw new DirectoryNotFoundException($"no CrisisOps.sln above {AppContext.BaseDirectory}");
    }
}
