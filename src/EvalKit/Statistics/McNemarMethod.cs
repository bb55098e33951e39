namespace EvalKit.Statistics;

/// <summary>How <see cref="HypothesisTests.McNemar"/> computes its p-value.</summary>
public enum McNemarMethod
{
    /// <summary>The exact binomial test on the discordant pairs: statistic min(b, c), p = min(1, 2·P(X &lt;= min(b, c))) with
    /// X ~ Binomial(b + c, 1/2) (statsmodels <c>mcnemar(exact=True)</c>).</summary>
    Exact,

    /// <summary>The mid-p variant (Fagerland, Lydersen and Laake 2013): p = min(1, 2·P(X &lt;= min(b, c)) − P(X = min(b, c))).</summary>
    MidP,

    /// <summary>The chi-squared test with continuity correction: (|b − c| − 1)² / (b + c), 1 degree of freedom
    /// (statsmodels <c>mcnemar(exact=False, correction=True)</c>).</summary>
    ChiSquareCorrected,
}
