namespace EvalKit.Packaging.Tests;

/// <summary>Which projects of the solution pack: the three libraries, and no test, sample or benchmark project.</summary>
public sealed class ProjectPackabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("evalkit-packable-").FullName;

    [Fact]
    public async Task Solution_OnlyTheShippedLibrariesArePackable()
    {
        var root = PackageFeedFixture.FindRepositoryRoot();
        // A target imported into every project of the solution (CustomAfterMicrosoftCommonTargets) writes the evaluated
        // IsPackable of each; nothing is restored or built.
        var targets = Path.Combine(_directory, "report.targets");
        var report = Path.Combine(_directory, "packable.txt");
        await File.WriteAllTextAsync(targets, """
            <Project>
              <Target Name="EvalKitReportPackable">
                <WriteLinesToFile File="$(EvalKitPackableReport)" Lines="$(MSBuildProjectName)|$(IsPackable)" />
              </Target>
            </Project>
            """, TestContext.Current.CancellationToken);

        var result = await ChildProcess.RunDotnetAsync(
            root,
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string?>(),
            ["msbuild", Path.Combine(root, "EvalKit.sln"), "-t:EvalKitReportPackable", $"-p:CustomAfterMicrosoftCommonTargets={targets}", $"-p:EvalKitPackableReport={report}", "-m:1", "-nodeReuse:false", "-v:minimal"],
            TestContext.Current.CancellationToken);
        result.EnsureSuccess();

        var projects = (await File.ReadAllLinesAsync(report, TestContext.Current.CancellationToken))
            .Select(l => l.Split('|'))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        projects.Keys.Should().Contain(["EvalKit.Tests", "EvalKit.Packaging.Tests", "EvalKit.Samples.QuickStart", "EvalKit.Benchmarks"], "the report covers the whole solution");
        projects.Where(p => p.Value == "true").Select(p => p.Key).Should().BeEquivalentTo(PackageFeedFixture.PackageIds);
        projects.Where(p => p.Value != "true").Should().OnlyContain(p => p.Value == "false", "every other project says IsPackable=false");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
