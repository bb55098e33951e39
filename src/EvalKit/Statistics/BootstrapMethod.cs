namespace EvalKit.Statistics;

/// <summary>How a bootstrap confidence interval is read from the bootstrap distribution (as <c>scipy.stats.bootstrap</c>).</summary>
public enum BootstrapMethod
{
    /// <summary>The α/2 and 1 - α/2 percentiles of the bootstrap distribution (numpy's linear interpolation).</summary>
    Percentile,

    /// <summary>
    /// Bias-corrected and accelerated (Efron and Tibshirani 1993, §14.3): percentiles shifted by the bias correction
    /// z0 and the jackknife acceleration a. scipy's default.
    /// </summary>
    Bca,

    /// <summary>The basic ("reverse percentile") interval <c>[2θ̂ - q_{1-α/2}, 2θ̂ - q_{α/2}]</c>.</summary>
    Basic,
}
