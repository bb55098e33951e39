namespace EvalKit.Evaluation;

/// <summary>A progress report of a running evaluation.</summary>
/// <param name="RunId">The run id.</param>
/// <param name="Done">The results stored so far (including those of earlier sessions of a resumed run).</param>
/// <param name="Failed">The failed calls so far.</param>
/// <param name="Total">The results the run will produce.</param>
public sealed record EvaluationProgress(string RunId, long Done, long Failed, long Total)
{
    /// <summary>Gets the fraction done, in [0, 1].</summary>
    public double Fraction => Total == 0 ? 1 : (double)Done / Total;
}
