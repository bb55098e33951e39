namespace EvalKit.Metrics;

/// <summary>What a pairwise metric comparison concluded.</summary>
public enum MetricComparisonOutcome
{
    /// <summary>Model A's values are significantly higher than model B's (after the Holm adjustment).</summary>
    AHigher,

    /// <summary>Model B's values are significantly higher than model A's (after the Holm adjustment).</summary>
    BHigher,

    /// <summary>The data do not show a difference at the chosen alpha (after the Holm adjustment).</summary>
    NoSignificantDifference,

    /// <summary>A model has fewer than two values in the period: no test was run.</summary>
    InsufficientData,
}
