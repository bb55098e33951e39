namespace EvalKit.Evaluation;

/// <summary>A run with its summary and its per-case results.</summary>
/// <param name="Run">The run.</param>
/// <param name="Summary">The summary, computed from the stored results.</param>
/// <param name="Results">The per-case results, ordered by case ordinal then repetition.</param>
public sealed record EvaluationResults(EvaluationRun Run, EvaluationSummary Summary, IReadOnlyList<CaseResult> Results);
