namespace EvalKit.Selection;

/// <summary>How the selection engine turns a model's per-criterion scores into one score.</summary>
public enum ScoringMethod
{
    /// <summary>
    /// Simple additive weighting on fixed reference scales: <c>Σ wⱼ·rⱼ / Σ wⱼ</c>. A model's score depends only on its own
    /// evidence, so adding or removing a candidate never reorders the others.
    /// </summary>
    WeightedSum,

    /// <summary>
    /// TOPSIS (Hwang and Yoon 1981) over the fixed-scale scores: closeness to the ideal model of the current candidates.
    /// Scores depend on the candidate set, so adding a candidate can reorder the others (rank reversal).
    /// </summary>
    Topsis,
}
