using EvalKit.Scoring;

namespace EvalKit.Tests.Scoring;

public class TextMetricScorerTests
{
    [Fact]
    public async Task Bleu_IdenticalText_Is100()
    {
        var score = await new BleuScorer().ScoreAsync(Ctx.Of("the cat sat on the mat", "the cat sat on the mat"), TestContext.Current.CancellationToken);

        score.Name.Should().Be("bleu");
        score.Value.Should().BeApproximately(100, 1e-9);
    }

    [Fact]
    public async Task Bleu_MultipleReferences_EqualsSentenceBleu()
    {
        string[] refs = ["the cat is on the mat", "there is a cat on the mat"];
        const string hyp = "the cat the cat on the mat";

        var score = await new BleuScorer().ScoreAsync(Ctx.Of(hyp, refs), TestContext.Current.CancellationToken);

        score.Value.Should().Be(Bleu.Sentence(hyp, refs).Score);
        score.Value.Should().BeInRange(0, 100);
    }

    [Fact]
    public async Task ChrF_MatchesSentenceFunction()
    {
        var score = await new ChrFScorer(ChrFOptions.ChrFPlusPlus).ScoreAsync(Ctx.Of("a quick brown fox", "the quick brown fox"), TestContext.Current.CancellationToken);

        score.Value.Should().Be(ChrF.Sentence("a quick brown fox", ["the quick brown fox"], ChrFOptions.ChrFPlusPlus).Score);
        score.Label.Should().Be("chrF2++");
    }

    [Fact]
    public async Task Rouge_DefaultName_IsRougeTypeName()
    {
        var score = await new RougeScorer(RougeType.Rouge1).ScoreAsync(Ctx.Of("the cat sat", "the cat"), TestContext.Current.CancellationToken);

        score.Name.Should().Be("rouge1");
        score.Value.Should().BeApproximately(0.8, 1e-12); // P = 2/3, R = 1, F = 0.8
    }

    [Fact]
    public async Task Rouge_BestReference_IsUsed()
    {
        var score = await new RougeScorer(RougeType.RougeL).ScoreAsync(Ctx.Of("the cat sat", "dogs bark", "the cat sat"), TestContext.Current.CancellationToken);

        score.Value.Should().Be(1);
    }

    [Fact]
    public async Task Rouge_Stemmer_MatchesInflections()
    {
        var plain = await new RougeScorer(RougeType.Rouge1).ScoreAsync(Ctx.Of("running dogs", "run dog"), TestContext.Current.CancellationToken);
        var stemmed = await new RougeScorer(RougeType.Rouge1, useStemmer: true).ScoreAsync(Ctx.Of("running dogs", "run dog"), TestContext.Current.CancellationToken);

        plain.Value.Should().Be(0);
        stemmed.Value.Should().Be(1);
    }

    [Fact]
    public async Task SquadF1_PartialOverlap_IsTokenF1()
    {
        var score = await new SquadF1Scorer().ScoreAsync(Ctx.Of("The Eiffel Tower in Paris", "Eiffel Tower"), TestContext.Current.CancellationToken);

        score.Name.Should().Be("squad_f1");
        score.Value.Should().BeApproximately(2 * (2.0 / 4) * 1 / (2.0 / 4 + 1), 1e-12);
    }

    [Fact]
    public async Task SquadExactMatch_NormalizedEqual_Passes()
    {
        var pass = await new SquadExactMatchScorer().ScoreAsync(Ctx.Of("The Eiffel Tower!", "eiffel tower"), TestContext.Current.CancellationToken);
        var fail = await new SquadExactMatchScorer().ScoreAsync(Ctx.Of("Eiffel", "eiffel tower"), TestContext.Current.CancellationToken);

        pass.Passed.Should().BeTrue();
        fail.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task TextMetrics_NoReference_AreFailedScores()
    {
        IScorer[] scorers = [new BleuScorer(), new ChrFScorer(), new RougeScorer(), new SquadF1Scorer(), new SquadExactMatchScorer()];

        foreach (var scorer in scorers)
        {
            var score = await scorer.ScoreAsync(Ctx.Of("text"), TestContext.Current.CancellationToken);
            score.Error.Should().NotBeNull(scorer.Name);
        }
    }
}
