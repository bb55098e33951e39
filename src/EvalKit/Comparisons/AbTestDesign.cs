namespace EvalKit.Comparisons;

/// <summary>How the models' per-case scores are compared.</summary>
public enum AbTestDesign
{
    /// <summary>
    /// Paired, item-level (the default): every model answers the same cases and the analysis uses the per-case differences
    /// (McNemar exact for pass/fail metrics, the paired t-test or the Wilcoxon signed-rank test for continuous ones).
    /// </summary>
    Paired,

    /// <summary>Independent samples: Fisher's exact test for pass/fail metrics, Welch's t-test for continuous ones.</summary>
    Unpaired,
}
