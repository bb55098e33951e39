namespace EvalKit.Statistics;

/// <summary>The alternative hypothesis of a test, with scipy's meaning.</summary>
public enum Alternative
{
    /// <summary>The two distributions (or the statistic) differ in either direction.</summary>
    TwoSided,

    /// <summary>The first sample's distribution is stochastically less than the second's (or the statistic is below its null value).</summary>
    Less,

    /// <summary>The first sample's distribution is stochastically greater than the second's (or the statistic is above its null value).</summary>
    Greater,
}
