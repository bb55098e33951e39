namespace EvalKit.Tests.Scoring;

/// <summary>Finds the test data files of tests/EvalKit.Tests/Scoring/Data, in the output folder or in the source tree.</summary>
internal static class TestData
{
    private const string SourceFolder = "tests/EvalKit.Tests/Scoring/Data";

    /// <summary>The full path of the data file <paramref name="name"/>.</summary>
    /// <exception cref="FileNotFoundException">The file is neither copied next to the binaries nor in an ancestor's source tree.</exception>
    public static string Path(string name)
    {
        var copied = System.IO.Path.Combine(AppContext.BaseDirectory, "Scoring", "Data", name);
        if (File.Exists(copied))
        {
            return copied;
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, SourceFolder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"Test data file {name} not found next to the binaries or under {SourceFolder} in an ancestor of {AppContext.BaseDirectory}.");
    }
}
