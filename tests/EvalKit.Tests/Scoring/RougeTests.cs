using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>ROUGE cases derived by hand from rouge-score's tokenizer, n-gram, LCS and union-LCS rules.</summary>
public sealed class RougeTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Score_Punctuation_IsASeparator()
    {
        // "Hello, World! It's 2024." -> hello world it s 2024
        Rouge.Score("hello world it s 2024", "Hello, World! It's 2024.", RougeType.Rouge1)
            .Should().Be(new RougeScore(1.0, 1.0, 1.0));
    }

    [Fact]
    public void Score_NonAsciiLetters_AreSeparators()
    {
        // "café" -> "caf"; the Kelvin sign lowercases to ASCII 'k'; 'İ' lowercases to "i" + U+0307.
        Rouge.Score("caf", "café", RougeType.Rouge1).FMeasure.Should().Be(1.0);
        Rouge.Score("ok", "O\u212A", RougeType.Rouge1).FMeasure.Should().Be(1.0);
        Rouge.Score("i t", "İt", RougeType.Rouge1).FMeasure.Should().Be(1.0);
    }

    [Fact]
    public void Score_Stemming_ConflatesInflections()
    {
        // Porter: running -> run, runs -> run, quickly -> quickli, quick -> quick: one shared token of two.
        Rouge.Score("running quickly", "runs quick", RougeType.Rouge1).Should().Be(new RougeScore(0, 0, 0));
        Rouge.Score("running quickly", "runs quick", RougeType.Rouge1, useStemmer: true)
            .Should().Be(new RougeScore(0.5, 0.5, 0.5));
    }

    [Fact]
    public void Score_Stemming_SkipsTokensOfThreeCharactersOrLess()
    {
        // "was" is not stemmed (it would become "wa"), so it does not match "wa".
        Rouge.Score("was", "wa", RougeType.Rouge1, useStemmer: true).FMeasure.Should().Be(0.0);
    }

    [Fact]
    public void ScoreN_Trigrams_CountsClippedMatches()
    {
        // Trigrams: target {a b c, b c d}, prediction {a b c, b c e}: 1 match of 2 each.
        var score = Rouge.ScoreN("a b c d", "a b c e", 3);
        score.Should().Be(new RougeScore(0.5, 0.5, 0.5));
        Rouge.Score("a b c d", "a b c e", RougeType.Rouge3).Should().Be(score);
    }

    [Fact]
    public void ScoreN_RepeatedNgrams_AreClipped()
    {
        // Unigrams: target {the: 2, cat: 1}, prediction {the: 3}: min(2, 3) = 2 matches;
        // precision 2/3, recall 2/3.
        var score = Rouge.Score("the the cat", "the the the", RougeType.Rouge1);
        score.Precision.Should().BeApproximately(2.0 / 3, Tolerance);
        score.Recall.Should().BeApproximately(2.0 / 3, Tolerance);
    }

    [Fact]
    public void ScoreN_PredictionShorterThanN_ScoresZero()
    {
        Rouge.ScoreN("a b c", "a b", 3).Should().Be(new RougeScore(0, 0, 0));
    }

    [Fact]
    public void Score_RougeL_UsesLongestCommonSubsequence()
    {
        // LCS of "a b c d e" and "a c x e" is "a c e" (3): precision 3/4, recall 3/5, F = 2PR/(P+R) = 2/3.
        var score = Rouge.Score("a b c d e", "a c x e", RougeType.RougeL);
        score.Precision.Should().BeApproximately(0.75, Tolerance);
        score.Recall.Should().BeApproximately(0.6, Tolerance);
        score.FMeasure.Should().BeApproximately(2.0 / 3, Tolerance);
    }

    [Fact]
    public void Score_RougeLsum_MatchesSentencesWithUnionLcs()
    {
        // Target sentences [a b] [c d]; prediction sentences [c d] [a b]. Each target sentence is fully covered
        // by one prediction sentence: 4 hits of 4 tokens on each side. ROUGE-L on the flat texts only finds
        // an LCS of 2 ("a b" or "c d") and scores 0.5.
        Rouge.Score("a b\nc d", "c d\na b", RougeType.RougeLsum).Should().Be(new RougeScore(1, 1, 1));
        Rouge.Score("a b\nc d", "c d\na b", RougeType.RougeL).Should().Be(new RougeScore(0.5, 0.5, 0.5));
    }

    [Fact]
    public void Score_RougeLsum_UnionKeepsOneBacktrackedPosition()
    {
        // Target [a a], prediction sentences [a] and [a]. rouge-score's backtrack from the table's corner marks
        // target position 1 for both candidates, so the union is {1}: 1 hit; precision 1/2, recall 1/2.
        Rouge.Score("a a", "a\na", RougeType.RougeLsum).Should().Be(new RougeScore(0.5, 0.5, 0.5));
    }

    [Fact]
    public void Score_RougeLsum_EmptyLinesAreIgnored()
    {
        // Lines "a b c" and "d e" against "a c" and "d x e": union LCS hits a, c and d, e: 4 of 5 each side.
        var score = Rouge.Score("a b c\n\nd e\n", "a c\nd x e", RougeType.RougeLsum);
        score.Precision.Should().BeApproximately(0.8, Tolerance);
        score.Recall.Should().BeApproximately(0.8, Tolerance);
    }

    [Fact]
    public void ScoreMax_SeveralTargets_TakesTheBestFMeasure()
    {
        var best = Rouge.Score("the cat sat", "the cat sat", RougeType.Rouge2);
        Rouge.ScoreMax(["a dog", "the cat sat", "the cat"], "the cat sat", RougeType.Rouge2).Should().Be(best);
    }

    [Theory]
    [InlineData("rouge1", RougeType.Rouge1)]
    [InlineData("rouge9", RougeType.Rouge9)]
    [InlineData("rougeL", RougeType.RougeL)]
    [InlineData("rougeLsum", RougeType.RougeLsum)]
    public void ParseType_ValidName_ReturnsType(string name, RougeType expected)
    {
        Rouge.ParseType(name).Should().Be(expected);
        Rouge.GetName(expected).Should().Be(name);
    }

    [Theory]
    [InlineData("rougen")]
    [InlineData("rouge0")]
    [InlineData("rouge10")]
    [InlineData("RougeL")]
    public void ParseType_InvalidName_Throws(string name)
    {
        var act = () => Rouge.ParseType(name);
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Score_UndefinedType_Throws()
    {
        var act = () => Rouge.Score("a", "a", (RougeType)99);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
