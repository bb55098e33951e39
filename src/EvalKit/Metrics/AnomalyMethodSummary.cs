namespace EvalKit.Metrics;

/// <summary>How one method ran over a window: the centre and scale it estimated, or why it was skipped.</summary>
public sealed record AnomalyMethodSummary
{
    /// <summary>Gets the method.</summary>
    public required AnomalyMethod Method { get; init; }

    /// <summary>Gets why the method did not run (too few observations), or <see langword="null"/> when it ran.</summary>
    public string? SkippedReason { get; init; }

    /// <summary>Gets the centre: the window's median (robust z-score) or the baseline's median (EWMA, CUSUM); <see langword="null"/> when skipped.</summary>
    public double? Center { get; init; }

    /// <summary>Gets the scale σ the method standardizes with (0 for a constant window, which has no anomaly); <see langword="null"/> when skipped.</summary>
    public double? Scale { get; init; }

    /// <summary>Gets the number of anomalies the method found.</summary>
    public int Count { get; init; }
}
