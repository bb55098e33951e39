using EvalKit.Statistics;

namespace EvalKit.Metrics;

/// <summary>
/// One pair of a metric comparison: model A against model B on their raw values over the period, with the test's raw and
/// Holm-adjusted p-values, an effect size, the Welch interval of the mean difference and the verdict in words.
/// </summary>
public sealed record MetricPairComparison
{
    /// <summary>Gets model A (the baseline, when the request names one).</summary>
    public required string ModelA { get; init; }

    /// <summary>Gets model B.</summary>
    public required string ModelB { get; init; }

    /// <summary>Gets A's number of values.</summary>
    public required int CountA { get; init; }

    /// <summary>Gets B's number of values.</summary>
    public required int CountB { get; init; }

    /// <summary>Gets A's mean, or <see langword="null"/> without values.</summary>
    public double? MeanA { get; init; }

    /// <summary>Gets B's mean, or <see langword="null"/> without values.</summary>
    public double? MeanB { get; init; }

    /// <summary>Gets A's median, or <see langword="null"/> without values.</summary>
    public double? MedianA { get; init; }

    /// <summary>Gets B's median, or <see langword="null"/> without values.</summary>
    public double? MedianB { get; init; }

    /// <summary>Gets the mean difference A − B (positive when A is higher), or <see langword="null"/> when a model has no values.</summary>
    public double? MeanDifference { get; init; }

    /// <summary>Gets the Welch t interval of <see cref="MeanDifference"/> at level 1 − alpha (unadjusted), or <see langword="null"/> when a model has fewer than two values.</summary>
    public Interval? ConfidenceInterval { get; init; }

    /// <summary>Gets the test: <see cref="MetricComparisonTest.WelchT"/> or <see cref="MetricComparisonTest.MannWhitneyU"/>.</summary>
    public required MetricComparisonTest Test { get; init; }

    /// <summary>Gets the test statistic as scipy reports it (Welch: t of A − B; Mann–Whitney: U of A), or <see langword="null"/> when no test ran.</summary>
    public double? Statistic { get; init; }

    /// <summary>Gets Welch's degrees of freedom, or <see langword="null"/> for Mann–Whitney or when no test ran.</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>Gets the two-sided p-value, or <see langword="null"/> when no test ran.</summary>
    public double? PValue { get; init; }

    /// <summary>Gets the p-value adjusted by Holm's method over the pairs that were tested, or <see langword="null"/> when no test ran.</summary>
    public double? AdjustedPValue { get; init; }

    /// <summary>Gets the effect size (see <see cref="EffectSizeName"/>), or <see langword="null"/> when undefined.</summary>
    public double? EffectSize { get; init; }

    /// <summary>Gets the effect size's name: <c>Cohen's d</c> (Welch) or <c>probability of superiority</c> (Mann–Whitney: P(A &gt; B) + P(A = B)/2).</summary>
    public required string EffectSizeName { get; init; }

    /// <summary>Gets the conclusion.</summary>
    public required MetricComparisonOutcome Outcome { get; init; }

    /// <summary>Gets the conclusion in words, with the figures that support it.</summary>
    public required string Verdict { get; init; }
}
