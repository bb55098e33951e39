using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EvalKit.Packaging.Tests;

/// <summary>What each shipped package holds: metadata, README, XML docs, symbols and SourceLink.</summary>
[Collection("Packages")]
public sealed partial class PackageContentTests(PackageFeedFixture feed)
{
    /// <summary>The custom debug information that holds a portable PDB's SourceLink JSON.</summary>
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    public static TheoryData<string> Packages => [.. PackageFeedFixture.PackageIds];

    [Fact]
    public void Feed_HoldsOnePackageAndOneSymbolPackagePerShippedProject_AtTheVersionOfDirectoryBuildProps()
    {
        feed.PackageVersion.Should().MatchRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$", "the version is SemVer 2");
        var expected = PackageFeedFixture.PackageIds
            .SelectMany(id => new[] { $"{id}.{feed.PackageVersion}.nupkg", $"{id}.{feed.PackageVersion}.snupkg" });

        Directory.GetFiles(feed.FeedDirectory).Select(Path.GetFileName).Should().BeEquivalentTo(expected, feed.PackOutput);
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Nuspec_CarriesTheLicenseExpressionAuthorsReadmeAndRepository(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var metadata = Metadata(package, id);

        Value(metadata, "id").Should().Be(id);
        Value(metadata, "version").Should().Be(feed.PackageVersion);
        feed.LicenseExpression.Should().Be("Apache-2.0");
        var license = metadata.Element(metadata.Name.Namespace + "license");
        license.Should().NotBeNull("{0}'s nuspec should name its license", id);
        license!.Attribute("type")?.Value.Should().Be("expression");
        license.Value.Should().Be(feed.LicenseExpression);
        Value(metadata, "authors").Should().Be("EvalKit contributors").And.Be(feed.Authors);
        Value(metadata, "description").Should().NotBeNullOrWhiteSpace().And.Contain(id == "EvalKit" ? "models" : id.EndsWith("Sqlite", StringComparison.Ordinal) ? "SQLite" : "PostgreSQL");
        Value(metadata, "tags").Should().Contain("evaluation");
        Value(metadata, "readme").Should().Be("README.md");
        Value(metadata, "projectUrl").Should().Be(feed.RepositoryUrl);

        var repository = metadata.Element(metadata.Name.Namespace + "repository");
        repository.Should().NotBeNull("{0}'s nuspec should name its repository (PublishRepositoryUrl)", id);
        repository!.Attribute("type")?.Value.Should().Be("git");
        repository.Attribute("url")?.Value.Should().Be(feed.RepositoryUrl).And.StartWith("https://github.com/", "SourceLink.GitHub maps to GitHub");
        repository.Attribute("commit")?.Value.Should().MatchRegex("^[0-9a-f]{40}$", "the package names the commit it was built from");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Nuspec_DependsOnTheOtherPackagesAtTheSameVersion_AndOnNoBuildOnlyPackage(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var metadata = Metadata(package, id);
        var dependencies = metadata.Descendants(metadata.Name.Namespace + "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value, StringComparer.OrdinalIgnoreCase);

        dependencies.Keys.Should().NotContain(d => d.StartsWith("Microsoft.SourceLink", StringComparison.OrdinalIgnoreCase) || d.StartsWith("Microsoft.CodeAnalysis", StringComparison.OrdinalIgnoreCase),
            "SourceLink and analyzers are build-time only (PrivateAssets=all)");
        if (id == "EvalKit")
        {
            dependencies.Should().ContainKeys("Microsoft.Extensions.AI", "Polly.Core", "MathNet.Numerics");
        }
        else
        {
            dependencies.Should().Contain("EvalKit", feed.PackageVersion);
            dependencies.Should().ContainKey(id.EndsWith("Sqlite", StringComparison.Ordinal) ? "Microsoft.Data.Sqlite" : "Npgsql");
        }
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesTheProjectReadme(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var readme = package.GetEntry("README.md");

        readme.Should().NotBeNull("{0} should carry its README at the package root", id);
        ReadText(readme!).Should().Be(File.ReadAllText(Path.Combine(feed.RepositoryRoot, "src", id, "README.md")));
        ReadText(readme!).Should().Contain("dotnet add package " + id).And.Contain("```csharp", "the README is the package's landing page, with an example");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Package_CarriesTheAssemblyAndItsXmlDocumentation(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        var entries = package.Entries.Select(e => e.FullName).ToList();

        entries.Should().Contain($"lib/net10.0/{id}.dll");
        entries.Should().Contain($"lib/net10.0/{id}.xml", "GenerateDocumentationFile puts the XML docs beside the assembly");
        entries.Should().NotContain(e => e.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase), "symbols go to the .snupkg");

        var docs = XDocument.Parse(ReadText(package.GetEntry($"lib/net10.0/{id}.xml")!));
        docs.Root!.Element("assembly")!.Element("name")!.Value.Should().Be(id);
        var members = docs.Root.Element("members")!.Elements("member").ToList();
        members.Should().Contain(m => m.Attribute("name")!.Value.StartsWith("T:", StringComparison.Ordinal) && m.Element("summary") != null);
        members.Count.Should().BeGreaterThan(10, "every public member is documented");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void SymbolPackage_HoldsThePortablePdbOfThePackagedAssembly_WithSourceLinkToTheRepositoryAtTheCommit(string id)
    {
        using var package = ZipFile.OpenRead(feed.PackagePath(id));
        using var symbols = ZipFile.OpenRead(feed.PackagePath(id, ".snupkg"));
        var metadata = Metadata(package, id);
        var commit = metadata.Element(metadata.Name.Namespace + "repository")!.Attribute("commit")!.Value;
        var pdbEntry = symbols.GetEntry($"lib/net10.0/{id}.pdb");
        pdbEntry.Should().NotBeNull("{0}'s .snupkg should hold its PDB", id);

        using var peStream = Copy(package.GetEntry($"lib/net10.0/{id}.dll")!);
        using var pe = new PEReader(peStream);
        var debugDirectory = pe.ReadDebugDirectory();
        debugDirectory.Should().Contain(e => e.Type == DebugDirectoryEntryType.Reproducible, "the build is deterministic");
        var codeView = pe.ReadCodeViewDebugDirectoryData(debugDirectory.Single(e => e.Type == DebugDirectoryEntryType.CodeView));

        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(Copy(pdbEntry!));
        var pdb = pdbProvider.GetMetadataReader();
        var pdbId = new BlobContentId(pdb.DebugMetadataHeader!.Id);
        pdbId.Guid.Should().Be(codeView.Guid, "the PDB in the .snupkg belongs to the assembly in the .nupkg");

        var sourceLink = pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition)
            .Select(pdb.GetCustomDebugInformation)
            .Where(c => pdb.GetGuid(c.Kind) == SourceLinkKind)
            .Select(c => Encoding.UTF8.GetString(pdb.GetBlobBytes(c.Value)))
            .SingleOrDefault();
        sourceLink.Should().NotBeNull("{0}'s PDB should carry SourceLink", id);
        var documents = JsonDocument.Parse(sourceLink!).RootElement.GetProperty("documents").EnumerateObject().ToList();
        var rawContent = RawContentUrl().Replace(feed.RepositoryUrl, "https://raw.githubusercontent.com/$1");
        documents.Should().ContainSingle().Which.Value.GetString().Should().Be($"{rawContent}/{commit}/*");

        // ContinuousIntegrationBuild (CI=true): sources are named from the repository root, with no path of the build machine.
        documents.Single().Name.Should().Be("/_/*");
        var sources = pdb.Documents.Select(d => pdb.GetString(pdb.GetDocument(d).Name)).Where(n => n.EndsWith(".cs", StringComparison.Ordinal)).ToList();
        sources.Should().Contain($"/_/src/{id}/{(id == "EvalKit" ? "EvalKitHost.cs" : id.EndsWith("Sqlite", StringComparison.Ordinal) ? "SqliteEvalKitStorage.cs" : "PostgresEvalKitStorage.cs")}");
        sources.Where(n => !n.StartsWith("/_/", StringComparison.Ordinal) && !n.Contains("/obj/", StringComparison.Ordinal) && !n.StartsWith("/_1/", StringComparison.Ordinal))
            .Should().BeEmpty("every tracked source is mapped to the repository root");
        sources.Should().NotContain(n => n.Contains(feed.RepositoryRoot, StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^https://github\.com/(.+?)/?$")]
    private static partial Regex RawContentUrl();

    private static XElement Metadata(ZipArchive package, string id)
    {
        var nuspec = package.GetEntry($"{id}.nuspec") ?? throw new InvalidDataException($"The package {id} has no {id}.nuspec.");
        var root = XDocument.Parse(ReadText(nuspec)).Root!;
        return root.Element(root.Name.Namespace + "metadata") ?? throw new InvalidDataException($"{id}.nuspec has no metadata element.");
    }

    private static string? Value(XElement metadata, string name) => metadata.Element(metadata.Name.Namespace + name)?.Value;

    private static string ReadText(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static MemoryStream Copy(ZipArchiveEntry entry)
    {
        var copy = new MemoryStream();
        using (var stream = entry.Open())
        {
            stream.CopyTo(copy);
        }

        copy.Position = 0;
        return copy;
    }
}
