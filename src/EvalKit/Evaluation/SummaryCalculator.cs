using EvalKit.Statistics;
using MathNet.Numerics.Distributions;

namespace EvalKit.Evaluation;

/// <summary>Computes a run's summary from its stored results in one streaming pass (results ordered by case, then repetition).</summary>
internal static class SummaryCalculator
{
    public static async ValueTask<EvaluationSummary> ComputeAsync(
        IAsyncEnumerable<CaseResult> orderedResults, EvaluationRun run, double confidence, CancellationToken cancellationToken)
    {
        var metrics = new Dictionary<string, MetricAccumulator>(StringComparer.Ordinal);
        foreach (var name in run.Scorers)
        {
            metrics[name] = new MetricAccumulator();
        }

        var latencies = new List<double>();
        long total = 0, succeeded = 0, failed = 0, retries = 0, retried = 0, cached = 0;
        long inputTokens = 0, outputTokens = 0, unknownUsage = 0, unknownCost = 0;
        bool anyInput = false, anyOutput = false, anyCost = false;
        decimal cost = 0;
        long currentOrdinal = -1;
        string? currentGroup = null;

        await foreach (var result in orderedResults.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (result.CaseOrdinal != currentOrdinal)
            {
                foreach (var m in metrics.Values)
                {
                    m.EndCase(currentGroup);
                }

                currentOrdinal = result.CaseOrdinal;
                currentGroup = result.Group;
            }

            total++;
            retries += result.RetryCount;
            if (result.RetryCount > 0)
            {
                retried++;
            }

            if (result.Error is not null)
            {
                failed++;
                continue;
            }

            succeeded++;
            if (result.Cached)
            {
                cached++;
            }
            else if (result.Latency is { } latency)
            {
                latencies.Add(latency.TotalSeconds);
            }

            if (result.InputTokens is { } it)
            {
                inputTokens += it;
                anyInput = true;
            }

            if (result.OutputTokens is { } ot)
            {
                outputTokens += ot;
                anyOutput = true;
            }

            if (result.InputTokens is null || result.OutputTokens is null)
            {
                unknownUsage++;
            }

            if (result.Cost is { } c)
            {
                cost += c;
                anyCost = true;
            }
            else
            {
                unknownCost++;
            }

            foreach (var score in result.Scores)
            {
                if (!metrics.TryGetValue(score.Name, out var m))
                {
                    metrics[score.Name] = m = new MetricAccumulator();
                }

                m.Add(score.Value);
            }
        }

        foreach (var m in metrics.Values)
        {
            m.EndCase(currentGroup);
        }

        LatencySummary? latencySummary = null;
        if (latencies.Count > 0)
        {
            var sorted = latencies.ToArray();
            Array.Sort(sorted);
            latencySummary = new LatencySummary(
                sorted.Length,
                TimeSpan.FromSeconds(Descriptive.Mean(sorted)),
                TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 50)),
                TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 95)),
                TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 99)));
        }

        var elapsed = run.Elapsed > TimeSpan.Zero ? run.Elapsed : (TimeSpan?)null;
        return new EvaluationSummary
        {
            Metrics = metrics
                .Where(kv => kv.Value.CaseCount > 0 || kv.Value.Errors > 0)
                .ToDictionary(kv => kv.Key, kv => kv.Value.Summarize(kv.Key, confidence), StringComparer.Ordinal),
            Latency = latencySummary,
            Total = total,
            Succeeded = succeeded,
            Failed = failed,
            Retries = retries,
            RetryRate = total == 0 ? 0 : (double)retried / total,
            CachedCount = cached,
            InputTokens = anyInput ? inputTokens : null,
            OutputTokens = anyOutput ? outputTokens : null,
            UnknownUsageCount = unknownUsage,
            TotalCost = anyCost ? cost : null,
            UnknownCostCount = unknownCost,
            Duration = elapsed,
            Throughput = elapsed is { } e ? total / e.TotalSeconds : null,
        };
    }

    /// <summary>Accumulates one metric: repetitions are averaged per case; the per-case means feed the statistics.</summary>
    private sealed class MetricAccumulator
    {
        private readonly List<double> _caseMeans = [];
        private readonly List<string?> _groups = [];
        private double _sum;
        private int _count;

        public int Errors { get; private set; }

        public int CaseCount => _caseMeans.Count;

        public void Add(double? value)
        {
            if (value is { } v && !double.IsNaN(v))
            {
                _sum += v;
                _count++;
            }
            else
            {
                Errors++;
            }
        }

        public void EndCase(string? group)
        {
            if (_count > 0)
            {
                _caseMeans.Add(_sum / _count);
                _groups.Add(group);
            }

            _sum = 0;
            _count = 0;
        }

        public MetricSummary Summarize(string name, double confidence)
        {
            var values = _caseMeans.ToArray();
            var n = values.Length;
            if (n == 0)
            {
                return new MetricSummary
                {
                    Name = name, Mean = double.NaN, StandardDeviation = double.NaN, StandardError = double.NaN,
                    ConfidenceInterval = new Interval(double.NaN, double.NaN), N = 0, Errors = Errors,
                };
            }

            var mean = Descriptive.Mean(values);
            var sd = n > 1 ? Descriptive.StandardDeviation(values) : 0;
            var se = n > 1 ? sd / Math.Sqrt(n) : 0;
            var z = Normal.InvCDF(0, 1, 0.5 + (confidence / 2));
            return new MetricSummary
            {
                Name = name,
                Mean = mean,
                StandardDeviation = sd,
                StandardError = se,
                ConfidenceInterval = new Interval(mean - (z * se), mean + (z * se)),
                N = n,
                Errors = Errors,
            };
        }
    }
}
