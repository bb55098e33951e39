using EvalKit.Scoring;

namespace EvalKit.Tests.Scoring;

public class SemanticSimilarityScorerTests
{
    private static readonly SemanticSimilarityOptions NoWindow = new() { BatchWindow = TimeSpan.Zero };

    [Fact]
    public async Task Score_MaxCosineOverReferences()
    {
        var generator = new LetterCountEmbeddingGenerator()
            .With("out", 1, 0, 0)
            .With("ref-a", 0, 1, 0)
            .With("ref-b", 1, 1, 0);
        var scorer = new SemanticSimilarityScorer(generator, NoWindow);

        var score = await scorer.ScoreAsync(Ctx.Of("out", "ref-a", "ref-b"), TestContext.Current.CancellationToken);

        score.Name.Should().Be("semantic_similarity");
        score.Value.Should().BeApproximately(1 / Math.Sqrt(2), 1e-12);
        score.Passed.Should().BeNull();
    }

    [Fact]
    public async Task Score_OutputAndReferences_EmbeddedInOneCall()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow);

        await scorer.ScoreAsync(Ctx.Of("hello", "hallo", "hullo"), TestContext.Current.CancellationToken);

        generator.Calls.Should().ContainSingle().Which.Should().Equal("hello", "hallo", "hullo");
    }

    [Fact]
    public async Task Score_RepeatedTexts_ServedFromCache()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow);

        await scorer.ScoreAsync(Ctx.Of("alpha", "beta"), TestContext.Current.CancellationToken);
        await scorer.ScoreAsync(Ctx.Of("gamma", "beta"), TestContext.Current.CancellationToken);
        await scorer.ScoreAsync(Ctx.Of("alpha", "beta"), TestContext.Current.CancellationToken);

        generator.Calls.Should().HaveCount(2);
        generator.Calls.ElementAt(1).Should().Equal("gamma");
        scorer.CachedCount.Should().Be(3);
    }

    [Fact]
    public async Task Score_CacheCapacity_EvictsLeastRecentlyUsed()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow with { CacheCapacity = 2 });

        await scorer.ScoreAsync(Ctx.Of("one", "two"), TestContext.Current.CancellationToken);   // cache: one, two
        await scorer.ScoreAsync(Ctx.Of("one", "three"), TestContext.Current.CancellationToken); // cache: three, one (two evicted)
        await scorer.ScoreAsync(Ctx.Of("one", "two"), TestContext.Current.CancellationToken);   // two embedded again

        scorer.CachedCount.Should().Be(2);
        generator.Calls.Select(c => string.Join(",", c)).Should().Equal("one,two", "three", "two");
    }

    [Fact]
    public async Task Score_CacheDisabled_EmbedsEveryTime()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow with { CacheCapacity = 0 });

        await scorer.ScoreAsync(Ctx.Of("one", "two"), TestContext.Current.CancellationToken);
        await scorer.ScoreAsync(Ctx.Of("one", "two"), TestContext.Current.CancellationToken);

        generator.Calls.Should().HaveCount(2);
        scorer.CachedCount.Should().Be(0);
    }

    [Fact]
    public async Task Score_ConcurrentRequests_GatheredIntoOneBatch()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, new SemanticSimilarityOptions { BatchWindow = TimeSpan.FromMilliseconds(300) });

        var tasks = new[] { ("a1", "r1"), ("a2", "r2"), ("a3", "r1") }
            .Select(p => scorer.ScoreAsync(Ctx.Of(p.Item1, p.Item2), TestContext.Current.CancellationToken).AsTask())
            .ToArray();
        await Task.WhenAll(tasks);

        generator.Calls.Should().ContainSingle().Which.Should().BeEquivalentTo(["a1", "r1", "a2", "r2", "a3"]);
    }

    [Fact]
    public async Task Score_BatchSizeLimit_SplitsCalls()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow with { MaxBatchSize = 2 });

        await scorer.ScoreAsync(Ctx.Of("a", "b", "c", "d", "e"), TestContext.Current.CancellationToken);

        generator.Calls.Select(c => c.Length).Should().Equal(2, 2, 1);
    }

    [Fact]
    public async Task Score_Threshold_SetsPassed()
    {
        var generator = new LetterCountEmbeddingGenerator().With("x", 1, 0).With("y", 1, 1).With("z", 0, 1);
        var scorer = new SemanticSimilarityScorer(generator, NoWindow with { Threshold = 0.7 });

        (await scorer.ScoreAsync(Ctx.Of("x", "y"), TestContext.Current.CancellationToken)).Passed.Should().BeTrue();
        (await scorer.ScoreAsync(Ctx.Of("x", "z"), TestContext.Current.CancellationToken)).Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_ZeroVector_IsFailedScore()
    {
        var generator = new LetterCountEmbeddingGenerator();
        var scorer = new SemanticSimilarityScorer(generator, NoWindow);

        var score = await scorer.ScoreAsync(Ctx.Of("123", "abc"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("zeros");
    }

    [Fact]
    public async Task Score_DoesNotDisposeGenerator()
    {
        var generator = new LetterCountEmbeddingGenerator();

        await new SemanticSimilarityScorer(generator, NoWindow).ScoreAsync(Ctx.Of("a", "b"), TestContext.Current.CancellationToken);

        generator.Disposed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_Cancelled_Throws()
    {
        var generator = new LetterCountEmbeddingGenerator { Delay = TimeSpan.FromSeconds(5) };
        var scorer = new SemanticSimilarityScorer(generator, NoWindow);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        var act = async () => await scorer.ScoreAsync(Ctx.Of("a", "b"), cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public void CosineSimilarity_KnownVectors()
    {
        SemanticSimilarityScorer.CosineSimilarity([1f, 2f, 3f], [2f, 4f, 6f]).Should().BeApproximately(1, 1e-12);
        SemanticSimilarityScorer.CosineSimilarity([1f, 0f], [-1f, 0f]).Should().Be(-1);
        SemanticSimilarityScorer.CosineSimilarity([0f, 0f], [1f, 0f]).Should().Be(double.NaN);
    }
}
