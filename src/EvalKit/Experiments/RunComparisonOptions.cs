using EvalKit.Comparisons;

namespace EvalKit.Experiments;

/// <summary>How <see cref="IExperimentService.CompareRunsAsync"/> compares stored runs.</summary>
public sealed record RunComparisonOptions
{
    /// <summary>Gets the metrics to compare; every metric all the runs share when <see langword="null"/> (the primary metric first).</summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Gets the metric whose verdict and flipped cases the comparison reports; the first run's primary metric when <see langword="null"/>.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level, in (0, 1), applied to the adjusted p-values; intervals are at level 1 − alpha.</summary>
    /// <value>The default value is 0.05.</value>
    public double Alpha { get; init; } = 0.05;

    /// <summary>Gets the multiplicity correction, applied over the pairs of each metric.</summary>
    /// <value>The default value is <see cref="PValueCorrection.Holm"/>.</value>
    public PValueCorrection Correction { get; init; } = PValueCorrection.Holm;

    /// <summary>
    /// Gets the value at or above which a case passes: a case's value is the mean of the primary metric over its
    /// repetitions whose call succeeded; a case without a value (every call failed) does not pass.
    /// </summary>
    /// <value>The default value is 0.5 (for 0/1 metrics with one repetition: pass means 1).</value>
    public double PassThreshold { get; init; } = 0.5;

    /// <summary>Gets the label of each run (keyed by run id) used in tables; when missing, the model id (with the run id's start when models repeat).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }
}
