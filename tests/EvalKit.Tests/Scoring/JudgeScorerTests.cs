using EvalKit.Scoring;
using EvalKit.Statistics;

namespace EvalKit.Tests.Scoring;

public class JudgeScorerTests
{
    [Theory]
    [InlineData("{\"score\": 4, \"reason\": \"mostly right\"}", 4, "mostly right")]
    [InlineData("```json\n{\"score\": \"3\", \"reason\": \"ok\"}\n```", 3, "ok")]
    [InlineData("Sure. {\"rating\": 2.5, \"explanation\": \"meh\"} Hope this helps {", 2.5, "meh")]
    [InlineData("Reasoning first {not json} then {\"Score\": 5}", 5, null)]
    [InlineData("Score: 4\nReason: clear and correct", 4, "clear and correct")]
    [InlineData("**Rating**: 3/5", 3, null)]
    [InlineData("The response is fine.\nFinal score: 2.", 2, null)]
    public void TryParseVerdict_Formats_ReadScoreAndReason(string verdict, double expected, string? reason)
    {
        JudgeScorer.TryParseVerdict(verdict, out var score, out var parsedReason).Should().BeTrue();

        score.Should().Be(expected);
        parsedReason.Should().Be(reason);
    }

    [Theory]
    [InlineData("I would rate it highly.")]
    [InlineData("{\"score\": \"high\"}")]
    [InlineData("{\"verdict\": 4}")]
    [InlineData("Score: excellent")]
    [InlineData("")]
    public void TryParseVerdict_Unreadable_ReturnsFalse(string verdict) =>
        JudgeScorer.TryParseVerdict(verdict, out _, out _).Should().BeFalse();

    [Fact]
    public async Task Score_JsonVerdict_RawValueLabelAndReason()
    {
        var judge = new ScriptedJudgeClient(_ => "{\"score\": 4, \"reason\": \"Correct but terse.\"}");
        var scorer = new JudgeScorer(judge);

        var score = await scorer.ScoreAsync(Ctx.Of("Paris", "Paris"), TestContext.Current.CancellationToken);

        score.Should().BeEquivalentTo(new { Name = "judge", Value = 4.0, Label = "4", Explanation = "Correct but terse.", Passed = (bool?)null });
    }

    [Fact]
    public async Task Score_Normalize_RescalesToUnitInterval()
    {
        var judge = new ScriptedJudgeClient(_ => "Score: 8");
        var scorer = new JudgeScorer(judge, new JudgeOptions { MinScore = 0, MaxScore = 10, Normalize = true, PassThreshold = 7, IncludeReason = false });

        var score = await scorer.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeApproximately(0.8, 1e-12);
        score.Passed.Should().BeTrue();
        score.Label.Should().Be("8");
    }

    [Theory]
    [InlineData("{\"score\": 7}")]
    [InlineData("{\"score\": 0}")]
    public async Task Score_OutOfScale_IsFailedWithRawVerdict(string verdict)
    {
        var scorer = new JudgeScorer(new ScriptedJudgeClient(_ => verdict));

        var score = await scorer.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("outside the scale").And.Contain(verdict);
    }

    [Fact]
    public async Task Score_Unparsable_IsFailedWithRawVerdictNotZero()
    {
        var scorer = new JudgeScorer(new ScriptedJudgeClient(_ => "This answer is quite good overall."));

        var score = await scorer.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Passed.Should().BeNull();
        score.Error.Should().Contain("This answer is quite good overall.");
    }

    [Fact]
    public async Task Score_CustomTemplate_FillsPlaceholdersOnce()
    {
        var judge = new ScriptedJudgeClient(_ => "{\"score\": 1}");
        var scorer = new JudgeScorer(judge, new JudgeOptions { PromptTemplate = "Q={{input}} A={{ output }} R={{reference}} S={{min}}-{{max}} U={{unknown}}" });

        await scorer.ScoreAsync(Ctx.WithInput("2+2?", "it is {{reference}}", "4", "four"), TestContext.Current.CancellationToken);

        judge.Prompts.Should().ContainSingle().Which.Should().Be("Q=2+2? A=it is {{reference}} R=4\nfour S=1-5 U={{unknown}}");
    }

    [Fact]
    public async Task Score_DefaultTemplate_ContainsAnswerAndNoneForMissingReference()
    {
        var judge = new ScriptedJudgeClient(_ => "{\"score\": 3}");

        await new JudgeScorer(judge).ScoreAsync(Ctx.WithInput("Tell a joke", "Why did the chicken..."), TestContext.Current.CancellationToken);

        var prompt = judge.Prompts.Single();
        prompt.Should().Contain("Tell a joke").And.Contain("Why did the chicken...").And.Contain("(none)").And.Contain("from 1 (worst) to 5 (best)");
    }

    [Fact]
    public void Constructor_TemplateWithoutOutput_Throws()
    {
        var act = () => new JudgeScorer(new ScriptedJudgeClient(_ => ""), new JudgeOptions { PromptTemplate = "Rate {{input}}" });

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Constructor_InvertedScale_Throws()
    {
        var act = () => new JudgeScorer(new ScriptedJudgeClient(_ => ""), new JudgeOptions { MinScore = 5, MaxScore = 1 });

        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public async Task Pairwise_ConsistentPreference_IsCountedOnceAcrossSwap()
    {
        // The judge prefers the response containing "good", wherever it is shown.
        var judge = new ScriptedJudgeClient(prompt =>
            Section(prompt, "[Response 1]").Contains("good", StringComparison.Ordinal) ? "{\"winner\": \"1\"}" : "{\"winner\": \"2\"}");
        var pairwise = new PairwiseJudge(judge);

        var verdict = await pairwise.CompareAsync("q", "bad answer", "good answer", cancellationToken: TestContext.Current.CancellationToken);

        verdict.Outcome.Should().Be(PairwiseOutcome.BWins);
        verdict.Consistent.Should().BeTrue();
        verdict.FirstOrder.Should().Be(PairwiseOutcome.BWins);
        verdict.SwappedOrder.Should().Be(PairwiseOutcome.BWins);
        judge.Prompts.Should().HaveCount(2);
        Section(judge.Prompts.First(), "[Response 1]").Should().Contain("bad answer");
        Section(judge.Prompts.Last(), "[Response 1]").Should().Contain("good answer");
    }

    [Fact]
    public async Task Pairwise_PositionBiasedJudge_GivesInconsistentTie()
    {
        var judge = new ScriptedJudgeClient(_ => "Winner: 1");
        var pairwise = new PairwiseJudge(judge);

        var verdict = await pairwise.CompareAsync("q", "a", "b", cancellationToken: TestContext.Current.CancellationToken);

        verdict.Outcome.Should().Be(PairwiseOutcome.Tie);
        verdict.Consistent.Should().BeFalse();
        verdict.FirstOrder.Should().Be(PairwiseOutcome.AWins);
        verdict.SwappedOrder.Should().Be(PairwiseOutcome.BWins);
    }

    [Fact]
    public async Task Pairwise_BothTies_IsConsistentTie()
    {
        var verdict = await new PairwiseJudge(new ScriptedJudgeClient(_ => "Both are equal. [[tie]]"))
            .CompareAsync("q", "a", "b", "ref", TestContext.Current.CancellationToken);

        verdict.Outcome.Should().Be(PairwiseOutcome.Tie);
        verdict.Consistent.Should().BeTrue();
    }

    [Fact]
    public async Task Pairwise_UnparsableVerdict_ThrowsWithRawReply()
    {
        var pairwise = new PairwiseJudge(new ScriptedJudgeClient(_ => "I cannot decide."));

        var act = () => pairwise.CompareAsync("q", "a", "b", cancellationToken: TestContext.Current.CancellationToken);

        await act.Should().ThrowAsync<EvalKitException>().WithMessage("*I cannot decide.*");
    }

    [Theory]
    [InlineData("{\"winner\": 2, \"reason\": \"x\"}", 2)]
    [InlineData("{\"winner\": \"Response 1\"}", 1)]
    [InlineData("{\"winner\": \"tie\"}", 0)]
    [InlineData("After thinking: [[2]]", 2)]
    [InlineData("**Winner:** 1", 1)]
    public void Pairwise_TryParseVerdict_Formats(string verdict, int expected)
    {
        PairwiseJudge.TryParseVerdict(verdict, out var position).Should().BeTrue();

        position.Should().Be(expected);
    }

    [Fact]
    public async Task Panel_MeanOfSuccessfulJudges_ListsFailures()
    {
        var panel = new JudgePanel(
        [
            new JudgeScorer(new ScriptedJudgeClient(_ => "{\"score\": 4}"), name: "judge-a"),
            new JudgeScorer(new ScriptedJudgeClient(_ => "{\"score\": 2}"), name: "judge-b"),
            new JudgeScorer(new ScriptedJudgeClient(_ => "no idea"), name: "judge-c"),
        ]);

        var score = await panel.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Name.Should().Be("judge_panel");
        score.Value.Should().Be(3);
        score.Explanation.Should().Contain("judge-a: 4").And.Contain("judge-c: failed");
    }

    [Fact]
    public async Task Panel_ThrowingJudge_BecomesFailedScore()
    {
        var panel = new JudgePanel(
        [
            new DelegateScorer("ok", _ => 1.0),
            new DelegateScorer("boom", _ => throw new InvalidOperationException("down")),
        ]);

        var each = await panel.ScoreEachAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        each[0].Value.Should().Be(1);
        each[1].Error.Should().Be("down");
    }

    [Fact]
    public async Task Panel_AllJudgesFail_IsFailedScore()
    {
        var panel = new JudgePanel([new JudgeScorer(new ScriptedJudgeClient(_ => "?"))]);

        var score = await panel.ScoreAsync(Ctx.Of("x"), TestContext.Current.CancellationToken);

        score.Value.Should().BeNull();
        score.Error.Should().Contain("Every judge failed");
    }

    [Fact]
    public void Panel_PassVerdicts_MajorityDecides()
    {
        var panel = new JudgePanel([new DelegateScorer("x", _ => 0)]);

        panel.Combine([Score.FromPass("a", true), Score.FromPass("b", true), Score.FromPass("c", false)]).Passed.Should().BeTrue();
        panel.Combine([Score.FromPass("a", true), Score.FromPass("b", false)]).Passed.Should().BeFalse();
    }

    [Fact]
    public void JudgeAgreement_Alpha_TreatsFailedScoresAsMissing()
    {
        static Score S(double? v) => v is { } x ? new Score { Name = "j", Value = x } : Score.Failed("j", "e");
        IReadOnlyList<Score>[] byCase =
        [
            [S(1), S(1)], [S(2), S(2)], [S(3), S(4)], [S(5), null!], [S(4), S(4)],
        ];
        byCase[3] = [S(5), S(null)];
        var data = new double[,] { { 1, 2, 3, 5, 4 }, { 1, 2, 4, double.NaN, 4 } };

        JudgeAgreement.KrippendorffAlpha(byCase, AgreementLevel.Interval).Should().Be(Agreement.KrippendorffAlpha(data, AgreementLevel.Interval));
    }

    [Fact]
    public void JudgeAgreement_Kappa_SkipsCasesNotScoredByBoth()
    {
        static Score S(double? v) => v is { } x ? new Score { Name = "j", Value = x } : Score.Failed("j", "e");
        Score[] a = [S(1), S(2), S(3), S(null), S(2)];
        Score[] b = [S(1), S(2), S(2), S(5), S(2)];

        JudgeAgreement.CohensKappa(a, b).Should().Be(Agreement.CohensKappa([1, 2, 3, 2], [1, 2, 2, 2]));
    }

    private static string Section(string prompt, string header)
    {
        var start = prompt.IndexOf(header, StringComparison.Ordinal) + header.Length;
        var end = prompt.IndexOf('[', start);
        return end < 0 ? prompt[start..] : prompt[start..end];
    }
}
