namespace EvalKit.Evaluation;

/// <summary>A run lifecycle notification.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Run">The run as stored at that moment.</param>
/// <param name="Exception">The error, for <see cref="RunEventKind.Failed"/>.</param>
public sealed record RunEvent(RunEventKind Kind, EvaluationRun Run, Exception? Exception = null);
