namespace EvalKit.Statistics;

/// <summary>The outcome of a bootstrap.</summary>
/// <param name="Estimate">The statistic on the original sample (for example the mean paired difference).</param>
/// <param name="Interval">The confidence interval.</param>
/// <param name="StandardError">The bootstrap standard error: the standard deviation (n - 1) of the bootstrap distribution.</param>
/// <param name="Method">The interval method.</param>
/// <param name="Resamples">The number of bootstrap resamples.</param>
/// <param name="Confidence">The confidence level.</param>
public sealed record BootstrapResult(
    double Estimate,
    Interval Interval,
    double StandardError,
    BootstrapMethod Method,
    int Resamples,
    double Confidence);
