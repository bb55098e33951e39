namespace EvalKit.Metrics;

/// <summary>The two-sample test a metric comparison runs on the raw values of each pair of models.</summary>
public enum MetricComparisonTest
{
    /// <summary>Welch's unequal-variance t-test on the means (scipy's <c>ttest_ind(equal_var=False)</c>); effect size Cohen's d.</summary>
    WelchT,

    /// <summary>The Mann–Whitney U test (scipy's <c>mannwhitneyu</c>), robust to skew and outliers such as latency tails;
    /// effect size the probability that a value of A exceeds one of B (ties count half).</summary>
    MannWhitneyU,
}
