using System.Text.RegularExpressions;
using EvalKit.Scoring;

namespace EvalKit.Tests.Scoring;

public class BasicScorerTests
{
    [Fact]
    public async Task Contains_ReferenceInsideAnswer_Passes()
    {
        var score = await new ContainsScorer().ScoreAsync(Ctx.Of("I think Paris is right", "Paris"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "contains", Value = 1.0, Passed = true });
    }

    [Fact]
    public async Task Contains_CaseDiffersWithoutNormalization_Fails()
    {
        var strict = await new ContainsScorer().ScoreAsync(Ctx.Of("paris", "Paris"), TestContext.Current.CancellationToken);
        var lenient = await new ContainsScorer(TextNormalization.IgnoreCase).ScoreAsync(Ctx.Of("paris", "Paris"), TestContext.Current.CancellationToken);

        strict.Passed.Should().BeFalse();
        lenient.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Contains_AnyOfSeveralReferences_Passes()
    {
        var score = await new ContainsScorer().ScoreAsync(Ctx.Of("It is Lutetia.", "Paris", "Lutetia"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Fact]
    public void Contains_EmptyReference_NeverMatches() =>
        ContainsScorer.Matches("anything", [""], TextNormalization.None).Should().BeFalse();

    [Fact]
    public async Task Contains_NoReference_IsFailedScore()
    {
        var score = await new ContainsScorer().ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("case-1");
    }

    [Fact]
    public async Task StartsWith_DefaultTrim_IgnoresLeadingSpace()
    {
        var score = await new StartsWithScorer().ScoreAsync(Ctx.Of("   Yes, because...", "Yes"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "starts_with", Passed = true });
    }

    [Fact]
    public async Task StartsWith_ReferenceInMiddle_Fails()
    {
        var score = await new StartsWithScorer().ScoreAsync(Ctx.Of("Well, yes", "yes"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task StartsWith_Lenient_IgnoresCaseAndPunctuation()
    {
        var score = await new StartsWithScorer(TextNormalization.Lenient).ScoreAsync(Ctx.Of("**YES**. Definitely", "yes"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Regex_FixedPattern_PassesWithMatchInLabel()
    {
        var scorer = new RegexScorer(@"\d{4}-\d{2}-\d{2}");

        var score = await scorer.ScoreAsync(Ctx.Of("Released on 2024-03-15."), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
        score.Label.Should().Be("2024-03-15");
    }

    [Fact]
    public async Task Regex_FixedPatternNoMatch_FailsWithExplanation()
    {
        var score = await new RegexScorer("^yes$", RegexOptions.IgnoreCase).ScoreAsync(Ctx.Of("no"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Explanation.Should().Contain("^yes$");
    }

    [Fact]
    public async Task Regex_FromReferences_UsesEachReferenceAsPattern()
    {
        var scorer = RegexScorer.FromReferences(RegexOptions.IgnoreCase);

        var pass = await scorer.ScoreAsync(Ctx.Of("The capital is PARIS", "^london", "paris$"), TestContext.Current.CancellationToken);
        var fail = await scorer.ScoreAsync(Ctx.Of("The capital is Rome", "^london", "paris$"), TestContext.Current.CancellationToken);

        scorer.Pattern.Should().BeNull();
        pass.Passed.Should().BeTrue();
        fail.Passed.Should().BeFalse();
    }

    [Fact]
    public async Task Regex_InvalidReferencePattern_IsFailedScore()
    {
        var score = await RegexScorer.FromReferences().ScoreAsync(Ctx.Of("abc", "(unclosed"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("not a valid pattern");
    }

    [Fact]
    public async Task Regex_CatastrophicBacktracking_TimesOutAsFailedScore()
    {
        var scorer = new RegexScorer("^(a+)+$", timeout: TimeSpan.FromMilliseconds(20));

        var score = await scorer.ScoreAsync(Ctx.Of(new string('a', 40) + "!"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("timed out");
    }

    [Fact]
    public void Regex_InvalidFixedPattern_Throws()
    {
        var act = () => new RegexScorer("(");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Regex_NonPositiveTimeout_Throws()
    {
        var act = () => new RegexScorer("a", timeout: TimeSpan.Zero);

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Delegate_AsyncFunction_RenamesScoreToScorerName()
    {
        var scorer = new DelegateScorer("custom", (ctx, _) => ValueTask.FromResult(Score.FromPass("other", ctx.Output.Length > 2)));

        var score = await scorer.ScoreAsync(Ctx.Of("long"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "custom", Passed = true, Value = 1.0 });
    }

    [Fact]
    public async Task Delegate_ValueFunctionWithThreshold_SetsPassed()
    {
        var scorer = new DelegateScorer("length", ctx => ctx.Output.Length, passThreshold: 5);

        var shortScore = await scorer.ScoreAsync(Ctx.Of("abc"), TestContext.Current.CancellationToken);
        var longScore = await scorer.ScoreAsync(Ctx.Of("abcdef"), TestContext.Current.CancellationToken);

        shortScore.Should().BeEquivalentTo(new { Value = 3.0, Passed = false });
        longScore.Should().BeEquivalentTo(new { Value = 6.0, Passed = true });
    }

    [Fact]
    public async Task Delegate_ValueFunctionWithoutThreshold_LeavesPassedNull()
    {
        var score = await new DelegateScorer("v", _ => 0.25).ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().Be(0.25);
        score.Passed.Should().BeNull();
    }

    [Fact]
    public async Task Delegate_NaN_IsFailedScore()
    {
        var score = await new DelegateScorer("v", _ => double.NaN).ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("NaN");
    }

    [Fact]
    public async Task Delegate_ThrowingFunction_Propagates()
    {
        var scorer = new DelegateScorer("v", _ => throw new InvalidOperationException("boom"));

        var act = async () => await scorer.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<InvalidOperationException>().WithMessage("boom");
    }

    [Theory]
    [InlineData("{\"a\": 1}")]
    [InlineData("[1, 2, 3]")]
    [InlineData("\"text\"")]
    [InlineData("```json\n{\"a\": [true, null]}\n```")]
    [InlineData("Here you go:\n```\n{\"a\": 1}\n```\nAnything else?")]
    public async Task JsonValidity_ValidJson_Passes(string output)
    {
        var score = await new JsonValidityScorer().ScoreAsync(Ctx.Of(output), TestContext.Current.CancellationToken);

        score.Passed.Should().BeTrue();
    }

    [Theory]
    [InlineData("{\"a\": 1,}")]
    [InlineData("{'a': 1}")]
    [InlineData("{\"a\": 1} trailing")]
    [InlineData("")]
    [InlineData("Sure! {\"a\": 1}")]
    public async Task JsonValidity_InvalidJson_FailsWithParserMessage(string output)
    {
        var score = await new JsonValidityScorer().ScoreAsync(Ctx.Of(output), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Value.Should().Be(0);
        score.Error.Should().BeNull();
        score.Explanation.Should().StartWith("Not valid JSON");
    }

    [Fact]
    public async Task JsonValidity_FenceWithoutStripping_Fails()
    {
        var score = await new JsonValidityScorer(stripCodeFences: false).ScoreAsync(Ctx.Of("```json\n{}\n```"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
    }

    private const string PersonSchema = """
        {
          "type": "object",
          "properties": {
            "name": { "type": "string", "minLength": 1 },
            "age": { "type": "integer", "minimum": 0 },
            "email": { "type": "string", "format": "email" }
          },
          "required": ["name", "age"],
          "additionalProperties": false
        }
        """;

    [Fact]
    public async Task JsonSchema_ConformingAnswer_Passes()
    {
        var score = await new JsonSchemaScorer(PersonSchema).ScoreAsync(Ctx.Of("```json\n{\"name\": \"Ada\", \"age\": 36}\n```"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "json_schema", Passed = true, Value = 1.0 });
    }

    [Fact]
    public async Task JsonSchema_SeveralViolations_ListsEachWithLocation()
    {
        var score = await new JsonSchemaScorer(PersonSchema).ScoreAsync(
            Ctx.Of("{\"age\": -3, \"nickname\": \"x\", \"email\": \"not-an-email\"}"),
            TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        var lines = score.Explanation!.Split('\n');
        lines.Should().HaveCountGreaterThanOrEqualTo(4);
        score.Explanation.Should().Contain("name").And.Contain("/age").And.Contain("nickname").And.Contain("/email");
    }

    [Fact]
    public async Task JsonSchema_WrongType_ReportsTypeError()
    {
        var score = await new JsonSchemaScorer(PersonSchema).ScoreAsync(Ctx.Of("[1,2]"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Explanation.Should().Contain("/:").And.Contain("array");
    }

    [Fact]
    public async Task JsonSchema_InvalidJson_FailsWithParserMessage()
    {
        var score = await new JsonSchemaScorer(PersonSchema).ScoreAsync(Ctx.Of("{name: Ada}"), TestContext.Current.CancellationToken);

        score.Passed.Should().BeFalse();
        score.Explanation.Should().StartWith("Not valid JSON");
    }

    [Fact]
    public void JsonSchema_InvalidSchema_Throws()
    {
        var act = () => new JsonSchemaScorer("{ not json");

        act.Should().Throw<ArgumentException>().WithParameterName("schema");
    }

    [Fact]
    public void JsonSchema_ConcurrentScoring_GivesConsistentResults()
    {
        var scorer = new JsonSchemaScorer(PersonSchema);
        var scores = new Score[200];

        Parallel.For(0, scores.Length, i => scores[i] = scorer.ScoreAsync(
            Ctx.Of(i % 2 == 0 ? "{\"name\": \"Ada\", \"age\": 36}" : "{\"name\": \"\", \"age\": 1.5}")).AsTask().GetAwaiter().GetResult());

        scores.Where((s, i) => s.Passed != (i % 2 == 0)).Should().BeEmpty();
    }
}
