using EvalKit.Scoring;

namespace EvalKit.Tests.Scoring;

public class MultipleChoiceScorerTests
{
    [Theory]
    [InlineData("The answer is (B)", 'B')]
    [InlineData("The answer is B.", 'B')]
    [InlineData("B)", 'B')]
    [InlineData("B) Paris", 'B')]
    [InlineData("**C**", 'C')]
    [InlineData("Answer: d", 'D')]
    [InlineData("answer: **e**", 'E')]
    [InlineData("c", 'C')]
    [InlineData("(a)", 'A')]
    [InlineData("D.", 'D')]
    [InlineData("Looking at A and B, both are wrong. The correct option is **C**.", 'C')]
    [InlineData("A seems plausible but it is wrong.\nFinal answer: D", 'D')]
    [InlineData("First I thought (A), but the answer is (C).", 'C')]
    [InlineData("I'd go with **(B)** here.", 'B')]
    [InlineData("Between the options, (D) is right.", 'D')]
    [InlineData("The correct choice is: E", 'E')]
    public void TryExtractChoice_Variants_ReadLetter(string text, char expected)
    {
        var scorer = new MultipleChoiceScorer();

        scorer.TryExtractChoice(text, out var letter).Should().BeTrue();

        letter.Should().Be(expected);
    }

    [Theory]
    [InlineData("I am not sure.")]
    [InlineData("The answer is a bit unclear")]
    [InlineData("The answer is F")]
    [InlineData("")]
    public void TryExtractChoice_NoLetter_ReturnsFalse(string text) =>
        new MultipleChoiceScorer().TryExtractChoice(text, out _).Should().BeFalse();

    [Fact]
    public void TryExtractChoice_CustomLetters_AcceptsOnlyThose()
    {
        var scorer = new MultipleChoiceScorer("ABCDEFGH");

        scorer.TryExtractChoice("The answer is (G)", out var letter).Should().BeTrue();
        letter.Should().Be('G');
        new MultipleChoiceScorer("ABCD").TryExtractChoice("The answer is E", out _).Should().BeFalse();
    }

    [Fact]
    public void TryExtractChoice_DigitChoices_ReadDigit()
    {
        var scorer = new MultipleChoiceScorer("1234");

        scorer.TryExtractChoice("Answer: 3", out var letter).Should().BeTrue();
        letter.Should().Be('3');
    }

    [Fact]
    public async Task Score_MatchingLetter_PassesWithLabel()
    {
        var score = await new MultipleChoiceScorer().ScoreAsync(Ctx.Of("The answer is (b)", "B"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "multiple_choice", Passed = true, Value = 1.0, Label = "B" });
    }

    [Fact]
    public async Task Score_ReferenceInParentheses_IsRead()
    {
        var score = await new MultipleChoiceScorer().ScoreAsync(Ctx.Of("C", "(C)"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Score_WrongLetter_FailsWithExplanation()
    {
        var score = await new MultipleChoiceScorer().ScoreAsync(Ctx.Of("Answer: A", "D"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Label.Should().Be("A");
        score.Explanation.Should().Contain("D");
    }

    [Fact]
    public async Task Score_NoLetterInAnswer_FailsNotError()
    {
        var score = await new MultipleChoiceScorer().ScoreAsync(Ctx.Of("I refuse to answer", "A"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Error.Should().BeNull();
        score.Label.Should().BeNull();
    }

    [Fact]
    public async Task Score_ReferenceNotALetter_IsFailedScore()
    {
        var score = await new MultipleChoiceScorer("ABCD").ScoreAsync(Ctx.Of("A", "Paris"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("ABCD");
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAB")]
    [InlineData("A-B")]
    public void Constructor_InvalidLetters_Throws(string letters)
    {
        var act = () => new MultipleChoiceScorer(letters);

        act.Should().Throw<ArgumentException>();
    }
}
