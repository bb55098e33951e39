namespace EvalKit.Metrics;

/// <summary>The anomalies found in a window, with what each method estimated.</summary>
public sealed record AnomalyReport
{
    /// <summary>Gets the number of observations examined (points, or buckets).</summary>
    public required int Observations { get; init; }

    /// <summary>Gets the anomalies ordered by time, then by method.</summary>
    public required IReadOnlyList<MetricAnomaly> Anomalies { get; init; }

    /// <summary>Gets one summary per requested method.</summary>
    public required IReadOnlyList<AnomalyMethodSummary> Methods { get; init; }
}
