namespace EvalKit.Metrics;

/// <summary>The values of one model's metric over the compared period.</summary>
public sealed record MetricSampleSummary
{
    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the number of values.</summary>
    public required int Count { get; init; }

    /// <summary>Gets the mean, or <see langword="null"/> without values.</summary>
    public double? Mean { get; init; }

    /// <summary>Gets the sample standard deviation (n − 1), or <see langword="null"/> with fewer than two values.</summary>
    public double? StandardDeviation { get; init; }

    /// <summary>Gets the smallest value, or <see langword="null"/> without values.</summary>
    public double? Min { get; init; }

    /// <summary>Gets the median (numpy "linear"), or <see langword="null"/> without values.</summary>
    public double? P50 { get; init; }

    /// <summary>Gets the 95th percentile (numpy "linear"), or <see langword="null"/> without values.</summary>
    public double? P95 { get; init; }

    /// <summary>Gets the 99th percentile (numpy "linear"), or <see langword="null"/> without values.</summary>
    public double? P99 { get; init; }

    /// <summary>Gets the largest value, or <see langword="null"/> without values.</summary>
    public double? Max { get; init; }
}
