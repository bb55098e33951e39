namespace EvalKit.Statistics;

/// <summary>How <see cref="HypothesisTests.MannWhitneyU"/> computes its p-value (scipy's <c>method</c>).</summary>
public enum MannWhitneyMethod
{
    /// <summary>
    /// scipy's rule: <see cref="Asymptotic"/> when both samples have more than 8 values or when the pooled sample has
    /// ties; otherwise <see cref="Exact"/>.
    /// </summary>
    Auto,

    /// <summary>The exact null distribution of U without ties. With ties it is only approximate (as in scipy): the
    /// statistic is truncated to an integer before the tail is taken.</summary>
    Exact,

    /// <summary>The normal approximation with the tie-corrected variance and the optional continuity correction.</summary>
    Asymptotic,
}
