namespace EvalKit.Statistics;

public static partial class HypothesisTests
{
    /// <summary>
    /// Student's two-sample t-test with pooled variance, as scipy's <c>ttest_ind(a, b)</c> (<c>equal_var=True</c>).
    /// </summary>
    /// <param name="a">The first sample; at least two finite values.</param>
    /// <param name="b">The second sample; at least two finite values.</param>
    /// <param name="alternative">The alternative hypothesis: <see cref="Alternative.Greater"/> means mean(a) &gt; mean(b).</param>
    /// <returns>The t statistic (positive when mean(a) &gt; mean(b)), its p-value and <c>df = n_a + n_b - 2</c>.</returns>
    /// <exception cref="ArgumentException">A sample has fewer than two values, contains NaN or infinity, or both samples
    /// have zero variance (scipy returns NaN or an infinite statistic there).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> is not a defined value.</exception>
    public static TestResult StudentTTest(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Alternative alternative = Alternative.TwoSided)
    {
        ValidateAlternative(alternative);
        ValidateFinite(a, 2, nameof(a));
        ValidateFinite(b, 2, nameof(b));
        var (meanA, varA) = MeanVariance(a);
        var (meanB, varB) = MeanVariance(b);
        double na = a.Length, nb = b.Length;
        var df = na + nb - 2;
        var pooled = (((na - 1) * varA) + ((nb - 1) * varB)) / df;
        var se = Math.Sqrt(pooled * ((1 / na) + (1 / nb)));
        if ((IsConstant(a) && IsConstant(b)) || !(se > 0))
        {
            throw new ArgumentException("Both samples have zero variance: the t statistic is undefined.", nameof(b));
        }

        var t = (meanA - meanB) / se;
        return new TestResult(t, SpecialDistributions.Clamp01(SpecialDistributions.StudentTPValue(t, df, alternative)), df);
    }

    /// <summary>
    /// Welch's unequal-variance t-test, as scipy's <c>ttest_ind(a, b, equal_var=False)</c>, with Welch–Satterthwaite degrees of freedom.
    /// </summary>
    /// <param name="a">The first sample; at least two finite values.</param>
    /// <param name="b">The second sample; at least two finite values.</param>
    /// <param name="alternative">The alternative hypothesis: <see cref="Alternative.Greater"/> means mean(a) &gt; mean(b).</param>
    /// <returns>The t statistic, its p-value and the (fractional) Welch–Satterthwaite degrees of freedom.</returns>
    /// <exception cref="ArgumentException">A sample has fewer than two values, contains NaN or infinity, or both samples
    /// have zero variance.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> is not a defined value.</exception>
    public static TestResult WelchTTest(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Alternative alternative = Alternative.TwoSided)
    {
        ValidateAlternative(alternative);
        ValidateFinite(a, 2, nameof(a));
        ValidateFinite(b, 2, nameof(b));
        var (meanA, varA) = MeanVariance(a);
        var (meanB, varB) = MeanVariance(b);
        double na = a.Length, nb = b.Length;
        var va = varA / na;
        var vb = varB / nb;
        var sum = va + vb;
        if ((IsConstant(a) && IsConstant(b)) || !(sum > 0))
        {
            throw new ArgumentException("Both samples have zero variance: the t statistic is undefined.", nameof(b));
        }

        var df = sum * sum / ((va * va / (na - 1)) + (vb * vb / (nb - 1)));
        var t = (meanA - meanB) / Math.Sqrt(sum);
        return new TestResult(t, SpecialDistributions.Clamp01(SpecialDistributions.StudentTPValue(t, df, alternative)), df);
    }

    /// <summary>
    /// Paired t-test on the differences <c>a[i] - b[i]</c>, as scipy's <c>ttest_rel(a, b)</c>.
    /// </summary>
    /// <param name="a">The first measurements; at least two finite values.</param>
    /// <param name="b">The paired second measurements; same length as <paramref name="a"/>.</param>
    /// <param name="alternative">The alternative hypothesis: <see cref="Alternative.Greater"/> means the mean difference a - b is positive.</param>
    /// <returns>The t statistic of the mean difference, its p-value and <c>df = n - 1</c>.</returns>
    /// <exception cref="ArgumentException">The samples differ in length, have fewer than two pairs, contain NaN or
    /// infinity, or all differences are equal (zero variance: scipy returns NaN or an infinite statistic).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> is not a defined value.</exception>
    public static TestResult PairedTTest(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Alternative alternative = Alternative.TwoSided)
    {
        ValidateAlternative(alternative);
        ValidatePaired(a, b, 2);
        var d = Differences(a, b);
        var (mean, variance) = MeanVariance(d);
        double n = d.Length;
        var se = Math.Sqrt(variance / n);
        if (IsConstant(d) || !(se > 0))
        {
            throw new ArgumentException("All paired differences are equal (zero variance): the t statistic is undefined.", nameof(b));
        }

        var t = mean / se;
        var df = n - 1;
        return new TestResult(t, SpecialDistributions.Clamp01(SpecialDistributions.StudentTPValue(t, df, alternative)), df);
    }
}
