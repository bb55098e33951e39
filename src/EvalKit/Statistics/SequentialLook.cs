namespace EvalKit.Statistics;

/// <summary>The state of a <see cref="SequentialMonitor"/> after its latest observation.</summary>
/// <param name="Count">The number of paired observations so far.</param>
/// <param name="Estimate">The mean difference so far (0 before the first observation).</param>
/// <param name="StandardError">
/// The standard error of <paramref name="Estimate"/>, <c>s/√n</c> (n - 1 form); +∞ before two observations.
/// </param>
/// <param name="LikelihoodRatio">The mixture likelihood ratio Λ at this observation (1 while the monitor is warming up).</param>
/// <param name="PValue">The always-valid p-value: the running minimum of <c>min(1, 1/Λ)</c> over all observations so far.</param>
/// <param name="ConfidenceSequence">
/// The running intersection of the mSPRT confidence intervals; (-∞, +∞) while the monitor is warming up.
/// </param>
/// <param name="RejectNull">Whether <paramref name="PValue"/> ≤ α, i.e. the null has been rejected at some observation.</param>
public readonly record struct SequentialLook(
    int Count,
    double Estimate,
    double StandardError,
    double LikelihoodRatio,
    double PValue,
    Interval ConfidenceSequence,
    bool RejectNull);
