namespace EvalKit.Scoring;

/// <summary>A ROUGE score, as rouge-score's <c>Score</c> tuple.</summary>
/// <param name="Precision">Matches over the prediction's size, 0 to 1.</param>
/// <param name="Recall">Matches over the target's size, 0 to 1.</param>
/// <param name="FMeasure">The harmonic mean of <paramref name="Precision"/> and <paramref name="Recall"/>, 0 when both are 0.</param>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure)
{
    /// <summary>The all-zero score, returned when either text has no tokens.</summary>
    public static RougeScore Zero => default;

    /// <summary>Builds a score from precision and recall with rouge-score's <c>fmeasure</c>.</summary>
    /// <param name="precision">The precision.</param>
    /// <param name="recall">The recall.</param>
    /// <returns>The score with its F-measure.</returns>
    public static RougeScore FromPrecisionRecall(double precision, double recall) =>
        new(precision, recall, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0);
}
