namespace EvalKit.Statistics;

/// <summary>A correlation coefficient with the p-value of the test of no correlation.</summary>
/// <param name="Coefficient">The correlation coefficient, in [-1, 1].</param>
/// <param name="PValue">The p-value, in [0, 1].</param>
public readonly record struct CorrelationResult(double Coefficient, double PValue);
