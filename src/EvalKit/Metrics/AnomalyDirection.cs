namespace EvalKit.Metrics;

/// <summary>On which side of the expected range an anomaly lies.</summary>
public enum AnomalyDirection
{
    /// <summary>Above the expected range.</summary>
    Above,

    /// <summary>Below the expected range.</summary>
    Below,
}
