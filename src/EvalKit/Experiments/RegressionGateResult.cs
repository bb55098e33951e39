using EvalKit.Statistics;

namespace EvalKit.Experiments;

/// <summary>
/// The outcome of a regression gate: whether the candidate passed, every check with its numbers, the one-sided test, the
/// cases that flipped, and a readable report.
/// </summary>
public sealed record RegressionGateResult
{
    private readonly IReadOnlyList<RegressionCheck> _checks = [];
    private readonly IReadOnlyList<FlippedCase> _passToFail = [];
    private readonly IReadOnlyList<FlippedCase> _failToPass = [];

    /// <summary>Gets whether the candidate passed every check.</summary>
    public required bool Passed { get; init; }

    /// <summary>Gets the gated metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the baseline run id.</summary>
    public required string BaselineRunId { get; init; }

    /// <summary>Gets the candidate run id.</summary>
    public required string CandidateRunId { get; init; }

    /// <summary>Gets the baseline run's model id.</summary>
    public required string BaselineModelId { get; init; }

    /// <summary>Gets the candidate run's model id.</summary>
    public required string CandidateModelId { get; init; }

    /// <summary>Gets the significance level of the one-sided test.</summary>
    public double Alpha { get; init; }

    /// <summary>Gets the baseline's mean over its cases with a value.</summary>
    public double BaselineMean { get; init; }

    /// <summary>Gets the candidate's mean over its cases with a value (NaN when none has one).</summary>
    public double CandidateMean { get; init; }

    /// <summary>Gets the number of cases with a value in both runs (the pairs of the test).</summary>
    public int PairedCases { get; init; }

    /// <summary>Gets the mean of the paired differences, candidate − baseline (negative when the candidate is worse).</summary>
    public double MeanDifference { get; init; }

    /// <summary>Gets the two-sided confidence interval of <see cref="MeanDifference"/> at level 1 − alpha.</summary>
    public Interval ConfidenceInterval { get; init; }

    /// <summary>Gets the one-sided test: <c>McNemar exact (one-sided)</c> for pass/fail values, <c>paired t (one-sided)</c> with 30 pairs or more, else <c>Wilcoxon signed-rank (one-sided)</c>.</summary>
    public required string TestName { get; init; }

    /// <summary>Gets the one-sided p-value of "the candidate is worse" (1 when there is no pair).</summary>
    public double PValue { get; init; }

    /// <summary>Gets whether the candidate is significantly worse: <see cref="PValue"/> &lt; alpha.</summary>
    public bool SignificantlyWorse { get; init; }

    /// <summary>Gets the checks, in the order they were made; the gate passes when all pass.</summary>
    public IReadOnlyList<RegressionCheck> Checks
    {
        get => _checks;
        init => _checks = value is null ? [] : [.. value];
    }

    /// <summary>Gets the cases the baseline passed and the candidate fails.</summary>
    public IReadOnlyList<FlippedCase> PassToFail
    {
        get => _passToFail;
        init => _passToFail = value is null ? [] : [.. value];
    }

    /// <summary>Gets the cases the baseline failed and the candidate passes.</summary>
    public IReadOnlyList<FlippedCase> FailToPass
    {
        get => _failToPass;
        init => _failToPass = value is null ? [] : [.. value];
    }

    /// <summary>Gets the readable report: the verdict, the numbers, each check and the flipped cases.</summary>
    public required string Report { get; init; }

    /// <inheritdoc/>
    public override string ToString() => Report;
}
