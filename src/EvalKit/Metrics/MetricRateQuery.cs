namespace EvalKit.Metrics;

/// <summary>Computes a <see cref="MetricRate"/> of one model per period over a half-open time range [<see cref="From"/>, <see cref="To"/>).</summary>
/// <remarks>Filters are properties of this record so that new ones (such as a tenant) can be added without breaking callers.</remarks>
public sealed record MetricRateQuery
{
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the rate, such as <see cref="MetricRate.ErrorRate"/>.</summary>
    public required MetricRate Rate { get; init; }

    /// <summary>Gets the inclusive start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the bucket length.</summary>
    /// <value>The default value is <see cref="MetricPeriod.Hour"/>.</value>
    public MetricPeriod Period { get; init; } = MetricPeriod.Hour;

    /// <summary>Gets the tags the points of both the numerator and the denominator must carry. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }
}
