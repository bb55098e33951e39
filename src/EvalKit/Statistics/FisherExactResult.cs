namespace EvalKit.Statistics;

/// <summary>The outcome of <see cref="HypothesisTests.FisherExact"/>.</summary>
/// <param name="OddsRatio">The sample (unconditional) odds ratio a·d / (b·c), as scipy reports it: positive infinity
/// when b·c = 0, and NaN when a row or a column of the table is all zero (then the p-value is 1).</param>
/// <param name="PValue">The p-value, in [0, 1].</param>
public readonly record struct FisherExactResult(double OddsRatio, double PValue);
