namespace EvalKit.Docs.Tests;

/// <summary>Relative links in README.md and docs/*.md lead somewhere, and the index lists every page.</summary>
public sealed class DocsLinkTests
{
    public static TheoryData<string> Pages => [.. DocsPages.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void RelativeLinks_PointToExistingFilesAndHeadings(string page)
    {
        var root = DocsPages.RepositoryRoot;
        var folder = Path.GetDirectoryName(Path.Combine(root, page))!;
        var broken = new List<string>();

        foreach (var link in MarkdownLinks.RelativeLinks(File.ReadAllText(Path.Combine(root, page))))
        {
            var parts = link.Target.Split('#', 2);
            var path = Path.GetFullPath(Path.Combine(folder, Uri.UnescapeDataString(parts[0])));
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                broken.Add($"{page}:{link.Line}: '{link.Target}': no such file or folder");
            }
            else if (parts.Length == 2 && path.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
                     && !MarkdownLinks.Anchors(File.ReadAllText(path)).Contains(parts[1]))
            {
                broken.Add($"{page}:{link.Line}: '{link.Target}': {Path.GetFileName(path)} has no heading with the anchor '#{parts[1]}'");
            }
        }

        broken.Should().BeEmpty("every relative link of {0} must lead to a file and, after '#', to one of its headings", page);
    }

    [Fact]
    public void Index_LinksEveryDocsPage()
    {
        var index = File.ReadAllText(Path.Combine(DocsPages.RepositoryRoot, "docs", "README.md"));
        var linked = MarkdownLinks.RelativeLinks(index).Select(l => l.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        var missing = DocsPages.All()
            .Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && p != "docs/README.md")
            .Select(p => p["docs/".Length..])
            .Where(p => !linked.Contains(p))
            .ToList();

        missing.Should().BeEmpty("docs/README.md is the index: add a line for each page");
    }

    [Fact]
    public void Readme_LinksTheIndexAndTheNewcomerPages()
    {
        var links = MarkdownLinks.RelativeLinks(File.ReadAllText(Path.Combine(DocsPages.RepositoryRoot, "README.md")))
            .Select(l => l.Target.Split('#')[0]).ToHashSet(StringComparer.Ordinal);

        links.Should().Contain(["docs/README.md", "docs/getting-started.md", "docs/concepts.md", "docs/comparison.md",
            "docs/statistics.md", "docs/selection.md", "docs/storage.md", "docs/security.md", "docs/performance.md"]);
    }

    [Theory]
    [InlineData("Distributed runs: many workers on one run", "distributed-runs-many-workers-on-one-run")]
    [InlineData("Per-request overrides (`ChatOptions.AdditionalProperties`, `SelectionPropertyNames`)", "per-request-overrides-chatoptionsadditionalproperties-selectionpropertynames")]
    [InlineData("JSON: complete and re-importable", "json-complete-and-re-importable")]
    [InlineData("Which test, when", "which-test-when")]
    public void Slug_MatchesGitHubAnchors(string heading, string anchor) =>
        MarkdownLinks.Slug(heading).Should().Be(anchor);

    [Fact]
    public void RelativeLinks_IgnoreCodeExternalAndInPageLinks()
    {
        const string Page = """
            See [a](a.md#top), [web](https://example.com), [here](#local) and `[code](not-a-link.md)`.

            ```markdown
            [in a block](nowhere.md)
            ```
            [b](../b.md "title")
            """;

        MarkdownLinks.RelativeLinks(Page).Should().Equal(new MarkdownLink(1, "a.md#top"), new MarkdownLink(6, "../b.md"));
    }
}
