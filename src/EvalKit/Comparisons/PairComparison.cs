using EvalKit.Statistics;

namespace EvalKit.Comparisons;

/// <summary>
/// The comparison of two models on the primary metric: mean difference A − B with its confidence interval, the test the
/// choice rule picked (see <see cref="IAbTestService"/>), raw and adjusted p-values, effect size, item correlation, and
/// the latency and cost differences.
/// </summary>
public sealed record PairComparison
{
    /// <summary>Gets the first model ("A").</summary>
    public required string ModelA { get; init; }

    /// <summary>Gets the second model ("B").</summary>
    public required string ModelB { get; init; }

    /// <summary>Gets the number of cases of A in the analysis (in the paired design, the number of pairs).</summary>
    public int CountA { get; init; }

    /// <summary>Gets the number of cases of B in the analysis (in the paired design, the number of pairs).</summary>
    public int CountB { get; init; }

    /// <summary>Gets the cases dropped from the pair because one arm has no value for them (paired design only).</summary>
    public int DroppedCases { get; init; }

    /// <summary>Gets A's mean over the analysed cases.</summary>
    public double MeanA { get; init; }

    /// <summary>Gets B's mean over the analysed cases.</summary>
    public double MeanB { get; init; }

    /// <summary>Gets the mean difference A − B (positive when A scores higher).</summary>
    public double MeanDifference { get; init; }

    /// <summary>Gets the standard error of the mean difference (paired: sd(d)/√n; unpaired: √(SE_A² + SE_B²)).</summary>
    public double StandardError { get; init; }

    /// <summary>Gets the unadjusted confidence interval of the mean difference at level 1 − alpha.</summary>
    public Interval ConfidenceInterval { get; init; }

    /// <summary>Gets the test used: <c>McNemar exact</c>, <c>paired t</c>, <c>Wilcoxon signed-rank</c>, <c>Fisher exact</c> or <c>Welch t</c> (<c>none (no paired cases)</c> when no case has a value in both arms; its p-value is then 1).</summary>
    public required string TestName { get; init; }

    /// <summary>Gets the test statistic (McNemar: min(b, c); t tests: t; Wilcoxon: min(R+, R−); Fisher: the odds ratio).</summary>
    public double Statistic { get; init; }

    /// <summary>Gets the degrees of freedom, for t tests.</summary>
    public double? DegreesOfFreedom { get; init; }

    /// <summary>Gets the two-sided p-value.</summary>
    public double PValue { get; init; }

    /// <summary>Gets the p-value adjusted over all pairs of the comparison by the chosen correction.</summary>
    public double AdjustedPValue { get; init; }

    /// <summary>Gets the effect size (see <see cref="EffectSizeName"/>).</summary>
    public double EffectSize { get; init; }

    /// <summary>Gets the effect size's name: <c>risk difference</c> (pass/fail), <c>Cohen's d_z</c> (paired continuous) or <c>Cohen's d</c> (unpaired continuous).</summary>
    public required string EffectSizeName { get; init; }

    /// <summary>Gets the Pearson correlation of the two models' per-case values (paired design; <see langword="null"/> when undefined).</summary>
    public double? ItemCorrelation { get; init; }

    /// <summary>Gets the cases A passed and B failed (pass/fail metrics, paired design).</summary>
    public int? OnlyAPassed { get; init; }

    /// <summary>Gets the cases B passed and A failed (pass/fail metrics, paired design).</summary>
    public int? OnlyBPassed { get; init; }

    /// <summary>Gets whether the adjusted p-value is below alpha.</summary>
    public bool Significant { get; init; }

    /// <summary>Gets the sample size (pairs, or cases per arm when unpaired) needed to detect the observed difference with
    /// 80% power at alpha; <see langword="null"/> when the observed difference is zero.</summary>
    public int? RequiredSampleSize { get; init; }

    /// <summary>Gets the latency difference in milliseconds, when both arms recorded latencies.</summary>
    public MetricDifference? Latency { get; init; }

    /// <summary>Gets the cost difference, when both arms have known costs.</summary>
    public MetricDifference? Cost { get; init; }
}
