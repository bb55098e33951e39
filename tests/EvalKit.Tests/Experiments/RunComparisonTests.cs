using EvalKit.Comparisons;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Statistics;
using static EvalKit.Tests.Experiments.ExperimentKit;

namespace EvalKit.Tests.Experiments;

public sealed class RunComparisonTests : IAsyncDisposable
{
    private readonly ExperimentKit _kit = new();

    private IExperimentService Experiments => _kit.Host.Experiments;

    public ValueTask DisposeAsync() => _kit.DisposeAsync();

    private static bool ARight(int i) => i % 10 is not (0 or 1);

    private static bool BRight(int i) => i % 2 == 1;

    private static bool CRight(int i) => i % 10 != 0;

    private async Task<(EvaluationRun A, EvaluationRun B, EvaluationRun C)> ThreeRunsAsync(int n)
    {
        await _kit.BenchmarkAsync(cases: n, scorers: ["exact_match", "closeness"]);
        await _kit.AddModelAsync(A, Correct(ARight, 100, 10), new EvalKit.Registry.ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 2 });
        await _kit.AddModelAsync(B, Correct(BRight, 100, 10), new EvalKit.Registry.ModelPricing { InputPerMillionTokens = 3, OutputPerMillionTokens = 6 });
        await _kit.AddModelAsync(C, Correct(CRight, 100, 10));
        return (await _kit.RunAsync(A, "arith"), await _kit.RunAsync(B, "arith"), await _kit.RunAsync(C, "arith"));
    }

    [Fact]
    public async Task CompareRuns_EveryPairOfEveryMetric_WithHolmAdjustedMcNemarAndTheFlippedCases()
    {
        const int n = 100;
        var (a, b, c) = await ThreeRunsAsync(n);

        var comparison = await Experiments.CompareRunsAsync([a.Id, b.Id, c.Id], cancellationToken: Ct);

        comparison.DatasetId.Should().Be(a.DatasetId);
        comparison.Runs.Select(r => r.Label).Should().Equal(A, B, C);
        comparison.PrimaryMetric.Should().Be("exact_match");
        comparison.Metrics.Select(m => m.Metric).Should().Equal("exact_match", "closeness");
        var primary = comparison.Primary;
        primary.Pairs.Select(p => (p.ModelA, p.ModelB)).Should().Equal((A, B), (A, C), (B, C));
        var raw = new (Func<int, bool>, Func<int, bool>)[] { (ARight, BRight), (ARight, CRight), (BRight, CRight) }
            .Select(p => HypothesisTests.McNemar(Enumerable.Range(0, n).Count(i => p.Item1(i) && !p.Item2(i)), Enumerable.Range(0, n).Count(i => !p.Item1(i) && p.Item2(i))).PValue)
            .ToArray();
        primary.Pairs.Select(p => p.PValue).Should().Equal(raw);
        primary.Pairs.Select(p => p.AdjustedPValue).Should().Equal(MultipleComparisons.Holm(raw));
        primary.Pairs.Should().OnlyContain(p => p.TestName == "McNemar exact" && p.CountA == n);
        primary.Pairs[0].Latency.Should().NotBeNull();
        primary.Pairs[0].Cost!.MeanDifference.Should().BeApproximately((100 + 20 - 300 - 60) / 1e6, 1e-12);

        var flips = comparison.Flips.Should().HaveCount(3).And.Subject.First();
        flips.LabelA.Should().Be(A);
        flips.LabelB.Should().Be(B);
        flips.PassToFail.Select(f => f.CaseId).Should().Equal(Enumerable.Range(0, n).Where(i => ARight(i) && !BRight(i)).Select(i => $"case-{i}"));
        flips.FailToPass.Select(f => f.CaseId).Should().Equal(Enumerable.Range(0, n).Where(i => !ARight(i) && BRight(i)).Select(i => $"case-{i}"));
        flips.PassToFail.Should().OnlyContain(f => f.ValueA == 1 && f.ValueB == 0);
        comparison.Verdict.Should().Be(primary.Verdict);
        comparison.ToText().Should().Contain("pass -> fail").And.Contain(primary.Verdict).And.Contain("closeness");
    }

    [Fact]
    public async Task CompareRuns_BenjaminiHochbergAndLabels_AreApplied()
    {
        var (a, b, c) = await ThreeRunsAsync(60);

        var comparison = await Experiments.CompareRunsAsync(
            [a.Id, b.Id, c.Id],
            new RunComparisonOptions { Correction = PValueCorrection.BenjaminiHochberg, Metrics = ["exact_match"], Labels = new Dictionary<string, string> { [a.Id] = "baseline" }, Alpha = 0.1 },
            Ct);

        comparison.Metrics.Should().ContainSingle();
        comparison.Runs.Select(r => r.Label).Should().Equal("baseline", B, C);
        var pairs = comparison.Primary.Pairs;
        pairs.Select(p => p.AdjustedPValue).Should().Equal(MultipleComparisons.BenjaminiHochberg(pairs.Select(p => p.PValue).ToArray()));
        comparison.Correction.Should().Be(PValueCorrection.BenjaminiHochberg);
        comparison.Alpha.Should().Be(0.1);
    }

    [Fact]
    public async Task CompareRuns_TheSameModelTwice_GetsDistinctLabels()
    {
        await _kit.BenchmarkAsync(cases: 20);
        await _kit.AddModelAsync(A, Correct(i => i % 4 != 0));
        var first = await _kit.RunAsync(A, "arith");
        var second = await _kit.RunAsync(A, "arith");

        var comparison = await Experiments.CompareRunsAsync([first.Id, second.Id], cancellationToken: Ct);

        comparison.Runs.Select(r => r.Label).Should().OnlyHaveUniqueItems().And.OnlyContain(l => l.StartsWith(A, StringComparison.Ordinal));
        comparison.Primary.Pairs[0].MeanDifference.Should().Be(0);
        comparison.Flips[0].PassToFail.Should().BeEmpty();
    }

    [Fact]
    public async Task CompareRuns_BadInput_NamesTheProblem()
    {
        var (a, b, _) = await ThreeRunsAsync(20);
        await _kit.BenchmarkAsync("other", cases: 10);
        var other = await _kit.RunAsync(A, "other");

        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id], cancellationToken: Ct)).Should().ThrowAsync<ArgumentException>().WithMessage("*at least two distinct*");
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, a.Id], cancellationToken: Ct)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, "ghost-1", "ghost-2"], cancellationToken: Ct))
            .Should().ThrowAsync<NotFoundException>().WithMessage("*'ghost-1', 'ghost-2'*");
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, other.Id], cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage($"*same dataset version*'{other.Id}' evaluated 'other@1'*");
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, b.Id], new RunComparisonOptions { Metrics = ["bleu"] }, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*'bleu'*not scored in every run*exact_match, closeness*");
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, b.Id], new RunComparisonOptions { Alpha = 0 }, Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*Alpha must be in (0, 1)*");

        await _kit.Host.Storage.Runs.UpdateAsync(b with { Status = RunStatus.Cancelled }, Ct);
        await FluentActions.Awaiting(() => Experiments.CompareRunsAsync([a.Id, b.Id], cancellationToken: Ct))
            .Should().ThrowAsync<InvalidOperationException>().WithMessage($"*run '{b.Id}' (local/b) is Cancelled*");
    }
}
