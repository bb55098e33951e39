namespace EvalKit.Metrics;

/// <summary>An anomaly detection method (formulas and defaults in <see cref="AnomalyDetector"/> and <see cref="AnomalyDetectionOptions"/>).</summary>
public enum AnomalyMethod
{
    /// <summary>Point outliers: the robust z-score <c>(x − median) / (1.4826 · MAD)</c> over the window.</summary>
    RobustZScore,

    /// <summary>Drifts and small sustained shifts: an exponentially weighted moving average against its control limits.</summary>
    Ewma,

    /// <summary>Change points: the two-sided tabular CUSUM; each anomaly is the estimated start of a level shift.</summary>
    Cusum,
}
