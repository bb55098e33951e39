using System.Text.Json;

namespace EvalKit.Tests.Scoring;

/// <summary>
/// Loads the upstream unit-test cases (shared/reference/upstream_cases.json). The file lives beside the
/// repository, so it is found by walking up from the test binaries: every ancestor directory is tried
/// for shared/reference/upstream_cases.json, which also covers a sibling "shared" of any ancestor.
/// </summary>
internal static class UpstreamCases
{
    private const string RelativePath = "shared/reference/upstream_cases.json";

    private static readonly Lazy<JsonElement[]> AllCases = new(Load);

    /// <summary>The cases whose "metric" is <paramref name="metric"/>, in file order.</summary>
    public static IReadOnlyList<JsonElement> For(string metric) =>
        AllCases.Value.Where(c => c.GetProperty("metric").GetString() == metric).ToArray();

    /// <summary>Theory data: the index of each case of <paramref name="metric"/> and a readable label.</summary>
    public static TheoryData<int, string> Indexes(string metric)
    {
        var data = new TheoryData<int, string>();
        var cases = For(metric);
        for (var i = 0; i < cases.Count; i++)
        {
            var source = cases[i].GetProperty("source");
            data.Add(i, $"{source.GetProperty("test").GetString()} #{i}");
        }

        return data;
    }

    /// <summary>The full path of the cases file.</summary>
    /// <exception cref="FileNotFoundException">No ancestor of the test binaries has the file.</exception>
    public static string FindFile()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"Could not find {RelativePath} in any ancestor of {AppContext.BaseDirectory} (the shared folder sits next to the repository).");
    }

    private static JsonElement[] Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FindFile()));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }
}
