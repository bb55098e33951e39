namespace EvalKit.Docs.Tests;

/// <summary>The extraction and compilation convention itself: what counts as a block, and how failures are reported.</summary>
public sealed class SnippetConventionTests
{
    private const string Page = """
        # A page

        ```bash
        dotnet run
        ```

        - In a list:

          ```csharp
          var x = 1;
          ```

        <!-- not compiled: shows a signature only -->
        ```csharp
        ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct = default);
        ```

        ````text
        ```csharp
        not a block: inside another fence
        ```
        ````
        """;

    [Fact]
    public void Parse_FindsFencesWithLanguageLineAndIndentation()
    {
        var problems = new List<string>();

        var blocks = MarkdownCodeBlocks.Parse("docs/page.md", Page, problems);

        problems.Should().BeEmpty();
        blocks.Select(b => (b.Language, b.FenceLine)).Should().Equal(("bash", 3), ("csharp", 9), ("csharp", 14), ("text", 18));
        blocks[1].Code.Should().Be("var x = 1;");
        blocks[1].IsCompiled.Should().BeTrue();
        blocks[2].NotCompiledReason.Should().Be("shows a signature only");
        blocks[2].IsCompiled.Should().BeFalse();
        blocks[3].Code.Should().Contain("not a block");
    }

    [Theory]
    [InlineData("<!-- not compiled -->\n```csharp\nx\n```", "must give its reason")]
    [InlineData("<!-- not compiled: why -->\n```bash\nx\n```", "never compiled; remove the marker")]
    [InlineData("<!-- not compiled: why -->\n\nSome text.\n\n```csharp\nx\n```", "must stand just before")]
    [InlineData("```csharp-fragment\nx\n```", "looks like C# but is not compiled")]
    public void Parse_ReportsConventionProblems(string markdown, string expected)
    {
        var problems = new List<string>();

        MarkdownCodeBlocks.Parse("docs/page.md", markdown, problems);

        problems.Should().ContainSingle().Which.Should().StartWith("docs/page.md:").And.Contain(expected);
    }

    [Fact]
    public void Compile_AcceptsAFragmentThatUsesPredeclaredVariablesTypesAndMembers()
    {
        var block = new MarkdownCodeBlock("docs/page.md", 10, "csharp", """
            using System.Globalization;
            using Xunit;

            services.AddEvalKit().UseSqliteStorage("Data Source=evalkit.db");
            await registry.RegisterAsync(new ModelDescriptor { Id = "local/echo" });
            var run = await engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/echo", DatasetId = "qa@1" });
            Console.WriteLine(run.Summary!.Metrics["exact_match"].Mean.ToString(CultureInfo.InvariantCulture));

            public sealed class Me : IEvalKitActorContext { public string CurrentActor => "me"; }

            [Fact]
            public async Task Member() => await kit.Registry.GetAsync("local/echo");
            """, null);

        DocsSnippetCompiler.Compile([block]).Should().BeEmpty();
    }

    [Fact]
    public void Compile_ReportsEachFailingBlockWithThePageLineAndTheError()
    {
        var good = new MarkdownCodeBlock("docs/page.md", 1, "csharp", "await registry.GetAsync(\"m\");", null);
        var bad = new MarkdownCodeBlock("docs/page.md", 20, "csharp", "var a = 1;\n\nawait registry.NoSuchMethodAsync(\"m\");", null);
        var skipped = new MarkdownCodeBlock("docs/page.md", 30, "csharp", "this does not compile", "a reason");

        var failures = DocsSnippetCompiler.Compile([good, bad, skipped]);

        var failure = failures.Should().ContainSingle().Subject;
        failure.Block.Should().Be(bad);
        failure.Errors.Should().ContainSingle().Which.Should().StartWith("docs/page.md:23:").And.Contain("CS1061").And.Contain("NoSuchMethodAsync");
        failure.ToString().Should().StartWith("docs/page.md:20 (```csharp block) does not compile:");
    }

    [Fact]
    public void DefaultUsings_CoverEveryEvalKitNamespace()
    {
        var namespaces = typeof(EvalKitHost).Assembly.GetExportedTypes().Select(t => t.Namespace).OfType<string>()
            .Where(n => n.StartsWith("EvalKit", StringComparison.Ordinal)).Distinct();

        DocsSnippetCompiler.DefaultUsings.Should().Contain(namespaces)
            .And.Contain(["EvalKit.Storage.Sqlite", "EvalKit.Storage.Postgres", "System.Linq", "Microsoft.Extensions.AI"]);
    }

    [Fact]
    public void Compile_KeepsBlocksApart()
    {
        var first = new MarkdownCodeBlock("a.md", 1, "csharp", "public sealed class Twin { }\nvar x = new Twin();", null);
        var second = new MarkdownCodeBlock("b.md", 1, "csharp", "public sealed class Twin { }\nvar x = new Twin();", null);

        DocsSnippetCompiler.Compile([first, second]).Should().BeEmpty();
    }
}
