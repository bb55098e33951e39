using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Statistics;

namespace EvalKit.Tests.Metrics;

public sealed class RunMetricsTests
{
    private static readonly DateTimeOffset Completed = new(2026, 2, 3, 4, 5, 6, TimeSpan.Zero);

    private static MetricSummary Metric(string name, double mean, int n = 10) => new()
    {
        Name = name,
        Mean = mean,
        StandardDeviation = 0.1,
        StandardError = 0.03,
        ConfidenceInterval = new Interval(mean - 0.06, mean + 0.06),
        N = n,
    };

    private static EvaluationSummary Summary() => new()
    {
        Metrics = new Dictionary<string, MetricSummary>
        {
            ["exact_match"] = Metric("exact_match", 0.75),
            ["bleu"] = Metric("bleu", 31.5),
            ["judge"] = Metric("judge", double.NaN, n: 0),
        },
        Latency = new LatencySummary(40, TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(450)),
        Total = 40,
        Succeeded = 38,
        Failed = 2,
        Retries = 5,
        RetryRate = 0.1,
        InputTokens = 4_000,
        OutputTokens = 900,
        TotalCost = 0.019m,
        Throughput = 12.5,
    };

    [Fact]
    public void FromSummary_WritesScoreMeansLatencyCostTokensAndRates_WithTheRunIdAndTags()
    {
        var points = RunMetrics.FromSummary(Summary(), "openai/gpt", "run-7", Completed, benchmarkId: "qa@1", datasetId: "qa-data@1");

        points.ToDictionary(p => p.Name, p => p.Value).Should().Equal(new Dictionary<string, double>
        {
            ["bleu"] = 31.5,
            ["exact_match"] = 0.75,
            [MetricNames.RunLatencyMeanMs] = 120,
            [MetricNames.RunLatencyP50Ms] = 100,
            [MetricNames.RunLatencyP95Ms] = 300,
            [MetricNames.RunLatencyP99Ms] = 450,
            [MetricNames.RunCostTotal] = 0.019,
            [MetricNames.RunCostPerRequest] = (double)(0.019m / 38),
            [MetricNames.RunInputTokens] = 4_000,
            [MetricNames.RunOutputTokens] = 900,
            [MetricNames.RunErrorRate] = 0.05,
            [MetricNames.RunSuccessRate] = 0.95,
            [MetricNames.RunRetryRate] = 0.1,
            [MetricNames.RunThroughput] = 12.5,
        });
        points.Take(2).Select(p => p.Name).Should().Equal("bleu", "exact_match");
        points.Should().AllSatisfy(p =>
        {
            p.ModelId.Should().Be("openai/gpt");
            p.RunId.Should().Be("run-7");
            p.Timestamp.Should().Be(Completed);
            p.Tags.Should().Equal(new Dictionary<string, string> { ["source"] = "evaluation", ["benchmark"] = "qa@1", ["dataset"] = "qa-data@1" });
        });
    }

    [Fact]
    public void FromSummary_LeavesOutWhatTheSummaryDoesNotHave()
    {
        var summary = new EvaluationSummary { Metrics = new Dictionary<string, MetricSummary>(), Total = 0, Succeeded = 0, Failed = 0, Retries = 0 };

        RunMetrics.FromSummary(summary, "m", "r", Completed).Should().BeEmpty();
        RunMetrics.FromSummary(summary with { Total = 4, Succeeded = 4 }, "m", "r", Completed).Select(p => p.Name)
            .Should().Equal(MetricNames.RunErrorRate, MetricNames.RunSuccessRate, MetricNames.RunRetryRate);
    }

    [Fact]
    public void FromRun_UsesTheRunsModelCompletionAndBenchmark_AndRefusesUnfinishedRuns()
    {
        var run = new EvaluationRun
        {
            Id = "run-9",
            ModelId = "m",
            DatasetId = "d@1",
            BenchmarkId = "b@1",
            Options = new EvaluationOptions(),
            Status = RunStatus.Completed,
            CompletedAt = Completed,
            Summary = Summary(),
        };

        var points = RunMetrics.FromRun(run);

        points.Should().NotBeEmpty().And.AllSatisfy(p => (p.ModelId, p.RunId, p.Timestamp, p.Tags["benchmark"], p.Tags["dataset"]).Should().Be(("m", "run-9", Completed, "b@1", "d@1")));
        FluentActions.Invoking(() => RunMetrics.FromRun(run with { Summary = null })).Should().Throw<ArgumentException>().WithMessage("*no summary*").Which.ParamName.Should().Be("run");
        FluentActions.Invoking(() => RunMetrics.FromRun(run with { CompletedAt = null })).Should().Throw<ArgumentException>().WithMessage("*completion*").Which.ParamName.Should().Be("run");
        FluentActions.Invoking(() => RunMetrics.FromSummary(Summary(), " ", "r", Completed)).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("modelId");
    }
}
