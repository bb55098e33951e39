namespace EvalKit.Evaluation;

/// <summary>A run with its summary and its per-case results.</summary>
/// <param name="Run">The run.</param>
/// <param name="Summary">The summary: the run's stored summary, or one computed from the stored results.</param>
/// <param name="Results">The per-case results, ordered by case ordinal then repetition; empty once retention purged them (see <see cref="ResultsPurged"/>).</param>
public sealed record EvaluationResults(EvaluationRun Run, EvaluationSummary Summary, IReadOnlyList<CaseResult> Results)
{
    /// <summary>
    /// Gets a value indicating whether retention deleted the run's per-case results (at <see cref="EvaluationRun.ResultsPurgedAt"/>):
    /// <see cref="Results"/> is then empty while <see cref="Summary"/> still describes every result the run had.
    /// </summary>
    public bool ResultsPurged => Run.ResultsPurgedAt is not null;
}
