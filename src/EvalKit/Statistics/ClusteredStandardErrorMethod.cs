namespace EvalKit.Statistics;

/// <summary>The variant of the cluster-robust standard error of a mean (Miller 2024, Rec. 2 and Appendix A).</summary>
/// <remarks>With residuals <c>u_i = s_i - s̄</c>, n items and C clusters.</remarks>
public enum ClusteredStandardErrorMethod
{
    /// <summary>
    /// <c>SE = √(Σ_c (Σ_{i∈c} u_i)² · C/(C-1)) / n</c>: the compact form with the CR1 finite-cluster factor, as
    /// inspect_ai's <c>stderr(cluster=...)</c> and evaluatellm compute it. The default; needs at least two clusters.
    /// </summary>
    CR1,

    /// <summary><c>SE = √(Σ_c (Σ_{i∈c} u_i)²) / n</c>: the paper's compact form, without a finite-cluster factor.</summary>
    Compact,

    /// <summary>
    /// <c>SE² = SE²_CLT + (1/n²) Σ_c Σ_{i≠j∈c} u_i u_j</c> with <c>SE_CLT</c> the n - 1 form of
    /// <see cref="StandardErrors.Mean(ReadOnlySpan{double})"/>: the paper's Appendix A formula taken literally.
    /// </summary>
    MillerAppendix,
}
