using EvalKit.Statistics;

namespace EvalKit.Evaluation;

/// <summary>
/// Builds a run's summary from its results, fed in any order (as workers finish, or as read back from the store). The
/// result is the same whatever the order: repetitions are combined in repetition order and cases are summarized in
/// ordinal order, so a resumed run and an uninterrupted one give identical figures.
/// </summary>
internal sealed class SummaryCalculator
{
    private readonly int _repetitions;
    private readonly int _caseCount;
    private readonly int[] _groupOf;
    private readonly Dictionary<string, int> _metricIndex = new(StringComparer.Ordinal);
    private readonly List<MetricAccumulator> _metrics = [];
    private readonly Dictionary<long, PendingCase> _pending = [];
    private readonly Dictionary<string, int> _groups = new(StringComparer.Ordinal);
    private readonly List<double> _latencies = [];
    private readonly List<double> _firstTokens = [];
    private long _total, _succeeded, _failed, _retries, _retried, _cached;
    private long _inputTokens, _outputTokens, _unknownUsage, _unknownCost;
    private bool _anyInput, _anyOutput, _anyCost;
    private decimal _cost;

    /// <param name="metricNames">The metrics known up front (scores of other names are summarized too).</param>
    /// <param name="repetitions">The samples per case.</param>
    /// <param name="caseCount">The number of cases: per-case values live in arrays indexed by case ordinal.</param>
    public SummaryCalculator(IEnumerable<string> metricNames, int repetitions, long caseCount)
    {
        _repetitions = Math.Max(1, repetitions);
        _caseCount = checked((int)caseCount);
        _groupOf = new int[_caseCount];
        Array.Fill(_groupOf, -1);
        _latencies.Capacity = (int)Math.Min(_caseCount * (long)_repetitions, 1 << 24);
        foreach (var name in metricNames)
        {
            MetricIndex(name);
        }
    }

    /// <summary>Summarizes stored results in one streaming pass.</summary>
    public static async ValueTask<EvaluationSummary> ComputeAsync(
        IAsyncEnumerable<CaseResult> results, EvaluationRun run, double confidence, CancellationToken cancellationToken)
    {
        var calculator = new SummaryCalculator(run.Scorers, run.Options.Repetitions, run.TotalCount / Math.Max(1, run.Options.Repetitions));
        await calculator.AddAsync(results, cancellationToken).ConfigureAwait(false);
        return calculator.Build(run, confidence);
    }

    public async ValueTask AddAsync(IAsyncEnumerable<CaseResult> results, CancellationToken cancellationToken)
    {
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            Add(result);
        }
    }

    public void Add(CaseResult result)
    {
        _total++;
        _retries += result.RetryCount;
        if (result.RetryCount > 0)
        {
            _retried++;
        }

        // With one repetition a case completes with its only result: no need to keep it pending.
        if (_repetitions == 1 || !_pending.TryGetValue(result.CaseOrdinal, out var pending))
        {
            pending = new PendingCase(result.Group is { } g ? GroupId(g) : null);
            if (_repetitions > 1)
            {
                _pending[result.CaseOrdinal] = pending;
            }
        }

        pending.Seen++;
        if (result.Error is not null)
        {
            _failed++;
        }
        else
        {
            Tally(result);
            var repetition = Math.Clamp(result.Repetition, 0, _repetitions - 1);
            foreach (var score in result.Scores)
            {
                var index = MetricIndex(score.Name);
                if (score.Value is { } v && !double.IsNaN(v))
                {
                    pending.Set(index, repetition, _repetitions, v);
                }
                else
                {
                    _metrics[index].Errors++;
                }
            }
        }

        if (pending.Seen >= _repetitions)
        {
            Complete(result.CaseOrdinal, pending);
        }
    }

    public EvaluationSummary Build(EvaluationRun run, double confidence)
    {
        foreach (var (ordinal, pending) in _pending.ToArray())
        {
            Complete(ordinal, pending);
        }

        var elapsed = run.Elapsed > TimeSpan.Zero ? run.Elapsed : (TimeSpan?)null;
        var metrics = new Dictionary<string, MetricSummary>(StringComparer.Ordinal);
        foreach (var (name, index) in _metricIndex)
        {
            if (_metrics[index].CaseCount > 0 || _metrics[index].Errors > 0)
            {
                metrics[name] = _metrics[index].Summarize(name, confidence, _groupOf);
            }
        }

        return new EvaluationSummary
        {
            Metrics = metrics,
            Latency = Percentiles(_latencies),
            TimeToFirstToken = Percentiles(_firstTokens),
            Total = _total,
            Succeeded = _succeeded,
            Failed = _failed,
            Retries = _retries,
            RetryRate = _total == 0 ? 0 : (double)_retried / _total,
            CachedCount = _cached,
            InputTokens = _anyInput ? _inputTokens : null,
            OutputTokens = _anyOutput ? _outputTokens : null,
            UnknownUsageCount = _unknownUsage,
            TotalCost = _anyCost ? _cost : null,
            UnknownCostCount = _unknownCost,
            Duration = elapsed,
            Throughput = elapsed is { } e ? _total / e.TotalSeconds : null,
        };
    }

    private void Tally(CaseResult result)
    {
        _succeeded++;
        if (result.Cached)
        {
            _cached++;
        }
        else if (result.Latency is { } latency)
        {
            _latencies.Add(latency.TotalSeconds);
            if (result.TimeToFirstToken is { } ttft)
            {
                _firstTokens.Add(ttft.TotalSeconds);
            }
        }

        if (result.InputTokens is { } it)
        {
            _inputTokens += it;
            _anyInput = true;
        }

        if (result.OutputTokens is { } ot)
        {
            _outputTokens += ot;
            _anyOutput = true;
        }

        if (result.InputTokens is null || result.OutputTokens is null)
        {
            _unknownUsage++;
        }

        if (result.Cost is { } c)
        {
            _cost += c;
            _anyCost = true;
        }
        else
        {
            _unknownCost++;
        }
    }

    private void Complete(long ordinal, PendingCase pending)
    {
        _pending.Remove(ordinal);
        if (pending.Values is null)
        {
            return;
        }

        if (ordinal < 0 || ordinal >= _caseCount)
        {
            throw new InvalidOperationException($"Case ordinal {ordinal} lies outside the run's {_caseCount} cases.");
        }

        _groupOf[ordinal] = pending.Group ?? -1;
        for (var m = 0; m < _metrics.Count; m++)
        {
            if (pending.Mean(m, _repetitions) is { } mean)
            {
                _metrics[m].Set((int)ordinal, mean, _caseCount);
            }
        }
    }

    private int MetricIndex(string name)
    {
        if (!_metricIndex.TryGetValue(name, out var index))
        {
            index = _metrics.Count;
            _metricIndex[name] = index;
            _metrics.Add(new MetricAccumulator());
        }

        return index;
    }

    private int GroupId(string group)
    {
        if (!_groups.TryGetValue(group, out var id))
        {
            id = _groups.Count;
            _groups[group] = id;
        }

        return id;
    }

    /// <summary>A case whose repetitions are not all in yet: its values by (metric, repetition), NaN where missing.</summary>
    private sealed class PendingCase(int? group)
    {
        public int? Group { get; } = group;

        public int Seen { get; set; }

        public double[]? Values { get; private set; }

        public void Set(int metric, int repetition, int repetitions, double value)
        {
            var needed = (metric + 1) * repetitions;
            if (Values is null || Values.Length < needed)
            {
                var grown = new double[Math.Max(needed, repetitions)];
                Array.Fill(grown, double.NaN);
                Values?.CopyTo(grown, 0);
                Values = grown;
            }

            Values[(metric * repetitions) + repetition] = value;
        }

        public double? Mean(int metric, int repetitions)
        {
            if (Values is null || Values.Length < (metric + 1) * repetitions)
            {
                return null;
            }

            double sum = 0;
            var count = 0;
            for (var r = 0; r < repetitions; r++)
            {
                var v = Values[(metric * repetitions) + r];
                if (!double.IsNaN(v))
                {
                    sum += v;
                    count++;
                }
            }

            return count == 0 ? null : sum / count;
        }
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

    /// <summary>Accumulates one metric: the per-case means (repetitions averaged), by case ordinal; NaN where a case has none.</summary>
    private sealed class MetricAccumulator
    {
        private double[]? _values;

        public int Errors { get; set; }

        public int CaseCount { get; private set; }

        public void Set(int ordinal, double value, int caseCount)
        {
            if (_values is null)
            {
                _values = new double[caseCount];
                Array.Fill(_values, double.NaN);
            }

            if (double.IsNaN(_values[ordinal]))
            {
                CaseCount++;
            }

            _values[ordinal] = value;
        }

        // The number of ones when every value is exactly 0 or 1 (pass/fail scores, one sample per case or unanimous
        // samples); -1 otherwise.
        private static int BinarySuccesses(ReadOnlySpan<double> values)
        {
            var ones = 0;
            foreach (var v in values)
            {
                if (v == 1)
                {
                    ones++;
                }
                else if (v != 0)
                {
                    return -1;
                }
            }

            return ones;
        }

        public MetricSummary Summarize(string name, double confidence, int[] groupOf)
        {
            // Cases in ordinal order: the figures do not depend on the order results arrived in.
            var values = new double[CaseCount];
            var groups = new int[CaseCount];
            var n = 0;
            for (var ordinal = 0; _values is not null && ordinal < _values.Length; ordinal++)
            {
                if (!double.IsNaN(_values[ordinal]))
                {
                    values[n] = _values[ordinal];
                    groups[n] = groupOf[ordinal];
                    n++;
                }
            }

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
            var grouped = false;
            for (var i = 0; i < n; i++)
            {
                if (groups[i] >= 0)
                {
                    grouped = true;
                    clusterIds[i] = groups[i];
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
                    IntervalMethod = "cluster-t",
                };
            }

            var se = n > 1 ? StandardErrors.Mean(values) : 0;
            var successes = BinarySuccesses(values.AsSpan(0, n));
            return new MetricSummary
            {
                Name = name, Mean = mean, StandardDeviation = sd, N = n, Errors = Errors,
                StandardError = se,
                ConfidenceInterval = successes >= 0
                    ? ConfidenceIntervals.Wilson(successes, n, confidence)
                    : ConfidenceIntervals.Normal(mean, se, confidence),
                IntervalMethod = successes >= 0 ? "wilson" : "normal",
            };
        }
    }
}
