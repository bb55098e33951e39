using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

public sealed class QuickStartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "evalkit-quickstart-" + Guid.NewGuid().ToString("N"));

    public QuickStartTests() => Directory.CreateDirectory(_directory);

    [Fact]
    public async Task RunAsync_OnAFreshDatabase_PrintsTheModelsInScoreOrderAndKeepsTheDatabase()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, TestContext.Current.CancellationToken);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        File.Exists(databasePath).Should().BeTrue();
        text.Should().Contain(databasePath);

        var rows = TableRows(text);
        rows.Select(r => r.ModelId).Should().Equal(["local/oracle-large", "local/flaky-medium", "local/quick-small"], text);
        rows.Select(r => r.Score).Should().BeInDescendingOrder();
        rows[0].Score.Should().BeGreaterThan(rows[^1].Score);
        text.Should().Contain("Verdict: local/oracle-large leads");
    }

    [Fact]
    public async Task RunAsync_ScoresSemanticSimilarityWithTheLocalMiniLmModel()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, databasePath, TestContext.Current.CancellationToken);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        text.Should().Contain("scored by exact_match, semantic_similarity");
        var header = text.Split('\n').Single(line => line.StartsWith("Model ", StringComparison.Ordinal) && line.Contains("Exact match", StringComparison.Ordinal));
        header.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().Contain("Semantic");

        var rows = TableRows(text);
        rows.Should().HaveCount(3, text);
        rows.Select(r => r.Semantic).Should().OnlyContain(s => s >= -1 && s <= 1, "a cosine similarity lies in [-1, 1]");
        var oracle = rows.Single(r => r.ModelId == "local/oracle-large");
        var quick = rows.Single(r => r.ModelId == "local/quick-small");
        oracle.Semantic.Should().BeGreaterThan(quick.Semantic, text);
    }

    [Fact]
    public async Task MiniLmEmbeddingGenerator_ReturnsOneNormalizedEmbeddingPerInputInOrder()
    {
        using var generator = new QuickStart.MiniLmEmbeddingGenerator();

        var embeddings = await generator.GenerateAsync(["Paris", "The capital of France is Paris.", "7"], cancellationToken: TestContext.Current.CancellationToken);
        var again = await generator.GenerateAsync(["7", "Paris"], cancellationToken: TestContext.Current.CancellationToken);

        embeddings.Should().HaveCount(3);
        embeddings.Should().OnlyContain(e => e.Vector.Length == QuickStart.MiniLmEmbeddingGenerator.Dimensions);
        again[0].Vector.ToArray().Should().Equal(embeddings[2].Vector.ToArray());
        again[1].Vector.ToArray().Should().Equal(embeddings[0].Vector.ToArray());
        var related = Scoring.SemanticSimilarityScorer.CosineSimilarity(embeddings[0].Vector.Span, embeddings[1].Vector.Span);
        var unrelated = Scoring.SemanticSimilarityScorer.CosineSimilarity(embeddings[0].Vector.Span, embeddings[2].Vector.Span);
        related.Should().BeGreaterThan(unrelated);
        generator.GetService(typeof(Microsoft.Extensions.AI.EmbeddingGeneratorMetadata)).Should().NotBeNull();
    }

    [Fact]
    public async Task RunAsync_TwiceOnTheSameDatabase_ReusesTheModelsAndTheDataset()
    {
        var databasePath = Path.Combine(_directory, "evalkit.db");
        using var first = new StringWriter();
        using var second = new StringWriter();

        (await QuickStart.QuickStart.RunAsync(first, databasePath, TestContext.Current.CancellationToken)).Should().Be(0, first.ToString());
        var exitCode = await QuickStart.QuickStart.RunAsync(second, databasePath, TestContext.Current.CancellationToken);

        exitCode.Should().Be(0, second.ToString());
        second.ToString().Should().Contain("local/oracle-large (revision 1;");

        // The simulated models are deterministic: the same scores on every run.
        TableRows(second.ToString()).Should().Equal(TableRows(first.ToString()));
    }

    [Fact]
    public async Task RunAsync_WhenTheDatabaseCannotBeCreated_ReturnsNonZeroWithAMessage()
    {
        var blocker = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file", TestContext.Current.CancellationToken);
        using var output = new StringWriter();

        var exitCode = await QuickStart.QuickStart.RunAsync(output, Path.Combine(blocker, "evalkit.db"), TestContext.Current.CancellationToken);

        exitCode.Should().NotBe(0);
        output.ToString().Should().Contain("The quick-start failed:");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory left behind is harmless.
        }
    }

    // The table rows: model id, exact-match mean and semantic-similarity mean, in printed order
    // (cells: model, exact-match mean, "±", half-width, semantic mean, ...).
    private static List<(string ModelId, double Score, double Semantic)> TableRows(string text) =>
        [.. text.Split('\n')
            .Where(line => line.StartsWith("local/", StringComparison.Ordinal))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(cells => (
                cells[0],
                double.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture),
                double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture)))];
}
