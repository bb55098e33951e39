using EvalKit.Statistics;

namespace EvalKit.Metrics;

/// <summary>An observation (or, for CUSUM, a change point) that a method found outside its expected range.</summary>
public sealed record MetricAnomaly
{
    /// <summary>Gets when: the observation's time, or for <see cref="AnomalyMethod.Cusum"/> the estimated start of the level shift.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets when the method signalled: equal to <see cref="Timestamp"/> except for CUSUM, which signals some observations after a shift starts.</summary>
    public required DateTimeOffset DetectedAt { get; init; }

    /// <summary>Gets the method that found it.</summary>
    public required AnomalyMethod Method { get; init; }

    /// <summary>Gets whether it lies above or below the expected range.</summary>
    public required AnomalyDirection Direction { get; init; }

    /// <summary>Gets the observed value; for CUSUM, the mean of the observations from <see cref="Timestamp"/> to <see cref="DetectedAt"/> (the new level).</summary>
    public required double Value { get; init; }

    /// <summary>
    /// Gets the expected range: for the robust z-score, <c>median ± threshold · scale</c> (bounds on the value); for EWMA, the
    /// control limits at that time (bounds on <see cref="Smoothed"/>); for CUSUM, <c>baseline ± k · σ</c> (the band a level
    /// may drift in without accumulating evidence).
    /// </summary>
    public required Interval Expected { get; init; }

    /// <summary>Gets the centre the method measures from: the window's median (robust z-score) or the baseline level (EWMA, CUSUM).</summary>
    public required double Baseline { get; init; }

    /// <summary>
    /// Gets the standardized distance the method compared with <see cref="Threshold"/> (its sign gives the direction):
    /// the robust z-score; the EWMA's distance from the baseline in units of its standard deviation; the cumulative sum in units of σ.
    /// </summary>
    public required double Score { get; init; }

    /// <summary>Gets the threshold <see cref="Score"/> exceeded (in absolute value).</summary>
    public required double Threshold { get; init; }

    /// <summary>Gets the EWMA at that time, for <see cref="AnomalyMethod.Ewma"/>; otherwise <see langword="null"/>.</summary>
    public double? Smoothed { get; init; }

    /// <summary>Gets a sentence that says what was found.</summary>
    public required string Description { get; init; }
}
