namespace EvalKit.Statistics;

/// <summary>
/// Classical hypothesis tests matching scipy 1.10+ (and statsmodels for McNemar) with scipy's defaults.
/// </summary>
/// <remarks>
/// <para>Tail probabilities are computed directly from the regularized incomplete beta and gamma functions and <c>erfc</c>,
/// so tiny p-values keep their relative precision. Every p-value is clamped to [0, 1].</para>
/// <para>Where scipy would return NaN (zero variance, all-zero differences, empty samples) these methods throw an
/// <see cref="ArgumentException"/> naming the offending parameter instead of returning a silent NaN.</para>
/// </remarks>
public static partial class HypothesisTests
{
    private static void ValidateAlternative(Alternative alternative)
    {
        if (alternative is not (Alternative.TwoSided or Alternative.Less or Alternative.Greater))
        {
            throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative hypothesis.");
        }
    }

    private static void ValidateFinite(ReadOnlySpan<double> values, int minimum, string name)
    {
        Descriptive.Validate(values, minimum, name);
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsInfinity(values[i]))
            {
                throw new ArgumentException($"The sample contains an infinite value at index {i}.", name);
            }
        }
    }

    private static void ValidatePaired(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int minimum)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException(
                $"Paired samples must have the same length; a has {a.Length} value(s) and b has {b.Length}.", nameof(b));
        }

        ValidateFinite(a, minimum, nameof(a));
        ValidateFinite(b, minimum, nameof(b));
    }

    private static double[] Differences(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var d = new double[a.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        return d;
    }

    /// <summary>Tells whether every value equals the first (an exact check, free of rounding in the variance).</summary>
    internal static bool IsConstant(ReadOnlySpan<double> x)
    {
        for (var i = 1; i < x.Length; i++)
        {
            if (x[i] != x[0])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Sample mean and n - 1 variance in one place (the variance via <see cref="Descriptive.Variance"/>).</summary>
    private static (double Mean, double Variance) MeanVariance(ReadOnlySpan<double> x) =>
        (Descriptive.Mean(x), Descriptive.Variance(x));
}
