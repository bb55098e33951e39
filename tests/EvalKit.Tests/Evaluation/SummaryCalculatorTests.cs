using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Statistics;

namespace EvalKit.Tests.Evaluation;

public sealed class SummaryCalculatorTests
{
    private static readonly EvaluationRun Run = new()
    {
        Id = "r", ModelId = "m", DatasetId = "d", Scorers = ["quality"], Options = new EvaluationOptions { Repetitions = 3 }, TotalCount = 300,
    };

    private static List<CaseResult> Results()
    {
        var results = new List<CaseResult>();
        for (var i = 0; i < 100; i++)
        {
            for (var r = 0; r < 3; r++)
            {
                var failed = (i * 7 + r) % 23 == 0;
                results.Add(new CaseResult
                {
                    RunId = "r", CaseOrdinal = i, CaseId = $"c{i}", Repetition = r, Group = i % 10 == 0 ? null : $"g{i % 7}",
                    Output = failed ? null : "x",
                    Scores = failed ? [] : [new Score { Name = "quality", Value = Math.Sin(i * 0.37 + r) * 0.1 + 0.5 }],
                    Latency = failed ? null : TimeSpan.FromMilliseconds(1 + ((i * 13 + r) % 17)),
                    InputTokens = 10, OutputTokens = i % 5 == 0 ? null : 3, Cost = i % 5 == 0 ? null : 0.001m,
                    Error = failed ? new CaseError(ErrorCategory.Transient, "503") : null,
                    RetryCount = failed ? 2 : i % 11 == 0 ? 1 : 0,
                });
            }
        }

        return results;
    }

    private static EvaluationSummary Summarize(IEnumerable<CaseResult> results)
    {
        var calculator = new SummaryCalculator(Run.Scorers, 3, 100);
        foreach (var result in results)
        {
            calculator.Add(result);
        }

        return calculator.Build(Run, 0.95);
    }

    [Fact]
    public void Build_ResultsInAnyOrder_GiveTheIdenticalSummary()
    {
        var ordered = Summarize(Results());
        var shuffled = Results().ToArray();
        new Random(7).Shuffle(shuffled);

        Summarize(shuffled).Should().BeEquivalentTo(ordered, o => o.ComparingByMembers<EvaluationSummary>());
        Summarize(shuffled).Metrics["quality"].Mean.Should().Be(ordered.Metrics["quality"].Mean, "bit for bit");
    }

    [Fact]
    public void Build_AveragesRepetitionsPerCase_ThenClustersByGroup()
    {
        var results = Results();
        var summary = Summarize(results);

        var perCase = results.Where(r => r.Error is null).GroupBy(r => r.CaseOrdinal).OrderBy(g => g.Key)
            .Select(g => (Mean: g.Average(r => r.Scores[0].Value!.Value), Group: g.First().Group)).ToList();
        var metric = summary.Metrics["quality"];
        metric.N.Should().Be(perCase.Count);
        metric.Mean.Should().BeApproximately(perCase.Average(c => c.Mean), 1e-12);
        var clusterIds = perCase.Select((c, i) => c.Group ?? $"single-{i}").ToList();
        metric.StandardError.Should().BeApproximately(StandardErrors.Clustered(perCase.Select(c => c.Mean).ToArray(), clusterIds), 1e-12);
        metric.Clusters.Should().Be(clusterIds.Distinct().Count());

        summary.Total.Should().Be(300);
        summary.Failed.Should().Be(results.Count(r => r.Error is not null));
        summary.Retries.Should().Be(results.Sum(r => r.RetryCount));
        summary.RetryRate.Should().Be((double)results.Count(r => r.RetryCount > 0) / 300);
        summary.OutputTokens.Should().Be(results.Where(r => r.Error is null).Sum(r => r.OutputTokens ?? 0));
        summary.UnknownCostCount.Should().Be(results.Count(r => r.Error is null && r.Cost is null));
        summary.TotalCost.Should().Be(results.Where(r => r.Error is null).Sum(r => r.Cost ?? 0m));
        var latencies = results.Where(r => r.Latency is not null).Select(r => r.Latency!.Value.TotalSeconds).ToArray();
        summary.Latency!.P95.TotalSeconds.Should().BeApproximately(Descriptive.Percentile(latencies, 95), 1e-9);
    }
}
