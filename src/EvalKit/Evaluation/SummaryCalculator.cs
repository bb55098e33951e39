using EvalKit.Statistics;

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
        var firstTokens = new List<double>();
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
                if (result.TimeToFirstToken is { } ttft)
                {
                    firstTokens.Add(ttft.TotalSeconds);
                }
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

        var elapsed = run.Elapsed > TimeSpan.Zero ? run.Elapsed : (TimeSpan?)null;
        return new EvaluationSummary
        {
            Metrics = metrics
                .Where(kv => kv.Value.CaseCount > 0 || kv.Value.Errors > 0)
                .ToDictionary(kv => kv.Key, kv => kv.Value.Summarize(kv.Key, confidence), StringComparer.Ordinal),
            Latency = Percentiles(latencies),
            TimeToFirstToken = Percentiles(firstTokens),
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

    private static LatencySummary? Percentiles(List<double> seconds)
    {
        if (seconds.Count == 0)
        {
            return null;
        }

        var sorted = seconds.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            TimeSpan.FromSeconds(Descriptive.Mean(sorted)),
            TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 50)),
            TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 95)),
            TimeSpan.FromSeconds(Descriptive.PercentileOfSorted(sorted, 99)));
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

            // Cases without a group are clusters of their own; with real groups the standard error is cluster-robust
            // (CR1, t with C - 1 degrees of freedom), otherwise the CLT standard error with a normal interval (Miller 2024).
            var clusterIds = new int[n];
            var ids = new Dictionary<string, int>(StringComparer.Ordinal);
            var grouped = false;
            for (var i = 0; i < n; i++)
            {
                if (_groups[i] is { } g)
                {
                    grouped = true;
                    clusterIds[i] = ids.TryGetValue(g, out var id) ? id : ids[g] = ids.Count;
                }
                else
                {
                    clusterIds[i] = -1 - i;
                }
            }

            var clusters = grouped ? StandardErrors.CountClusters(clusterIds) : n;
            if (grouped && clusters >= 2 && clusters < n)
            {
                return new MetricSummary
                {
                    Name = name, Mean = mean, StandardDeviation = sd, N = n, Errors = Errors, Clusters = clusters,
                    StandardError = StandardErrors.Clustered(values, clusterIds),
                    ConfidenceInterval = ConfidenceIntervals.Clustered(values, clusterIds, confidence),
                };
            }

            var se = n > 1 ? StandardErrors.Mean(values) : 0;
            return new MetricSummary
            {
                Name = name, Mean = mean, StandardDeviation = sd, N = n, Errors = Errors,
                StandardError = se,
                ConfidenceInterval = ConfidenceIntervals.Normal(mean, se, confidence),
            };
        }
    }
}
