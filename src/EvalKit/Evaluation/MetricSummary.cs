using EvalKit.Statistics;

namespace EvalKit.Evaluation;

/// <summary>The summary of one metric over a run's cases, with its uncertainty (Miller 2024).</summary>
public sealed record MetricSummary
{
    /// <summary>Gets the metric name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the mean over cases (each case's repetitions averaged first).</summary>
    public required double Mean { get; init; }

    /// <summary>Gets the standard deviation of the per-case scores (n - 1).</summary>
    public required double StandardDeviation { get; init; }

    /// <summary>Gets the standard error of the mean: clustered when cases have groups, else the CLT standard error.</summary>
    public required double StandardError { get; init; }

    /// <summary>
    /// Gets the confidence interval of the mean (95% unless the host configured another level); see
    /// <see cref="IntervalMethod"/> for how it was computed.
    /// </summary>
    public required Interval ConfidenceInterval { get; init; }

    /// <summary>
    /// Gets how <see cref="ConfidenceInterval"/> was computed: <c>"wilson"</c> when every case scored exactly 0 or 1 and
    /// cases are not grouped (the normal interval under-covers there and can leave [0, 1] or collapse to a point at 0%
    /// or 100%), <c>"cluster-t"</c> for cluster-robust intervals over groups, <c>"normal"</c> otherwise.
    /// </summary>
    public string IntervalMethod { get; init; } = "normal";

    /// <summary>Gets the number of cases with a value.</summary>
    public required int N { get; init; }

    /// <summary>Gets the number of clusters, when the standard error is clustered; otherwise <see langword="null"/>.</summary>
    public int? Clusters { get; init; }

    /// <summary>Gets the number of scores that failed to compute.</summary>
    public int Errors { get; init; }
}
