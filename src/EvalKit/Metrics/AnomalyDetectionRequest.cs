namespace EvalKit.Metrics;

/// <summary>
/// Looks for anomalies in one metric of one model over a half-open window [<see cref="From"/>, <see cref="To"/>): in the raw
/// points, or, with a <see cref="Period"/>, in one <see cref="Statistic"/> of each bucket (such as the hourly p95 latency).
/// </summary>
/// <remarks>Filters are properties of this record so that new ones (such as a tenant) can be added without breaking callers.</remarks>
public sealed record AnomalyDetectionRequest
{
    private static readonly AnomalyMethod[] AllMethods = [AnomalyMethod.RobustZScore, AnomalyMethod.Ewma, AnomalyMethod.Cusum];
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;
    private readonly IReadOnlyList<AnomalyMethod> _methods = AllMethods;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the metric.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the inclusive start of the window.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end of the window.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the tags a point must carry. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }

    /// <summary>Gets the bucket length, or <see langword="null"/> to examine every point.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public MetricPeriod? Period { get; init; }

    /// <summary>Gets the figure of each bucket that is examined (ignored without a <see cref="Period"/>). For <see cref="MetricStatistic.Count"/>
    /// and <see cref="MetricStatistic.Sum"/>, empty buckets in the window count as 0; for the others they are left out.</summary>
    /// <value>The default value is <see cref="MetricStatistic.Mean"/>.</value>
    public MetricStatistic Statistic { get; init; } = MetricStatistic.Mean;

    /// <summary>Gets the methods to run.</summary>
    /// <value>The default value is all three: robust z-score, EWMA and CUSUM.</value>
    public IReadOnlyList<AnomalyMethod> Methods
    {
        get => _methods;
        init => _methods = value is null ? AllMethods : [.. value];
    }

    /// <summary>Gets the thresholds, or <see langword="null"/> for the service's <see cref="MetricsOptions.AnomalyDetection"/>.</summary>
    public AnomalyDetectionOptions? Options { get; init; }
}
