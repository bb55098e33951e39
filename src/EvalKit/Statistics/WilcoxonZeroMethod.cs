namespace EvalKit.Statistics;

/// <summary>How <see cref="HypothesisTests.Wilcoxon(ReadOnlySpan{double}, Alternative, WilcoxonZeroMethod, bool, WilcoxonMethod)"/>
/// treats zero differences (scipy's <c>zero_method</c>).</summary>
public enum WilcoxonZeroMethod
{
    /// <summary>Wilcox: zero differences are dropped before ranking (scipy's default).</summary>
    Wilcox,

    /// <summary>Pratt: zero differences are ranked with the others, then their ranks are dropped.</summary>
    Pratt,

    /// <summary>Zero-split: zero differences are ranked with the others and half of their rank sum goes to each of R+ and R−.</summary>
    Zsplit,
}
