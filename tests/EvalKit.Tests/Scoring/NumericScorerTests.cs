using EvalKit.Scoring;

namespace EvalKit.Tests.Scoring;

public class NumericScorerTests
{
    [Theory]
    [InlineData("The total is 1,234,567.89 dollars", 1234567.89)]
    [InlineData("It dropped to -42.", -42)]
    [InlineData("It dropped to \u22127", -7)]
    [InlineData("Growth of 12.5%", 12.5)]
    [InlineData("Avogadro: 6.022e23", 6.022e23)]
    [InlineData("tiny 1E-3", 0.001)]
    [InlineData("about .5 of it", 0.5)]
    [InlineData("+3 points", 3)]
    [InlineData("costs $1,000", 1000)]
    [InlineData("1,23", 23)]
    [InlineData("range 3-5", 5)]
    [InlineData("x = 10, y = 20. So the answer is 30.", 30)]
    public void TryExtractNumber_Last_ReadsNumber(string text, double expected)
    {
        NumericScorer.TryExtractNumber(text, NumberPosition.Last, percentAsFraction: false, out var value).Should().BeTrue();

        value.Should().BeApproximately(expected, Math.Abs(expected) * 1e-12);
    }

    [Theory]
    [InlineData("range 3-5", 3)]
    [InlineData("1,234 and 99", 1234)]
    [InlineData("version 1.2.3", 1.2)]
    [InlineData("-0.25 then 7", -0.25)]
    public void TryExtractNumber_First_ReadsFirstNumber(string text, double expected)
    {
        NumericScorer.TryExtractNumber(text, NumberPosition.First, false, out var value).Should().BeTrue();

        value.Should().Be(expected);
    }

    [Fact]
    public void TryExtractNumber_PercentAsFraction_DividesByHundred()
    {
        NumericScorer.TryExtractNumber("rate 50 %", NumberPosition.Last, true, out var value).Should().BeTrue();

        value.Should().Be(0.5);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no digits here")]
    [InlineData("just a dot .")]
    public void TryExtractNumber_NoNumber_ReturnsFalse(string text) =>
        NumericScorer.TryExtractNumber(text, NumberPosition.Last, false, out _).Should().BeFalse();

    [Theory]
    [InlineData("The answer is 1,234.", "1234")]
    [InlineData("#### -18", "-18")]
    [InlineData("So 2.50", "2.5")]
    [InlineData("50%", "50")]
    [InlineData("Answer: 1.2e3", "1,200")]
    public async Task Score_EqualNumbers_Pass(string output, string reference)
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of(output, reference), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "numeric_match", Passed = true, Value = 1.0 });
    }

    [Fact]
    public async Task Score_DifferentNumber_FailsWithExplanationAndLabel()
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of("I get 41", "42"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Label.Should().Be("41");
        score.Explanation.Should().Contain("41").And.Contain("42");
    }

    [Fact]
    public async Task Score_NoNumberInAnswer_FailsNotError()
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of("I don't know", "42"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Value.Should().Be(0);
        score.Error.Should().BeNull();
        score.Explanation.Should().Contain("no number");
    }

    [Fact]
    public async Task Score_ReferenceWithoutNumber_IsFailedScore()
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of("42", "forty-two"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public async Task Score_AbsoluteTolerance_AcceptsCloseNumbers()
    {
        var scorer = new NumericScorer(new NumericScorerOptions { AbsoluteTolerance = 0.01 });

        (await scorer.ScoreAsync(Ctx.Of("3.14159", "3.14"), TestContext.Current.CancellationToken)).Passed.Should().BeTrue();
        (await scorer.ScoreAsync(Ctx.Of("3.16", "3.14"), TestContext.Current.CancellationToken)).Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_RelativeTolerance_ScalesWithMagnitude()
    {
        var scorer = new NumericScorer(new NumericScorerOptions { RelativeTolerance = 0.01 });

        (await scorer.ScoreAsync(Ctx.Of("1005000", "1,000,000"), TestContext.Current.CancellationToken)).Passed.Should().BeTrue();
        (await scorer.ScoreAsync(Ctx.Of("1.02", "1"), TestContext.Current.CancellationToken)).Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_DefaultTolerance_RejectsSmallAbsoluteDifference()
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of("0.3001", "0.3"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_AnyReferenceMatches_Passes()
    {
        var score = await new NumericScorer().ScoreAsync(Ctx.Of("It's 7", "6", "7"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Score_PercentAsFraction_MatchesDecimalReference()
    {
        var scorer = new NumericScorer(new NumericScorerOptions { PercentAsFraction = true });

        (await scorer.ScoreAsync(Ctx.Of("It is 25%", "0.25"), TestContext.Current.CancellationToken)).Passed.Should().BeTrue();
        (await scorer.ScoreAsync(Ctx.Of("It is 25%", "25"), TestContext.Current.CancellationToken)).Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Score_FirstPosition_ReadsFirstNumber()
    {
        var scorer = new NumericScorer(new NumericScorerOptions { Position = NumberPosition.First });

        var score = await scorer.ScoreAsync(Ctx.Of("12 apples, 3 eaten", "12"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Fact]
    public void Constructor_NegativeTolerance_Throws()
    {
        var act = () => new NumericScorer(new NumericScorerOptions { AbsoluteTolerance = -1 });

        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
