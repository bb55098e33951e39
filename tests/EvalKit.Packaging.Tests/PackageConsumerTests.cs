using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;

namespace EvalKit.Packaging.Tests;

/// <summary>
/// A console program in a throwaway project references EvalKit and EvalKit.Storage.Sqlite by version from the folder
/// feed (nothing from the repository's projects), evaluates a fake model on a SQLite file and prints the summary.
/// </summary>
[Collection("Packages")]
public sealed class PackageConsumerTests(PackageFeedFixture feed)
{
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task ConsoleProgram_ReferencingThePackagesByVersion_EvaluatesOnSqlite_AndPrintsTheSummary()
    {
        var ct = TestContext.Current.CancellationToken;
        var project = Directory.CreateDirectory(Path.Combine(feed.WorkDirectory, "consumer")).FullName;
        var packages = Path.Combine(feed.WorkDirectory, "consumer-packages");
        WriteConsumerProject(project, packages);
        var database = Path.Combine(project, "evalkit.db");
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = null };

        var restore = await ChildProcess.RunDotnetAsync(project, RestoreTimeout, environment, ["restore", "--ignore-failed-sources", "-nodeReuse:false"], ct);
        restore.EnsureSuccess();
        var run = await ChildProcess.RunDotnetAsync(project, RunTimeout, environment, ["run", "--no-restore", "-c", "Release", "--", database], ct);
        TestContext.Current.TestOutputHelper?.WriteLine(run.Output);
        run.EnsureSuccess();

        // The packages came from the feed: restored by version, with the very bytes that were packed.
        var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(project, "obj", "project.assets.json"), ct)).RootElement;
        foreach (var id in new[] { "EvalKit", "EvalKit.Storage.Sqlite" })
        {
            var library = assets.GetProperty("libraries").GetProperty($"{id}/{feed.PackageVersion}");
            library.GetProperty("type").GetString().Should().Be("package", "{0} is referenced as a package, not a project", id);
            var folder = Path.Combine(packages, id.ToLowerInvariant(), feed.PackageVersion.ToLowerInvariant());
            var source = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, ".nupkg.metadata"), ct)).RootElement.GetProperty("source").GetString();
            Path.TrimEndingDirectorySeparator(source!).Should().Be(feed.FeedDirectory, "{0} should be restored from the local feed", id);
            Sha256(Path.Combine(folder, $"{id}.{feed.PackageVersion}.nupkg".ToLowerInvariant())).Should().Be(Sha256(feed.PackagePath(id)));
        }

        assets.GetProperty("libraries").EnumerateObject().Should().NotContain(l => l.Name.StartsWith("EvalKit.Storage.Postgres/", StringComparison.Ordinal));

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().ContainInOrder(
            [
                $"dataset arithmetic@1: 3 cases",
                "run Completed: 3 of 3 succeeded, 0 failed",
                "exact_match 0.6667 (n = 3)",
                "stored 3 results of a Completed run",
            ],
            run.Output);
        lines.Should().Contain(l => l.StartsWith($"EvalKit {feed.PackageVersion}+", StringComparison.Ordinal), "the program ran on the packed EvalKit; it printed:\n{0}", run.Output);
        lines.Should().Contain(l => l.StartsWith($"EvalKit.Storage.Sqlite {feed.PackageVersion}+", StringComparison.Ordinal), run.Output);
        new FileInfo(database).Length.Should().BeGreaterThan(0, "the run was stored in the SQLite file");
    }

    /// <summary>
    /// Writes the consumer: its own nuget.config (the local feed for EvalKit packages; this machine's package cache and
    /// nuget.org for everything else; a global packages folder of its own, so that no package of the same version
    /// extracted earlier can stand in for the one just packed) and empty Directory.* files that stop MSBuild from
    /// reading any build file above the temporary folder.
    /// </summary>
    private void WriteConsumerProject(string project, string packages)
    {
        var sources = new List<(string Key, string Value, string[] Patterns)>
        {
            ("evalkit-local", feed.FeedDirectory, ["EvalKit", "EvalKit.*"]),
        };
        if (MachinePackageCache() is { } cache && Directory.Exists(cache))
        {
            sources.Add(("machine-cache", cache, ["*"]));
        }

        sources.Add(("nuget.org", "https://api.nuget.org/v3/index.json", ["*"]));

        var config = new XDocument(
            new XElement("configuration",
                new XElement("config", new XElement("add", new XAttribute("key", "globalPackagesFolder"), new XAttribute("value", packages))),
                new XElement("packageSources",
                    new XElement("clear"),
                    sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))),
                new XElement("packageSourceMapping",
                    new XElement("clear"),
                    sources.Select(s => new XElement("packageSource", new XAttribute("key", s.Key), s.Patterns.Select(p => new XElement("package", new XAttribute("pattern", p))))))));
        config.Save(Path.Combine(project, "nuget.config"));

        File.WriteAllText(Path.Combine(project, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Directory.Packages.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(project, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- An unreachable source (restore ignores it) or audit data that cannot be read is no error here. -->
                <WarningsNotAsErrors>NU1801;NU1900</WarningsNotAsErrors>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="EvalKit" Version="{feed.PackageVersion}" />
                <PackageReference Include="EvalKit.Storage.Sqlite" Version="{feed.PackageVersion}" />
              </ItemGroup>
            </Project>
            """);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Consumer", "Program.cs"), Path.Combine(project, "Program.cs"));
    }

    /// <summary>The global packages folder this machine's builds use (NUGET_PACKAGES, else ~/.nuget/packages).</summary>
    private static string? MachinePackageCache() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".nuget", "packages") : null;

    private static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}
