namespace EvalKit.Selection;

/// <summary>How one criterion contributes to a model's score: the raw value, its fixed-scale score, the weight and the contribution.</summary>
public sealed record CriterionScore
{
    /// <summary>Gets the criterion.</summary>
    public required SelectionCriterion Criterion { get; init; }

    /// <summary>Gets the raw value (metric units, currency per 1,000 requests, milliseconds, or a success rate), or <see langword="null"/> when the evidence is insufficient.</summary>
    public double? RawValue { get; init; }

    /// <summary>Gets the unit of <see cref="RawValue"/>, such as <c>"ms"</c>.</summary>
    public required string Unit { get; init; }

    /// <summary>Gets the score in [0, 1] on the criterion's fixed reference scale (the configured missing-evidence score when there is no evidence).</summary>
    public required double Score { get; init; }

    /// <summary>Gets the weight, normalized so that the weights of a request sum to 1.</summary>
    public required double Weight { get; init; }

    /// <summary>Gets <see cref="Weight"/> × <see cref="Score"/>: the contributions of a model sum to its weighted-sum score.</summary>
    public required double Contribution { get; init; }

    /// <summary>Gets the evidence behind <see cref="RawValue"/>: sample size, interval and origin.</summary>
    public Estimate? Evidence { get; init; }

    /// <summary>Gets a value indicating whether the evidence is insufficient to score the criterion.</summary>
    public bool InsufficientEvidence => Evidence is null;

    /// <summary>Gets what is missing, when the evidence is insufficient.</summary>
    public string? Note { get; init; }
}
