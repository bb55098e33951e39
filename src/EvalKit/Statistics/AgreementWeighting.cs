namespace EvalKit.Statistics;

/// <summary>The disagreement weights of Cohen's kappa, over the positions of the sorted distinct labels (as scikit-learn).</summary>
public enum AgreementWeighting
{
    /// <summary>Unweighted (nominal) kappa: every disagreement weighs 1.</summary>
    None = 0,

    /// <summary>Linear weights: |i − j|.</summary>
    Linear = 1,

    /// <summary>Quadratic weights: (i − j)².</summary>
    Quadratic = 2,
}
