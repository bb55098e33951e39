using EvalKit.Statistics;

namespace EvalKit.Comparisons;

/// <summary>One model's score on the compared metric: the mean of its per-case values (repetitions averaged per case first).</summary>
public sealed record ArmSummary
{
    /// <summary>Gets the model id.</summary>
    public required string ModelId { get; init; }

    /// <summary>Gets the evaluation run the values come from.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the mean of the per-case values.</summary>
    public double Mean { get; init; }

    /// <summary>Gets the standard error of the mean (sample standard deviation / √n; NaN below two cases).</summary>
    public double StandardError { get; init; }

    /// <summary>Gets the normal confidence interval of the mean at level 1 − alpha.</summary>
    public Interval ConfidenceInterval { get; init; }

    /// <summary>Gets the number of cases with a value.</summary>
    public int N { get; init; }

    /// <summary>Gets the number of cases without a value (every repetition's call failed or its score is missing).</summary>
    public int MissingCases { get; init; }

    /// <summary>Gets the mean per-case latency, or <see langword="null"/> when no latency was recorded.</summary>
    public TimeSpan? MeanLatency { get; init; }

    /// <summary>Gets the mean per-case cost, or <see langword="null"/> when costs are unknown.</summary>
    public double? MeanCost { get; init; }
}
