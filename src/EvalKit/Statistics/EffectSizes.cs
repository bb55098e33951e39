using MathNet.Numerics;

namespace EvalKit.Statistics;

/// <summary>Standardized effect sizes for two-sample, paired and pass/fail comparisons.</summary>
public static class EffectSizes
{
    /// <summary>
    /// Cohen's d for two independent samples: <c>(mean(a) − mean(b)) / s_pooled</c> with
    /// <c>s_pooled² = ((n_a − 1)s_a² + (n_b − 1)s_b²)/(n_a + n_b − 2)</c> (sample variances with n − 1).
    /// </summary>
    /// <param name="a">The first sample; at least two finite values.</param>
    /// <param name="b">The second sample; at least two finite values.</param>
    /// <returns>Cohen's d; positive when mean(a) &gt; mean(b).</returns>
    /// <exception cref="ArgumentException">A sample has fewer than two values, contains NaN or infinity, or both samples
    /// are constant (the pooled standard deviation is zero).</exception>
    public static double CohensD(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Check(a, nameof(a));
        Check(b, nameof(b));
        if (HypothesisTests.IsConstant(a) && HypothesisTests.IsConstant(b))
        {
            throw new ArgumentException("Both samples are constant: the pooled standard deviation is zero.", nameof(b));
        }

        double na = a.Length, nb = b.Length;
        var pooled = (((na - 1) * Descriptive.Variance(a)) + ((nb - 1) * Descriptive.Variance(b))) / (na + nb - 2);
        return (Descriptive.Mean(a) - Descriptive.Mean(b)) / Math.Sqrt(pooled);
    }

    /// <summary>
    /// Hedges' g: Cohen's d times the exact small-sample bias correction
    /// <c>J(ν) = Γ(ν/2) / (sqrt(ν/2)·Γ((ν − 1)/2))</c> with <c>ν = n_a + n_b − 2</c> (Hedges 1981), computed through
    /// log-gamma. (The common approximation <c>1 − 3/(4ν − 1)</c> differs from it by less than 0.1% for ν ≥ 10.)
    /// </summary>
    /// <param name="a">The first sample; at least two finite values.</param>
    /// <param name="b">The second sample; at least two finite values.</param>
    /// <returns>Hedges' g; positive when mean(a) &gt; mean(b).</returns>
    /// <exception cref="ArgumentException">As <see cref="CohensD"/>.</exception>
    public static double HedgesG(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var d = CohensD(a, b);
        double df = a.Length + b.Length - 2;
        return d * HedgesCorrection(df);
    }

    /// <summary>
    /// Cohen's d_z for paired samples: the mean of the differences <c>a[i] − b[i]</c> divided by their standard deviation (n − 1).
    /// </summary>
    /// <param name="a">The first measurements; at least two finite values.</param>
    /// <param name="b">The paired second measurements; same length as <paramref name="a"/>.</param>
    /// <returns>d_z; positive when a exceeds b on average.</returns>
    /// <exception cref="ArgumentException">The samples differ in length, have fewer than two pairs, contain NaN or
    /// infinity, or all differences are equal (zero standard deviation).</exception>
    public static double PairedCohensDz(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException(
                $"Paired samples must have the same length; a has {a.Length} value(s) and b has {b.Length}.", nameof(b));
        }

        Check(a, nameof(a));
        Check(b, nameof(b));
        var d = new double[a.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        if (HypothesisTests.IsConstant(d))
        {
            throw new ArgumentException("All paired differences are equal: their standard deviation is zero.", nameof(b));
        }

        return Descriptive.Mean(d) / Descriptive.StandardDeviation(d);
    }

    /// <summary>The risk (proportion) difference <c>successesA/nA − successesB/nB</c> for pass/fail outcomes.</summary>
    /// <param name="successesA">Successes in group A; in [0, <paramref name="nA"/>].</param>
    /// <param name="nA">Trials in group A; positive.</param>
    /// <param name="successesB">Successes in group B; in [0, <paramref name="nB"/>].</param>
    /// <param name="nB">Trials in group B; positive.</param>
    /// <returns>The difference of the success proportions, in [−1, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">A trial count is not positive or a success count is outside [0, n].</exception>
    public static double RiskDifference(int successesA, int nA, int successesB, int nB)
    {
        CheckCounts(successesA, nA, nameof(successesA), nameof(nA));
        CheckCounts(successesB, nB, nameof(successesB), nameof(nB));
        return ((double)successesA / nA) - ((double)successesB / nB);
    }

    /// <summary>
    /// The sample odds ratio of success in A versus B: <c>(s_A/f_A) / (s_B/f_B) = s_A·f_B / (f_A·s_B)</c>, f = n − s failures.
    /// </summary>
    /// <remarks>
    /// Without correction the result is positive infinity when <c>f_A·s_B = 0</c> and <c>s_A·f_B &gt; 0</c> (as scipy's
    /// <c>fisher_exact</c> reports it), and 0 when only the numerator is zero. With <paramref name="haldaneCorrection"/>
    /// 0.5 is added to every cell (Haldane–Anscombe), which keeps the ratio finite and positive.
    /// </remarks>
    /// <param name="successesA">Successes in group A; in [0, <paramref name="nA"/>].</param>
    /// <param name="nA">Trials in group A; positive.</param>
    /// <param name="successesB">Successes in group B; in [0, <paramref name="nB"/>].</param>
    /// <param name="nB">Trials in group B; positive.</param>
    /// <param name="haldaneCorrection">Whether to add 0.5 to every cell.</param>
    /// <returns>The odds ratio (greater than 1 when A succeeds more often).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A trial count is not positive or a success count is outside [0, n].</exception>
    /// <exception cref="ArgumentException">Without correction, both <c>s_A·f_B</c> and <c>f_A·s_B</c> are zero (0/0: the
    /// odds ratio is undefined; use <paramref name="haldaneCorrection"/>).</exception>
    public static double OddsRatio(int successesA, int nA, int successesB, int nB, bool haldaneCorrection = false)
    {
        CheckCounts(successesA, nA, nameof(successesA), nameof(nA));
        CheckCounts(successesB, nB, nameof(successesB), nameof(nB));
        var add = haldaneCorrection ? 0.5 : 0;
        double sA = successesA + add, fA = nA - successesA + add, sB = successesB + add, fB = nB - successesB + add;
        var numerator = sA * fB;
        var denominator = fA * sB;
        if (denominator == 0)
        {
            return numerator > 0
                ? double.PositiveInfinity
                : throw new ArgumentException(
                    "The odds ratio is 0/0 (undefined) for these counts; pass haldaneCorrection: true for a finite estimate.",
                    nameof(successesB));
        }

        return numerator / denominator;
    }

    /// <summary>The exact Hedges correction J(ν) = Γ(ν/2) / (sqrt(ν/2)·Γ((ν − 1)/2)).</summary>
    internal static double HedgesCorrection(double df) =>
        Math.Exp(SpecialFunctions.GammaLn(df / 2) - SpecialFunctions.GammaLn((df - 1) / 2)) / Math.Sqrt(df / 2);

    private static void Check(ReadOnlySpan<double> values, string name)
    {
        Descriptive.Validate(values, 2, name);
        for (var i = 0; i < values.Length; i++)
        {
            if (double.IsInfinity(values[i]))
            {
                throw new ArgumentException($"The sample contains an infinite value at index {i}.", name);
            }
        }
    }

    private static void CheckCounts(int successes, int n, string successesName, string nName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n, nName);
        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(successesName, successes, $"The success count must lie in [0, {nName}] = [0, {n}].");
        }
    }
}
