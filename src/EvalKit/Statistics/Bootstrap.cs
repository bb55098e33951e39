namespace EvalKit.Statistics;

/// <summary>
/// Seeded bootstrap confidence intervals for means and paired mean differences, with the interval definitions of
/// <c>scipy.stats.bootstrap</c> (percentile, basic and BCa; percentiles by numpy's linear interpolation; BCa bias
/// correction from the mid-rank fraction of resamples below the estimate and acceleration from the jackknife).
/// </summary>
/// <remarks>
/// <para>
/// Resampling uses EvalKit's own xoshiro256** generator: the same seed gives the same result on every run, platform and
/// .NET version, but not scipy's random numbers. Resamples are drawn in fixed blocks of 128, each from its own stream of
/// the seed, so the result does not depend on how many threads compute it.
/// </para>
/// <para>
/// For a paired comparison only the per-item differences matter: resampling items and taking
/// <c>mean(a*) - mean(b*)</c> equals the mean of the resampled differences, and the paired jackknife leaves out one item.
/// </para>
/// </remarks>
public static class Bootstrap
{
    private const int BlockSize = 128;
    private const long ParallelThreshold = 4_000_000;

    /// <summary>
    /// A bootstrap confidence interval for the mean paired difference <c>mean(a - b)</c> of two models scored on the same
    /// items (scipy <c>bootstrap((a, b), lambda a, b: mean(a) - mean(b), paired=True)</c>).
    /// </summary>
    /// <param name="a">The first model's item scores; at least two, all finite.</param>
    /// <param name="b">The second model's scores on the same items, in the same order.</param>
    /// <param name="resamples">The number of bootstrap resamples; at least 2 (scipy's default is 9,999).</param>
    /// <param name="seed">The seed; the same seed gives the same result.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <param name="method">The interval method; BCa by default, as scipy.</param>
    /// <returns>The estimate, interval and bootstrap standard error. When every difference is equal the interval is that single value.</returns>
    /// <exception cref="ArgumentException">The samples have fewer than two values, differ in length, or contain NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resamples"/> is below 2 or <paramref name="confidence"/> is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException">
    /// <see cref="BootstrapMethod.Bca"/> is undefined because every resample lies on one side of the estimate (use another method or more resamples).
    /// </exception>
    public static BootstrapResult PairedMeanDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int resamples, int seed, double confidence = 0.95, BootstrapMethod method = BootstrapMethod.Bca)
    {
        var differences = Differences(a, b);
        ValidateOptions(resamples, confidence, method);
        return Run(differences, resamples, seed, confidence, method);
    }

    /// <summary>A bootstrap confidence interval for the mean of one sample (scipy <c>bootstrap((x,), np.mean)</c>).</summary>
    /// <param name="x">The sample; at least two values, all finite.</param>
    /// <param name="resamples">The number of bootstrap resamples; at least 2.</param>
    /// <param name="seed">The seed; the same seed gives the same result.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <param name="method">The interval method; BCa by default, as scipy.</param>
    /// <returns>The estimate, interval and bootstrap standard error. When every value is equal the interval is that single value.</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer than two values or contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resamples"/> is below 2 or <paramref name="confidence"/> is not in (0, 1).</exception>
    /// <exception cref="InvalidOperationException"><see cref="BootstrapMethod.Bca"/> is undefined for this bootstrap distribution.</exception>
    public static BootstrapResult Mean(ReadOnlySpan<double> x, int resamples, int seed, double confidence = 0.95, BootstrapMethod method = BootstrapMethod.Bca)
    {
        Descriptive.Validate(x, 2, nameof(x));
        ConfidenceIntervalsDistributions.ValidateFinite(x, nameof(x));
        ValidateOptions(resamples, confidence, method);
        return Run(x.ToArray(), resamples, seed, confidence, method);
    }

    /// <summary>
    /// The paired bootstrap with resample indices supplied by the caller (row r holds the item indices of resample r),
    /// so the interval arithmetic can be checked against scipy on a fixed bootstrap distribution.
    /// </summary>
    internal static BootstrapResult PairedMeanDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b, IReadOnlyList<int[]> resampleIndices, double confidence, BootstrapMethod method)
    {
        var differences = Differences(a, b);
        ValidateOptions(resampleIndices.Count, confidence, method);
        var theta = new double[resampleIndices.Count];
        for (var r = 0; r < theta.Length; r++)
        {
            var row = resampleIndices[r];
            double sum = 0;
            foreach (var i in row)
            {
                sum += differences[i];
            }

            theta[r] = sum / row.Length;
        }

        return Summarize(differences, theta, confidence, method);
    }

    private static double[] Differences(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ConfidenceIntervalsDistributions.ValidatePaired(a, b, 2, nameof(a), nameof(b));
        ConfidenceIntervalsDistributions.ValidateFinite(a, nameof(a));
        ConfidenceIntervalsDistributions.ValidateFinite(b, nameof(b));
        var d = new double[a.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        ConfidenceIntervalsDistributions.ValidateFinite(d, nameof(b));
        return d;
    }

    private static void ValidateOptions(int resamples, double confidence, BootstrapMethod method)
    {
        if (resamples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "At least two resamples are needed (the bootstrap standard error needs two).");
        }

        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        if (method is not (BootstrapMethod.Percentile or BootstrapMethod.Bca or BootstrapMethod.Basic))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown bootstrap method.");
        }
    }

    private static BootstrapResult Run(double[] values, int resamples, int seed, double confidence, BootstrapMethod method)
    {
        var theta = new double[resamples];
        var blocks = (resamples + BlockSize - 1) / BlockSize;
        if ((long)resamples * values.Length >= ParallelThreshold && Environment.ProcessorCount > 1)
        {
            Parallel.For(0, blocks, block => ResampleBlock(values, theta, seed, block));
        }
        else
        {
            for (var block = 0; block < blocks; block++)
            {
                ResampleBlock(values, theta, seed, block);
            }
        }

        return Summarize(values, theta, confidence, method);
    }

    private static void ResampleBlock(double[] values, double[] theta, int seed, int block)
    {
        var random = BootstrapRandom.ForStream(seed, block);
        var n = values.Length;
        var end = Math.Min(theta.Length, (block + 1) * BlockSize);
        for (var r = block * BlockSize; r < end; r++)
        {
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += values[random.NextIndex(n)];
            }

            theta[r] = sum / n;
        }
    }

    private static BootstrapResult Summarize(double[] values, double[] theta, double confidence, BootstrapMethod method)
    {
        var estimate = Descriptive.Mean(values);
        var standardError = Descriptive.StandardDeviation(theta);
        Array.Sort(theta);
        var alpha = (1 - confidence) / 2;
        Interval interval;
        if (AllEqual(values))
        {
            interval = new Interval(estimate, estimate);
            standardError = 0;
        }
        else
        {
            switch (method)
            {
                case BootstrapMethod.Percentile:
                    interval = new Interval(Descriptive.PercentileOfSorted(theta, alpha * 100), Descriptive.PercentileOfSorted(theta, (1 - alpha) * 100));
                    break;
                case BootstrapMethod.Basic:
                    var lo = Descriptive.PercentileOfSorted(theta, alpha * 100);
                    var hi = Descriptive.PercentileOfSorted(theta, (1 - alpha) * 100);
                    interval = new Interval((2 * estimate) - hi, (2 * estimate) - lo);
                    break;
                default:
                    var (alpha1, alpha2) = BcaLevels(values, theta, estimate, alpha);
                    interval = new Interval(Descriptive.PercentileOfSorted(theta, alpha1 * 100), Descriptive.PercentileOfSorted(theta, alpha2 * 100));
                    break;
            }
        }

        return new BootstrapResult(estimate, interval, standardError, method, theta.Length, confidence);
    }

    /// <summary>The BCa percentile levels (as fractions) for the mean, from the sorted bootstrap distribution.</summary>
    internal static (double Lower, double Upper) BcaLevels(double[] values, double[] sortedTheta, double estimate, double alpha)
    {
        // Bias correction: the mid-rank fraction of resamples below the estimate, (#{θ* < θ̂} + #{θ* ≤ θ̂}) / 2B.
        var below = CountBelow(sortedTheta, estimate, strict: true);
        var atOrBelow = CountBelow(sortedTheta, estimate, strict: false);
        var fraction = (below + (double)atOrBelow) / (2.0 * sortedTheta.Length);
        if (fraction <= 0 || fraction >= 1)
        {
            throw new InvalidOperationException(
                "The BCa interval is undefined: every bootstrap resample lies on one side of the estimate. Use more resamples or the percentile method.");
        }

        var z0 = ConfidenceIntervalsDistributions.NormalQuantile(fraction);

        // Acceleration from the jackknife of the mean: θ̄ - θ_(i) = (x_i - x̄)/(n - 1), and the scale cancels, so
        // a = Σ u³ / (6 (Σ u²)^{3/2}) with u_i = x_i - x̄.
        var mean = Descriptive.Mean(values);
        double cubes = 0, squares = 0;
        foreach (var v in values)
        {
            var u = v - mean;
            squares += u * u;
            cubes += u * u * u;
        }

        var acceleration = cubes / (6 * Math.Pow(squares, 1.5));
        var zAlpha = ConfidenceIntervalsDistributions.NormalQuantile(alpha);
        var num1 = z0 + zAlpha;
        var alpha1 = ConfidenceIntervalsDistributions.NormalCdf(z0 + (num1 / (1 - (acceleration * num1))));
        var num2 = z0 - zAlpha;
        var alpha2 = ConfidenceIntervalsDistributions.NormalCdf(z0 + (num2 / (1 - (acceleration * num2))));
        if (!(alpha1 >= 0 && alpha1 <= 1 && alpha2 >= 0 && alpha2 <= 1))
        {
            throw new InvalidOperationException("The BCa interval is undefined for this sample (the acceleration is too large). Use the percentile method.");
        }

        return (alpha1, alpha2);
    }

    private static int CountBelow(double[] sorted, double value, bool strict)
    {
        // The first index whose element is >= value (strict) or > value (not strict).
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var goRight = strict ? sorted[mid] < value : sorted[mid] <= value;
            if (goRight)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static bool AllEqual(double[] values)
    {
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] != values[0])
            {
                return false;
            }
        }

        return true;
    }
}
