namespace EvalKit.Statistics;

/// <summary>The outcome of a hypothesis test.</summary>
/// <param name="Statistic">The test statistic, as scipy reports it for the same test.</param>
/// <param name="PValue">The p-value, in [0, 1].</param>
/// <param name="DegreesOfFreedom">The degrees of freedom where the test has them; otherwise <see langword="null"/>.</param>
public readonly record struct TestResult(double Statistic, double PValue, double? DegreesOfFreedom = null);
