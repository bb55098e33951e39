namespace EvalKit.Experiments;

/// <summary>
/// A regression gate: a candidate run fails when its primary metric is significantly worse than a stored baseline run's
/// (a one-sided paired test at <see cref="Alpha"/>), or when an absolute threshold set here is missed.
/// </summary>
public sealed record RegressionGate
{
    /// <summary>Gets the id of the stored baseline run.</summary>
    public required string BaselineRunId { get; init; }

    /// <summary>Gets the id of the candidate run.</summary>
    public required string CandidateRunId { get; init; }

    /// <summary>Gets the metric to gate on; the baseline run's primary metric when <see langword="null"/>.</summary>
    public string? Metric { get; init; }

    /// <summary>Gets the significance level of the one-sided test, in (0, 1).</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the smallest mean the candidate must reach, or <see langword="null"/> for no minimum.</summary>
    public double? MinimumScore { get; init; }

    /// <summary>Gets the largest drop of the mean (baseline − candidate) tolerated whatever the test says, or <see langword="null"/> for no limit.</summary>
    public double? MaximumDecrease { get; init; }

    /// <summary>Gets the largest share of failed model calls the candidate may have, in [0, 1], or <see langword="null"/> for no limit.</summary>
    public double? MaximumErrorRate { get; init; }

    /// <summary>Gets the value at or above which a case passes, for the list of flipped cases (see <see cref="RunComparisonOptions.PassThreshold"/>).</summary>
    /// <value>The default value is 0.5.</value>
    public double PassThreshold { get; init; } = 0.5;
}
