namespace EvalKit.Metrics;

/// <summary>The comparison of one metric across models over a period: a summary per model and the pairwise tests.</summary>
public sealed record MetricComparison
{
    /// <summary>Gets the metric.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the inclusive start of the period.</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>Gets the exclusive end of the period.</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>Gets the test.</summary>
    public required MetricComparisonTest Test { get; init; }

    /// <summary>Gets the family-wise significance level.</summary>
    public required double Alpha { get; init; }

    /// <summary>Gets one summary per model, in the request's order.</summary>
    public required IReadOnlyList<MetricSampleSummary> Models { get; init; }

    /// <summary>Gets the pairwise comparisons.</summary>
    public required IReadOnlyList<MetricPairComparison> Pairs { get; init; }
}
