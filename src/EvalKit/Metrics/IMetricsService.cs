using EvalKit.Evaluation;

namespace EvalKit.Metrics;

/// <summary>
/// Time series of model metrics: record points (live traffic from the host, summaries of completed runs), read and aggregate
/// them by period, compare models over a period with a statistical test, find anomalies, and delete old points.
/// </summary>
/// <remarks>
/// <para><b>Aggregation.</b> Buckets have a fixed length in UTC (minute, hour, day, or week starting Monday 00:00 UTC) and
/// hold count, sum, mean, min, max and the 50th, 95th and 99th percentiles with numpy's default "linear" method (as
/// <see cref="Statistics.Descriptive.Percentile"/>). Only points in the half-open range [from, to) count; buckets without
/// points are omitted.</para>
/// <para><b>Rates</b> are ratios of sums per bucket (<see cref="MetricRate"/>): the error rate is sum(errors) / sum(requests), not
/// a mean of rates.</para>
/// <para><b>Comparison.</b> Each pair of models is tested on the raw values of the period (Welch's t-test or Mann–Whitney U); the
/// p-values of all pairs are adjusted with Holm's method, and a pair is called different only when its adjusted p-value is
/// below alpha.</para>
/// <para><b>Retention</b> deletes metric points only; runs, results and everything else are never touched.</para>
/// <para>Implementations are thread-safe.</para>
/// </remarks>
public interface IMetricsService
{
    /// <summary>Records points.</summary>
    /// <param name="points">The points; each with a model id, a name and a finite value.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the points are stored.</returns>
    /// <exception cref="ArgumentException">A point is invalid; nothing is stored.</exception>
    ValueTask RecordAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Records one value observed now (by the service's clock).</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="name">The metric name.</param>
    /// <param name="value">The value; finite.</param>
    /// <param name="tags">Low-cardinality tags, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the point is stored.</returns>
    /// <exception cref="ArgumentException">The model id or name is empty, or the value is not finite.</exception>
    ValueTask RecordAsync(string modelId, string name, double value, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default);

    /// <summary>Records one model call of live traffic as points (see <see cref="ModelCallObservation"/> for the names).</summary>
    /// <param name="call">What the host measured.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when the points are stored.</returns>
    /// <exception cref="ArgumentException">The model id is empty, or a measure is negative.</exception>
    ValueTask RecordCallAsync(ModelCallObservation call, CancellationToken cancellationToken = default);

    /// <summary>Records the summary of a completed run as points (see <see cref="RunMetrics"/>).</summary>
    /// <param name="run">The completed run.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The points recorded.</returns>
    /// <exception cref="ArgumentException">The run has no summary or no completion time.</exception>
    ValueTask<IReadOnlyList<MetricPoint>> RecordRunAsync(EvaluationRun run, CancellationToken cancellationToken = default);

    /// <summary>Streams the points a query selects, in time order.</summary>
    /// <param name="query">The model, optional metric, range and tags.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The points.</returns>
    /// <exception cref="ArgumentException">The query names no model or its range ends before it starts.</exception>
    IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default);

    /// <summary>Aggregates one metric of one model by period.</summary>
    /// <param name="query">The model, metric, range, period and tags.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The non-empty buckets in time order.</returns>
    /// <exception cref="ArgumentException">The query names no model or metric, its range ends before it starts, or its period is unknown.</exception>
    ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Computes a rate of one model by period, such as the error rate per hour.</summary>
    /// <param name="query">The model, rate, range, period and tags.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>One bucket per period in which the numerator or the denominator has points, in time order.</returns>
    /// <exception cref="ArgumentException">The query names no model, has an invalid rate, its range ends before it starts, or its period is unknown.</exception>
    ValueTask<IReadOnlyList<MetricRateBucket>> AggregateRateAsync(MetricRateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Compares one metric of several models over a period (such as "is model B's latency really higher this week?").</summary>
    /// <param name="request">The models, metric, period, test and alpha.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A summary per model and the pairwise tests with Holm-adjusted p-values and verdicts.</returns>
    /// <exception cref="ArgumentException">Fewer than two distinct models, an empty metric, an inverted range, alpha outside (0, 1),
    /// an unknown test, or a baseline that is not among the models.</exception>
    Task<MetricComparison> CompareAsync(MetricComparisonRequest request, CancellationToken cancellationToken = default);

    /// <summary>Finds anomalies in one metric of one model over a window (see <see cref="AnomalyDetector"/> for the methods).</summary>
    /// <param name="request">The model, metric, window, optional period and statistic, methods and thresholds.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The anomalies and what each method estimated.</returns>
    /// <exception cref="ArgumentException">The request names no model or metric, its range ends before it starts, or a method,
    /// period, statistic or threshold is invalid.</exception>
    Task<AnomalyReport> DetectAnomaliesAsync(AnomalyDetectionRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes the points older than a rule's age (counted back from the service's clock), of every model and metric or of one.</summary>
    /// <param name="rule">The rule.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of points deleted.</returns>
    /// <exception cref="ArgumentException">The age is not positive, or a filter is present but empty.</exception>
    ValueTask<long> DeleteOlderThanAsync(MetricRetentionRule rule, CancellationToken cancellationToken = default);

    /// <summary>Applies every rule of <see cref="MetricsOptions.Retention"/> (nothing when there is none). Call it from a timer or a job.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of points deleted.</returns>
    ValueTask<long> ApplyRetentionAsync(CancellationToken cancellationToken = default);
}
