using EvalKit.Statistics;

namespace EvalKit.Selection;

/// <summary>The statistics of runtime samples the selection engine needs: a quantile and its order-statistic interval.</summary>
internal static class RuntimeStatistics
{
    private const double Z95 = 1.959963984540054;

    /// <summary>
    /// The distribution-free interval of the <paramref name="quantile"/>-quantile from sorted samples: the order statistics
    /// x₍ₗ₎ and x₍ᵤ₎ with l and u from the Binomial(n, q) count of samples below the quantile, in its normal approximation
    /// at 95%. When u falls beyond n, the upper bound is not identified at this n and the largest sample is used.
    /// </summary>
    public static Interval QuantileInterval(ReadOnlySpan<double> sorted, double quantile)
    {
        var n = sorted.Length;
        var mean = n * quantile;
        var sd = Math.Sqrt(n * quantile * (1 - quantile));
        var lower = (int)Math.Floor(mean - (Z95 * sd));
        var upper = (int)Math.Ceiling(mean + (Z95 * sd)) + 1;
        lower = Math.Clamp(lower, 1, n);
        upper = Math.Clamp(upper, 1, n);
        return new Interval(sorted[lower - 1], sorted[upper - 1]);
    }
}
