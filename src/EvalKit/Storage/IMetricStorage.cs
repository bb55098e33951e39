using EvalKit.Metrics;

namespace EvalKit.Storage;

/// <summary>
/// Stores metric points (time series per model) and computes what the metrics service pushes down: range reads, per-period
/// aggregates and retention deletes. Every provider must give the same answers (the conformance suite checks them).
/// </summary>
public interface IMetricStorage
{
    /// <summary>Appends points in one transaction.</summary>
    /// <param name="points">The points; each with a model id, a name and a finite value.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentException">A point has no model id or name, or a value that is not finite; nothing is stored.</exception>
    ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Streams the points of a model in a time range [from, to), ordered by time.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="name">The metric name, or <see langword="null"/> for all.</param>
    /// <param name="from">The inclusive start.</param>
    /// <param name="to">The exclusive end.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The points.</returns>
    IAsyncEnumerable<MetricPoint> QueryAsync(string modelId, string? name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        QueryAsync(new MetricQuery { ModelId = modelId, Name = name, From = from, To = to }, cancellationToken);

    /// <summary>Streams the points a query selects, ordered by time (points with equal times in the order they were appended).</summary>
    /// <param name="query">The model, optional metric name, half-open time range and tags.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The points.</returns>
    /// <exception cref="ArgumentException">The query names no model or its range ends before it starts.</exception>
    IAsyncEnumerable<MetricPoint> QueryAsync(MetricQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Aggregates one metric of one model per period bucket: count, sum, min, max and (unless the query opts out) the
    /// 50th, 95th and 99th percentiles with numpy's "linear" method. Buckets without points are omitted.
    /// </summary>
    /// <param name="query">The model, metric, half-open time range, period and tags.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The non-empty buckets in time order.</returns>
    /// <exception cref="ArgumentException">The query names no model or metric, its range ends before it starts, or its period is unknown.</exception>
    ValueTask<IReadOnlyList<MetricBucket>> AggregateAsync(MetricAggregateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes the metric points older than a cut-off, optionally of one model or metric. Nothing else is touched.</summary>
    /// <param name="query">The cut-off (exclusive) and filters.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of points deleted.</returns>
    /// <exception cref="ArgumentException">A filter is present but empty.</exception>
    ValueTask<long> DeleteOlderThanAsync(MetricDeleteQuery query, CancellationToken cancellationToken = default);
}
