using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>SQuAD v1.1 normalization, exact match and F1, derived by hand from evaluate-v1.1.py.</summary>
public sealed class SquadTextTests
{
    [Theory]
    [InlineData("The Quick, Brown Fox!", "quick brown fox")]
    [InlineData("an apple a day", "apple day")]
    [InlineData("theater the", "theater")] // articles only as whole words
    [InlineData("a_b", "ab")] // '_' is in string.punctuation and goes before articles are removed
    [InlineData("théâtre the end", "théâtre end")]
    [InlineData("the\u0301 cat", "\u0301 cat")] // U+0301 is not a word character for Python's \b
    [InlineData("  a an the  ", "")]
    [InlineData("ΟΔΟΣ", "οδος")] // Python lowercasing (final sigma)
    [InlineData("tab\tand\u00A0nbsp", "tab and nbsp")]
    public void Normalize_Text_MatchesOfficialScript(string answer, string expected)
    {
        SquadText.Normalize(answer).Should().Be(expected);
    }

    [Fact]
    public void ExactMatch_EqualAfterNormalization_IsOne()
    {
        SquadText.ExactMatch("The Cat.", "cat").Should().Be(1.0);
        SquadText.ExactMatch("a cat", "the dog").Should().Be(0.0);
        SquadText.ExactMatch("ΟΔΟΣ", "οδοσ").Should().Be(0.0); // 'οδος' != 'οδοσ' in Python
    }

    [Fact]
    public void F1_PartialOverlap_IsHarmonicMeanOfTokenPrecisionAndRecall()
    {
        // "cat sat on mat" vs "cat on mat": 3 shared; P = 3/4, R = 1, F1 = 2 * 0.75 / 1.75.
        SquadText.F1("the cat sat on the mat", "a cat on a mat").Should().BeApproximately(2 * 0.75 / 1.75, 1e-15);
    }

    [Fact]
    public void F1_RepeatedTokens_AreCountedWithMultiplicity()
    {
        // "x x y" vs "x y y": common = min(2,1) + min(1,2) = 2; P = R = 2/3.
        SquadText.F1("x x y", "x y y").Should().BeApproximately(2.0 / 3, 1e-15);
    }

    [Fact]
    public void F1_NoSharedToken_IsZero()
    {
        SquadText.F1("dog", "cat").Should().Be(0.0);
        SquadText.F1("the", "a").Should().Be(0.0); // both normalize to nothing
        SquadText.ExactMatch("the", "a").Should().Be(1.0);
    }

    [Fact]
    public void Overloads_SeveralTruths_TakeTheMaximum()
    {
        SquadText.ExactMatch("Paris", ["London", "paris."]).Should().Be(1.0);
        SquadText.F1("in Paris France", ["London", "Paris"]).Should().BeApproximately(0.5, 1e-15);
    }

    [Fact]
    public void Overloads_NoTruth_Throws()
    {
        var act = () => SquadText.F1("x", Array.Empty<string>());
        act.Should().Throw<ArgumentException>();
    }
}
