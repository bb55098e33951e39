namespace EvalKit.Metrics;

/// <summary>The figure of each bucket that a bucketed anomaly detection monitors.</summary>
public enum MetricStatistic
{
    /// <summary>The bucket's mean.</summary>
    Mean,

    /// <summary>The bucket's number of points (empty buckets in the range count as 0).</summary>
    Count,

    /// <summary>The bucket's sum (empty buckets in the range count as 0).</summary>
    Sum,

    /// <summary>The bucket's smallest value.</summary>
    Min,

    /// <summary>The bucket's largest value.</summary>
    Max,

    /// <summary>The bucket's median.</summary>
    P50,

    /// <summary>The bucket's 95th percentile.</summary>
    P95,

    /// <summary>The bucket's 99th percentile.</summary>
    P99,
}
