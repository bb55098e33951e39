namespace EvalKit.Metrics;

/// <summary>
/// The aggregate of one metric over one bucket [<see cref="Start"/>, <see cref="End"/>): count, sum, mean, min, max and the
/// 50th, 95th and 99th percentiles (numpy's default "linear" method, as <see cref="Statistics.Descriptive.Percentile"/>).
/// </summary>
public sealed record MetricBucket
{
    /// <summary>Gets the bucket's start (UTC, aligned to the period).</summary>
    public required DateTimeOffset Start { get; init; }

    /// <summary>Gets the bucket's exclusive end, <see cref="Start"/> plus the period's length.</summary>
    public required DateTimeOffset End { get; init; }

    /// <summary>Gets the number of points; at least one.</summary>
    public required long Count { get; init; }

    /// <summary>Gets the sum of the values.</summary>
    public required double Sum { get; init; }

    /// <summary>Gets the smallest value.</summary>
    public required double Min { get; init; }

    /// <summary>Gets the largest value.</summary>
    public required double Max { get; init; }

    /// <summary>Gets the median, or <see langword="null"/> when percentiles were not requested.</summary>
    public double? P50 { get; init; }

    /// <summary>Gets the 95th percentile, or <see langword="null"/> when percentiles were not requested.</summary>
    public double? P95 { get; init; }

    /// <summary>Gets the 99th percentile, or <see langword="null"/> when percentiles were not requested.</summary>
    public double? P99 { get; init; }

    /// <summary>Gets the mean, <see cref="Sum"/> / <see cref="Count"/>.</summary>
    public double Mean => Sum / Count;
}
