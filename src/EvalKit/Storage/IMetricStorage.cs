using EvalKit.Metrics;

namespace EvalKit.Storage;

/// <summary>Stores metric points (time series per model).</summary>
public interface IMetricStorage
{
    /// <summary>Appends points in one transaction.</summary>
    /// <param name="points">The points.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    ValueTask AppendAsync(IReadOnlyList<MetricPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Streams the points of a model in a time range [from, to), ordered by time.</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="name">The metric name, or <see langword="null"/> for all.</param>
    /// <param name="from">The inclusive start.</param>
    /// <param name="to">The exclusive end.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The points.</returns>
    IAsyncEnumerable<MetricPoint> QueryAsync(string modelId, string? name, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
