namespace EvalKit.Statistics;

/// <summary>How <see cref="HypothesisTests.Wilcoxon(ReadOnlySpan{double}, Alternative, WilcoxonZeroMethod, bool, WilcoxonMethod)"/>
/// computes its p-value.</summary>
public enum WilcoxonMethod
{
    /// <summary>
    /// <see cref="Exact"/> when there are at most 50 differences (zeros included), none of them zero and no ties among
    /// their absolute values; otherwise <see cref="Approximate"/>. This is scipy 1.13's size limit (50; it was 25 before
    /// scipy 1.9) with the zero rule of scipy 1.9–1.14, plus scipy 1.15's rule that ties leave the exact path. scipy 1.15
    /// would instead run a full sign-flip permutation test for n &lt;= 13 with ties or zeros; use <see cref="Exact"/>
    /// explicitly for that (it gives the same p-value).
    /// </summary>
    Auto,

    /// <summary>
    /// The exact sign-flip (permutation) null distribution of R+ given the observed ranks. Without ties or zeros this is
    /// the classical Wilcoxon signed-rank distribution and equals scipy's <c>method="exact"</c>. With ties or zeros it is
    /// the exact conditional distribution over all 2^n sign assignments of the non-zero differences (average ranks kept),
    /// which equals scipy 1.15's permutation-test p-value; scipy 1.10 instead switched to the normal approximation when
    /// there were zeros, and truncated a tied statistic. No continuity correction is applied.
    /// </summary>
    Exact,

    /// <summary>The normal approximation with tie correction (and Pratt's mean/variance adjustment), as scipy's
    /// <c>method="approx"</c> (<c>"asymptotic"</c> in scipy 1.15).</summary>
    Approximate,
}
