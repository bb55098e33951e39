namespace EvalKit.Statistics;

/// <summary>Descriptive statistics with numpy's and scipy's default conventions.</summary>
public static class Descriptive
{
    /// <summary>Computes the arithmetic mean.</summary>
    /// <param name="values">The sample; must not be empty or contain NaN.</param>
    /// <returns>The mean.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or contains NaN.</exception>
    public static double Mean(ReadOnlySpan<double> values)
    {
        Validate(values, 1, nameof(values));
        // Two passes: the correction term keeps the mean exact to rounding for large n (as numpy's pairwise sum does).
        double sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        var mean = sum / values.Length;
        double correction = 0;
        foreach (var v in values)
        {
            correction += v - mean;
        }

        return mean + (correction / values.Length);
    }

    /// <summary>Computes the sample variance with the n - 1 denominator.</summary>
    /// <param name="values">The sample; at least two values, no NaN.</param>
    /// <returns>The unbiased sample variance.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two values or contains NaN.</exception>
    public static double Variance(ReadOnlySpan<double> values)
    {
        Validate(values, 2, nameof(values));
        var mean = Mean(values);
        double squares = 0, sum = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            squares += d * d;
            sum += d;
        }

        // Corrected two-pass algorithm (Chan, Golub and LeVeque).
        return (squares - (sum * sum / values.Length)) / (values.Length - 1);
    }

    /// <summary>Computes the sample standard deviation with the n - 1 denominator.</summary>
    /// <param name="values">The sample; at least two values, no NaN.</param>
    /// <returns>The square root of <see cref="Variance(ReadOnlySpan{double})"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> has fewer than two values or contains NaN.</exception>
    public static double StandardDeviation(ReadOnlySpan<double> values) => Math.Sqrt(Variance(values));

    /// <summary>Computes a percentile exactly as numpy's default (<c>method="linear"</c>).</summary>
    /// <param name="values">The sample, in any order; must not be empty or contain NaN. It is not modified.</param>
    /// <param name="percent">The percentile, in [0, 100].</param>
    /// <returns>The interpolated percentile.</returns>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or contains NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside [0, 100].</exception>
    public static double Percentile(ReadOnlySpan<double> values, double percent)
    {
        Validate(values, 1, nameof(values));
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return PercentileOfSorted(sorted, percent);
    }

    /// <summary>Computes a percentile of values already sorted ascending, as numpy's default (<c>method="linear"</c>).</summary>
    /// <param name="sorted">The sample sorted ascending; must not be empty.</param>
    /// <param name="percent">The percentile, in [0, 100].</param>
    /// <returns>The interpolated percentile.</returns>
    /// <exception cref="ArgumentException"><paramref name="sorted"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is outside [0, 100].</exception>
    public static double PercentileOfSorted(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("The sample is empty: a percentile needs at least one value.", nameof(sorted));
        }

        if (!(percent >= 0 && percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The percentile must lie in [0, 100].");
        }

        // numpy 'linear': virtual index = q * (n - 1); lerp between the neighbours.
        var index = percent / 100.0 * (sorted.Length - 1);
        var below = (int)Math.Floor(index);
        if (below >= sorted.Length - 1)
        {
            return sorted[^1];
        }

        var fraction = index - below;
        var lo = sorted[below];
        var hi = sorted[below + 1];
        // numpy's _lerp: a + (b - a) * t, and b - (b - a) * (1 - t) when t >= 0.5, for symmetry.
        var diff = hi - lo;
        return fraction >= 0.5 ? hi - (diff * (1 - fraction)) : lo + (diff * fraction);
    }

    internal static void Validate(ReadOnlySpan<double> values, int minimum, string name)
    {
        if (values.Length < minimum)
        {
            throw new ArgumentException(
                minimum == 1
                    ? "The sample is empty."
                    : $"The sample has {values.Length} value(s); at least {minimum} are needed.",
                name);
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException($"The sample contains NaN at index {i}.", name);
            }
        }
    }
}
