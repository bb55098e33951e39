using System.Reflection;
using System.Text.Json;

namespace EvalKit.Packaging.Tests;

/// <summary>
/// Packs the three shipped projects once for every test in the "Packages" collection: a child <c>dotnet pack</c>,
/// Release, with <c>CI=true</c> (so the build is the continuous-integration one), into a folder feed in a temporary
/// folder, with artifacts of its own there so that it never touches the running build's output.
/// </summary>
public sealed class PackageFeedFixture : IAsyncLifetime
{
    /// <summary>The shipped packages, in dependency order.</summary>
    public static readonly IReadOnlyList<string> PackageIds = ["EvalKit", "EvalKit.Storage.Sqlite", "EvalKit.Storage.Postgres"];

    private static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(8);

    /// <summary>Gets the temporary folder that holds the feed, the pack's artifacts and the consumer projects.</summary>
    public string WorkDirectory { get; } = Directory.CreateTempSubdirectory("evalkit-packaging-").FullName;

    /// <summary>Gets the folder feed the packages were packed into.</summary>
    public string FeedDirectory => Path.Combine(WorkDirectory, "feed");

    /// <summary>Gets the repository the packages are packed from.</summary>
    public string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Gets the package version that Directory.Build.props gives (read from this test project's own build).</summary>
    public string PackageVersion { get; } = Metadata("EvalKit.PackageVersion");

    /// <summary>Gets the canonical repository URL from Directory.Build.props.</summary>
    public string RepositoryUrl { get; } = Metadata("EvalKit.RepositoryUrl");

    /// <summary>Gets the license expression from Directory.Build.props.</summary>
    public string LicenseExpression { get; } = Metadata("EvalKit.PackageLicenseExpression");

    /// <summary>Gets the authors from Directory.Build.props.</summary>
    public string Authors { get; } = Metadata("EvalKit.Authors");

    /// <summary>Gets what the pack commands printed.</summary>
    public string PackOutput { get; private set; } = "";

    /// <summary>The path of a package in the feed.</summary>
    public string PackagePath(string id, string extension = ".nupkg") => Path.Combine(FeedDirectory, $"{id}.{PackageVersion}{extension}");

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(FeedDirectory);

        // One `dotnet pack` of a solution filter that names the three projects: one restore and one build of each.
        var filter = Path.Combine(WorkDirectory, "packages.slnf");
        var projects = string.Join(",\n      ", PackageIds.Select(id => JsonSerializer.Serialize($"src/{id}/{id}.csproj")));
        await File.WriteAllTextAsync(filter, $$"""
            {
              "solution": {
                "path": {{JsonSerializer.Serialize(Path.Combine(RepositoryRoot, "EvalKit.sln"))}},
                "projects": [
                  {{projects}}
                ]
              }
            }
            """);

        // CI=true: the continuous-integration build (Directory.Build.props turns on ContinuousIntegrationBuild).
        // RunAnalyzers=false: the analyzers change no output byte and the solution's own build runs them; this halves the time.
        // From the repository root, so that its global.json picks the SDK.
        var result = await ChildProcess.RunDotnetAsync(
            RepositoryRoot,
            PackTimeout,
            new Dictionary<string, string?> { ["CI"] = "true" },
            ["pack", filter, "-c", "Release", "-o", FeedDirectory, "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"), "-m:1", "-nodeReuse:false", "-v:minimal", "-p:RunAnalyzers=false"],
            TestContext.Current.CancellationToken);
        PackOutput = result.Output;
        result.EnsureSuccess();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open (a SQLite file of a consumer that failed) must not hide the test's own failure.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A value this project's build recorded from the repository's build files.</summary>
    internal static string Metadata(string key) =>
        typeof(PackageFeedFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The assembly metadata '{key}' is missing from {typeof(PackageFeedFixture).Assembly.GetName().Name}; see its csproj.");

    /// <summary>The folder this test project was built from (two levels up), else the nearest folder above the test's output that holds EvalKit.sln.</summary>
    internal static string FindRepositoryRoot()
    {
        var built = Metadata("EvalKit.RepositoryRoot");
        if (File.Exists(Path.Combine(built, "EvalKit.sln")))
        {
            return Path.TrimEndingDirectorySeparator(built);
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EvalKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"EvalKit.sln was found neither in '{built}' nor above '{AppContext.BaseDirectory}'.");
    }
}

/// <summary>The tests that share one packed feed.</summary>
[CollectionDefinition("Packages")]
public sealed class PackagesCollection : ICollectionFixture<PackageFeedFixture>
{
}
