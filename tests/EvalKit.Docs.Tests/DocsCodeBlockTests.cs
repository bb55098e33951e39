namespace EvalKit.Docs.Tests;

/// <summary>Every ```csharp block of README.md and docs/*.md compiles against the real API.</summary>
public sealed class DocsCodeBlockTests
{
    /// <summary>Gets one row per page, so that a page added later is checked too.</summary>
    public static TheoryData<string> Pages => [.. DocsPages.All()];

    [Theory]
    [MemberData(nameof(Pages))]
    public void EveryCSharpBlock_Compiles(string page)
    {
        var problems = new List<string>();
        var blocks = DocsPages.Blocks(page, problems);

        var failures = DocsSnippetCompiler.Compile(blocks);

        var report = problems.Concat(failures.Select(f => f.ToString())).ToList();
        report.Should().BeEmpty(
            "every ```csharp block of {0} must compile against EvalKit's API ({1} compiled, {2} marked not compiled); the problems:{3}{4}",
            page, blocks.Count(b => b.IsCompiled), blocks.Count(b => b.IsCSharp && !b.IsCompiled),
            Environment.NewLine, string.Join(Environment.NewLine, report));
    }

    [Fact]
    public void Pages_IncludeTheReadmeAndEveryDocsPage()
    {
        var pages = DocsPages.All();

        pages[0].Should().Be("README.md");
        pages.Should().Contain(["docs/README.md", "docs/getting-started.md", "docs/concepts.md", "docs/comparison.md", "docs/storage.md"]);
        pages.Should().OnlyContain(p => File.Exists(Path.Combine(DocsPages.RepositoryRoot, p)));
    }

    [Fact]
    public void Docs_HaveCompiledBlocks_AndFewOptOuts()
    {
        var blocks = DocsPages.All().SelectMany(p => DocsPages.Blocks(p, [])).ToList();

        var compiled = blocks.Count(b => b.IsCompiled);
        var optedOut = blocks.Where(b => b.IsCSharp && !b.IsCompiled).ToList();

        compiled.Should().BeGreaterThan(20, "the README and the docs show the API in C#");
        optedOut.Should().OnlyContain(b => !string.IsNullOrWhiteSpace(b.NotCompiledReason));
        optedOut.Count.Should().BeLessThan(compiled / 5, "opting out is for the rare block that cannot compile: {0}",
            string.Join(", ", optedOut.Select(b => b.Location)));
    }
}
