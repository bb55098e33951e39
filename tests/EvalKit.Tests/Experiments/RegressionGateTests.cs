using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Statistics;
using static EvalKit.Tests.Experiments.ExperimentKit;

namespace EvalKit.Tests.Experiments;

public sealed class RegressionGateTests : IAsyncDisposable
{
    private readonly ExperimentKit _kit = new();

    private IExperimentService Experiments => _kit.Host.Experiments;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    /// <summary>P(X &gt;= k) for X ~ Binomial(n, 1/2), summed exactly with big integers.</summary>
    private static double UpperTail(int k, int n)
    {
        var sum = System.Numerics.BigInteger.Zero;
        var coefficient = System.Numerics.BigInteger.One;
        for (var j = 0; j <= n; j++)
        {
            if (j >= k)
            {
                sum += coefficient;
            }

            coefficient = coefficient * (n - j) / (j + 1);
        }

        return (double)sum / Math.Pow(2, n);
    }

    private async Task<(EvaluationRun Baseline, EvaluationRun Candidate)> RunsAsync(Func<int, bool> baselineRight, Func<int, bool> candidateRight, int n = 100, string candidateId = B)
    {
        await _kit.BenchmarkAsync(cases: n, scorers: ["exact_match", "closeness"]);
        await _kit.AddModelAsync(A, Correct(baselineRight));
        await _kit.AddModelAsync(candidateId, Correct(candidateRight));
        return (await _kit.RunAsync(A, "arith"), await _kit.RunAsync(candidateId, "arith"));
    }

    [Fact]
    public async Task Gate_CandidateSignificantlyWorse_FailsWithTheOneSidedExactTestAndAReadableReport()
    {
        const int n = 100;
        static bool baseRight(int i) => i % 10 != 0;
        static bool candRight(int i) => i % 10 is not (0 or 1 or 2);
        var (baseline, candidate) = await RunsAsync(baseRight, candRight, n);
        var gate = new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id };

        var result = await Experiments.CheckRegressionAsync(gate, Ct);

        var worse = Enumerable.Range(0, n).Count(i => baseRight(i) && !candRight(i));
        var better = Enumerable.Range(0, n).Count(i => !baseRight(i) && candRight(i));
        worse.Should().Be(20);
        better.Should().Be(0);
        result.Passed.Should().BeFalse();
        result.Metric.Should().Be("exact_match");
        result.TestName.Should().Be("McNemar exact (one-sided)");
        result.PValue.Should().BeApproximately(UpperTail(worse, worse + better), 1e-15);
        result.SignificantlyWorse.Should().BeTrue();
        result.PairedCases.Should().Be(n);
        result.MeanDifference.Should().BeApproximately(-0.2, 1e-12);
        result.BaselineMean.Should().BeApproximately(0.9, 1e-12);
        result.CandidateMean.Should().BeApproximately(0.7, 1e-12);
        result.ConfidenceInterval.Upper.Should().BeLessThan(0);
        result.PassToFail.Select(c => c.CaseId).Should().Equal(Enumerable.Range(0, n).Where(i => baseRight(i) && !candRight(i)).Select(i => $"case-{i}"));
        result.FailToPass.Should().BeEmpty();
        result.Checks.Should().ContainSingle().Which.Passed.Should().BeFalse();
        result.Report.Should().StartWith("Regression gate FAILED on 'exact_match'").And.Contain("[FAIL] not significantly worse")
            .And.Contain(baseline.Id).And.Contain(candidate.Id).And.Contain("case-1, case-2, case-11");

        var thrown = await FluentActions.Awaiting(() => Experiments.EnsureNoRegressionAsync(gate, Ct)).Should().ThrowAsync<RegressionException>();
        thrown.Which.Message.Should().Be(result.Report);
        thrown.Which.Result.Should().BeEquivalentTo(result);
    }

    [Fact]
    public async Task Gate_CandidateBetterOrEqual_Passes()
    {
        var (baseline, candidate) = await RunsAsync(i => i % 5 != 0, i => i % 10 != 0);

        var result = await Experiments.EnsureNoRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id }, Ct);

        result.Passed.Should().BeTrue();
        result.SignificantlyWorse.Should().BeFalse();
        result.PValue.Should().Be(1, "no discordant case goes the candidate's way down");
        result.FailToPass.Should().HaveCount(10);
        result.Report.Should().StartWith("Regression gate PASSED");

        var same = await Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = (await _kit.RunAsync(A, "arith")).Id }, Ct);
        same.Passed.Should().BeTrue();
        same.MeanDifference.Should().Be(0);
    }

    [Fact]
    public async Task Gate_SmallDropThatIsNotSignificant_PassesUnlessAThresholdIsMissed()
    {
        var (baseline, candidate) = await RunsAsync(i => i % 10 != 0, i => i % 10 != 0 && i != 5);
        var gate = new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id };

        (await Experiments.CheckRegressionAsync(gate, Ct)).Passed.Should().BeTrue();

        var minimum = await Experiments.CheckRegressionAsync(gate with { MinimumScore = 0.9 }, Ct);
        minimum.Passed.Should().BeFalse();
        minimum.SignificantlyWorse.Should().BeFalse();
        minimum.Checks.Select(c => (c.Name, c.Passed)).Should().Equal(("not significantly worse", true), ("minimum score", false));
        minimum.Report.Should().Contain("[FAIL] minimum score: candidate mean 0.8900 < minimum 0.9");

        var drop = await Experiments.CheckRegressionAsync(gate with { MaximumDecrease = 0.005 }, Ct);
        drop.Passed.Should().BeFalse();
        drop.Checks[^1].Name.Should().Be("maximum decrease");
        (await Experiments.CheckRegressionAsync(gate with { MaximumDecrease = 0.02, MinimumScore = 0.85 }, Ct)).Passed.Should().BeTrue();
    }

    [Fact]
    public async Task Gate_ContinuousMetric_UsesTheOneSidedPairedTWithThirtyPairsAndWilcoxonBelow()
    {
        var (baseline, candidate) = await RunsAsync(_ => true, i => i % 3 != 0, n: 40);
        var gate = new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id, Metric = "closeness" };

        var result = await Experiments.CheckRegressionAsync(gate, Ct);

        // closeness: 1 for a right answer, 1/2 for an answer off by one.
        var baseValues = Enumerable.Repeat(1.0, 40).ToArray();
        var candValues = Enumerable.Range(0, 40).Select(i => i % 3 != 0 ? 1.0 : 0.5).ToArray();
        result.TestName.Should().Be("paired t (one-sided)");
        result.PValue.Should().BeApproximately(HypothesisTests.PairedTTest(candValues, baseValues, Alternative.Less).PValue, 1e-12);
        result.Passed.Should().BeFalse();
        var expected = ConfidenceIntervals.StudentT(candValues.Average() - 1, StandardErrors.Paired(candValues, baseValues), 39, 0.95);
        result.ConfidenceInterval.Lower.Should().BeApproximately(expected.Lower, 1e-12);
        result.ConfidenceInterval.Upper.Should().BeApproximately(expected.Upper, 1e-12);

        await using var small = new ExperimentKit();
        await small.BenchmarkAsync(cases: 12, scorers: ["closeness"]);
        await small.AddModelAsync(A, Correct(_ => true));
        await small.AddModelAsync(B, Answering(i => i % 2 == 0 ? 0 : i));
        var (x, y) = (await small.RunAsync(A, "arith"), await small.RunAsync(B, "arith"));
        var wilcoxon = await small.Host.Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = x.Id, CandidateRunId = y.Id }, Ct);
        var cand = Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? 1.0 : 1.0 / (1 + i)).ToArray();
        wilcoxon.TestName.Should().Be("Wilcoxon signed-rank (one-sided)");
        wilcoxon.PValue.Should().BeApproximately(HypothesisTests.Wilcoxon(cand, Enumerable.Repeat(1.0, 12).ToArray(), Alternative.Less).PValue, 1e-12);
    }

    [Fact]
    public async Task Gate_MaximumErrorRate_CountsFailedCalls()
    {
        await _kit.BenchmarkAsync(cases: 20);
        await _kit.AddModelAsync(A, Correct(_ => true));
        await _kit.AddModelAsync(B, new EvalKit.Storage.Specification.Tests.FakeChatClient((messages, _, _) =>
        {
            var i = CaseNumber(messages.Last().Text);
            return i < 4
                ? throw new ModelCallException(ErrorCategory.Fatal, "bad request")
                : Task.FromResult(new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, (2 * i).ToString(Inv))));
        }));
        var baseline = await _kit.RunAsync(A, "arith");
        var candidate = await _kit.RunAsync(B, "arith");

        var result = await Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id, MaximumErrorRate = 0.1 }, Ct);

        result.Passed.Should().BeFalse();
        result.Checks.Single(c => c.Name == "maximum error rate").Detail.Should().Contain("4 of 20 calls failed");
        result.PairedCases.Should().Be(16);
        result.PassToFail.Select(c => c.CaseId).Should().Equal("case-0", "case-1", "case-2", "case-3");
        result.PassToFail.Should().OnlyContain(c => c.ValueB == null);
    }

    [Fact]
    public async Task Gate_BadInput_NamesTheProblem()
    {
        var (baseline, candidate) = await RunsAsync(_ => true, _ => true, n: 10);
        await _kit.BenchmarkAsync("other", cases: 5);
        var other = await _kit.RunAsync(A, "other");

        await FluentActions.Awaiting(() => Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = baseline.Id, Alpha = 0, MaximumErrorRate = 2 }, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*same run*Alpha must be in (0, 1)*maximum error rate must be in [0, 1]*");
        await FluentActions.Awaiting(() => Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = other.Id }, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*same dataset version*");
        await FluentActions.Awaiting(() => Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = baseline.Id, CandidateRunId = candidate.Id, Metric = "bleu" }, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*has a value for metric 'bleu'. Metrics present: closeness, exact_match*");
        await FluentActions.Awaiting(() => Experiments.CheckRegressionAsync(new RegressionGate { BaselineRunId = "missing", CandidateRunId = candidate.Id }, Ct))
            .Should().ThrowAsync<NotFoundException>().WithMessage("*'missing'*");
    }
}
