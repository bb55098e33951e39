namespace EvalKit.Comparisons;

/// <summary>
/// The difference A − B of a secondary per-case measure (latency in milliseconds, or cost), with a rank test:
/// the Wilcoxon signed-rank test on the per-case differences (paired design) or the Mann–Whitney U test (unpaired design).
/// Its p-value is not adjusted for multiplicity.
/// </summary>
public sealed record MetricDifference
{
    /// <summary>Gets the measure's name: <c>latency_ms</c> or <c>cost</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the number of cases (pairs in the paired design; both samples together in the unpaired design).</summary>
    public int N { get; init; }

    /// <summary>Gets the mean of A minus the mean of B.</summary>
    public double MeanDifference { get; init; }

    /// <summary>Gets the median of the per-case differences (paired) or the difference of the medians (unpaired).</summary>
    public double MedianDifference { get; init; }

    /// <summary>Gets the test used: <c>Wilcoxon signed-rank</c> or <c>Mann-Whitney U</c>.</summary>
    public required string TestName { get; init; }

    /// <summary>Gets the test statistic as scipy reports it.</summary>
    public double Statistic { get; init; }

    /// <summary>Gets the two-sided p-value (1 when every difference is zero).</summary>
    public double PValue { get; init; }
}
