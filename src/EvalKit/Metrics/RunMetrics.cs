using EvalKit.Evaluation;

namespace EvalKit.Metrics;

/// <summary>
/// Turns the summary of a completed evaluation run into metric points, so that runs join the time series of their model
/// (a score's trend across runs, latency or cost per benchmark over time). Pure: it only builds the points.
/// </summary>
/// <remarks>
/// <para>Points, all at the same time and with the run id in <see cref="MetricPoint.RunId"/>:</para>
/// <list type="bullet">
/// <item>one per score metric with at least one value: its mean, under the metric's own name (such as <c>exact_match</c>);</item>
/// <item>latency: <c>run.latency_mean_ms</c>, <c>run.latency_p50_ms</c>, <c>run.latency_p95_ms</c>, <c>run.latency_p99_ms</c>;
/// time to first token of streamed runs: <c>run.ttft_p50_ms</c>, <c>run.ttft_p95_ms</c>, <c>run.ttft_p99_ms</c>;</item>
/// <item>cost: <c>run.cost_total</c>, <c>run.cost_per_request</c>; tokens: <c>run.input_tokens</c>, <c>run.output_tokens</c> (totals);</item>
/// <item>reliability: <c>run.error_rate</c>, <c>run.success_rate</c>, <c>run.retry_rate</c> (when the run has results);
/// <c>run.throughput_per_s</c>.</item>
/// </list>
/// <para>Figures the summary does not have (no latency measured, no known cost, ...) are left out. Tags: <c>source=evaluation</c>,
/// <c>benchmark</c> and <c>dataset</c> when known.</para>
/// </remarks>
public static class RunMetrics
{
    /// <summary>Builds the points of a completed run from its summary.</summary>
    /// <param name="run">The run; it must have a <see cref="EvaluationRun.Summary"/> and a <see cref="EvaluationRun.CompletedAt"/> (the points' time).</param>
    /// <returns>The points.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="run"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The run has no summary or no completion time.</exception>
    public static IReadOnlyList<MetricPoint> FromRun(EvaluationRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Summary is null)
        {
            throw new ArgumentException($"Run '{run.Id}' has no summary yet (status {run.Status}); metric points come from completed runs.", nameof(run));
        }

        if (run.CompletedAt is not { } completedAt)
        {
            throw new ArgumentException($"Run '{run.Id}' has no completion time (status {run.Status}); metric points come from completed runs.", nameof(run));
        }

        return FromSummary(run.Summary, run.ModelId, run.Id, completedAt, run.BenchmarkId, run.DatasetId);
    }

    /// <summary>Builds the points of a run from its summary.</summary>
    /// <param name="summary">The run's summary.</param>
    /// <param name="modelId">The model the run evaluated.</param>
    /// <param name="runId">The run id, put in every point's <see cref="MetricPoint.RunId"/>.</param>
    /// <param name="timestamp">The points' time, usually the run's completion.</param>
    /// <param name="benchmarkId">The benchmark, tagged as <c>benchmark</c> when not <see langword="null"/>.</param>
    /// <param name="datasetId">The dataset, tagged as <c>dataset</c> when not <see langword="null"/>.</param>
    /// <returns>The points.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="summary"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="modelId"/> or <paramref name="runId"/> is empty.</exception>
    public static IReadOnlyList<MetricPoint> FromSummary(
        EvaluationSummary summary, string modelId, string runId, DateTimeOffset timestamp, string? benchmarkId = null, string? datasetId = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [MetricTags.Source] = MetricTags.EvaluationSource };
        if (!string.IsNullOrWhiteSpace(benchmarkId))
        {
            tags[MetricTags.Benchmark] = benchmarkId;
        }

        if (!string.IsNullOrWhiteSpace(datasetId))
        {
            tags[MetricTags.Dataset] = datasetId;
        }

        var points = new List<MetricPoint>();
        void Add(string name, double? value)
        {
            if (value is { } v && double.IsFinite(v))
            {
                points.Add(new MetricPoint { ModelId = modelId, Name = name, Value = v, Timestamp = timestamp, RunId = runId, Tags = tags });
            }
        }

        foreach (var (name, metric) in summary.Metrics.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            if (metric is { N: > 0 } && !string.IsNullOrWhiteSpace(name))
            {
                Add(name, metric.Mean);
            }
        }

        if (summary.Latency is { Count: > 0 } latency)
        {
            Add(MetricNames.RunLatencyMeanMs, latency.Mean.TotalMilliseconds);
            Add(MetricNames.RunLatencyP50Ms, latency.P50.TotalMilliseconds);
            Add(MetricNames.RunLatencyP95Ms, latency.P95.TotalMilliseconds);
            Add(MetricNames.RunLatencyP99Ms, latency.P99.TotalMilliseconds);
        }

        if (summary.TimeToFirstToken is { Count: > 0 } ttft)
        {
            Add(MetricNames.RunTimeToFirstTokenP50Ms, ttft.P50.TotalMilliseconds);
            Add(MetricNames.RunTimeToFirstTokenP95Ms, ttft.P95.TotalMilliseconds);
            Add(MetricNames.RunTimeToFirstTokenP99Ms, ttft.P99.TotalMilliseconds);
        }

        Add(MetricNames.RunCostTotal, (double?)summary.TotalCost);
        Add(MetricNames.RunCostPerRequest, (double?)summary.CostPerRequest);
        Add(MetricNames.RunInputTokens, summary.InputTokens);
        Add(MetricNames.RunOutputTokens, summary.OutputTokens);
        if (summary.Total > 0)
        {
            Add(MetricNames.RunErrorRate, summary.ErrorRate);
            Add(MetricNames.RunSuccessRate, summary.SuccessRate);
            Add(MetricNames.RunRetryRate, summary.RetryRate);
        }

        Add(MetricNames.RunThroughput, summary.Throughput);
        return points;
    }
}
