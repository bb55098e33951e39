namespace EvalKit.Metrics;

/// <summary>
/// Aggregates one metric of one model by period over a half-open time range [<see cref="From"/>, <see cref="To"/>).
/// </summary>
/// <remarks>
/// Buckets are aligned to the period in UTC (see <see cref="MetricBuckets"/>), not to <see cref="From"/>: when the range
/// starts or ends inside a bucket, that bucket counts only the points inside the range. Buckets without points are omitted.
/// Filters are properties of this record so that new ones (such as a tenant) can be added without breaking callers.
/// </remarks>
public sealed record MetricAggregateQuery
{
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the metric name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the inclusive start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end; equal to <see cref="From"/> for an empty range.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the bucket length.</summary>
    /// <value>The default value is <see cref="MetricPeriod.Hour"/>.</value>
    public MetricPeriod Period { get; init; } = MetricPeriod.Hour;

    /// <summary>Gets the tags a point must carry to be counted (each key with exactly this value). Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }

    /// <summary>Gets whether the buckets carry p50, p95 and p99; without them only count, sum, min and max are computed, which is cheaper.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool IncludePercentiles { get; init; } = true;
}
