namespace EvalKit.Metrics;

/// <summary>
/// Compares one metric of several models over a half-open time range [<see cref="From"/>, <see cref="To"/>), such as
/// "is model B's latency really higher than model A's this week?".
/// </summary>
/// <remarks>Filters are properties of this record so that new ones (such as a tenant) can be added without breaking callers.</remarks>
public sealed record MetricComparisonRequest
{
    private readonly IReadOnlyList<string> _modelIds = [];
    private readonly IReadOnlyDictionary<string, string> _tags = Empty.StringDictionary;

    /// <summary>Gets the models to compare: at least two distinct ids.</summary>
    public required IReadOnlyList<string> ModelIds
    {
        get => _modelIds;
        init => _modelIds = value is null ? [] : [.. value];
    }

    /// <summary>Gets the metric, such as <see cref="MetricNames.LatencyMs"/>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the inclusive start.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the tags a point must carry to be compared. Empty by default.</summary>
    public IReadOnlyDictionary<string, string> Tags
    {
        get => _tags;
        init => _tags = MetricValidation.CopyTags(value);
    }

    /// <summary>Gets the test.</summary>
    /// <value>The default value is <see cref="MetricComparisonTest.WelchT"/>.</value>
    public MetricComparisonTest Test { get; init; } = MetricComparisonTest.WelchT;

    /// <summary>Gets the family-wise significance level the Holm-adjusted p-values are compared with; the intervals have level 1 − alpha.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>
    /// Gets the baseline model: when set (it must be one of <see cref="ModelIds"/>), each other model is compared with it
    /// (the baseline is model A of every pair); when <see langword="null"/>, every pair is compared, in the order of <see cref="ModelIds"/>.
    /// </summary>
    public string? BaselineModelId { get; init; }
}
