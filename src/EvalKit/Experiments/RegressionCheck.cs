namespace EvalKit.Experiments;

/// <summary>One check of a regression gate.</summary>
/// <param name="Name">What was checked, such as <c>"not significantly worse"</c> or <c>"minimum score"</c>.</param>
/// <param name="Passed">Whether the candidate passed the check.</param>
/// <param name="Detail">The numbers behind the outcome, in words.</param>
public sealed record RegressionCheck(string Name, bool Passed, string Detail);
