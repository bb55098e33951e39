namespace EvalKit.Statistics;

public static partial class HypothesisTests
{
    /// <summary>Relative tolerance for "as or less likely than the observed table" in the two-sided Fisher test.</summary>
    private const double FisherRelativeTolerance = 1e-7;

    /// <summary>
    /// Pearson's chi-squared test of independence for a contingency table, as scipy's
    /// <c>chi2_contingency(table, correction)</c>.
    /// </summary>
    /// <remarks>
    /// Expected counts are <c>row total · column total / grand total</c>; <c>df = (rows − 1)(columns − 1)</c>. Yates'
    /// correction (each observed count moved toward its expected count by at most 0.5) is applied only when
    /// <paramref name="yatesCorrection"/> is set and df = 1. When df = 0 (a single row or column) the result is, as in
    /// scipy, statistic 0 and p-value 1.
    /// </remarks>
    /// <param name="table">The observed counts: at least one row and one column, all non-negative.</param>
    /// <param name="yatesCorrection">Whether to apply Yates' continuity correction for 2×2 tables (scipy's default: yes).</param>
    /// <returns>The chi-squared statistic, its p-value and the degrees of freedom.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentException">The table is empty, has a negative count, or a row or column whose total is
    /// zero (an expected count of zero; scipy raises there too).</exception>
    public static TestResult ChiSquareIndependence(int[,] table, bool yatesCorrection = true)
    {
        ArgumentNullException.ThrowIfNull(table);
        int rows = table.GetLength(0), columns = table.GetLength(1);
        if (rows == 0 || columns == 0)
        {
            throw new ArgumentException("The contingency table is empty.", nameof(table));
        }

        var rowTotals = new double[rows];
        var columnTotals = new double[columns];
        double total = 0;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var count = table[i, j];
                if (count < 0)
                {
                    throw new ArgumentException($"The count at [{i}, {j}] is negative ({count}).", nameof(table));
                }

                rowTotals[i] += count;
                columnTotals[j] += count;
                total += count;
            }
        }

        for (var i = 0; i < rows; i++)
        {
            if (rowTotals[i] == 0)
            {
                throw new ArgumentException($"Row {i} has no observations, so its expected counts are zero.", nameof(table));
            }
        }

        for (var j = 0; j < columns; j++)
        {
            if (columnTotals[j] == 0)
            {
                throw new ArgumentException($"Column {j} has no observations, so its expected counts are zero.", nameof(table));
            }
        }

        var df = (rows - 1) * (columns - 1);
        if (df == 0)
        {
            return new TestResult(0, 1, 0);
        }

        var correct = yatesCorrection && df == 1;
        double statistic = 0;
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < columns; j++)
            {
                var expected = rowTotals[i] * columnTotals[j] / total;
                double observed = table[i, j];
                if (correct)
                {
                    var difference = expected - observed;
                    observed += Math.Sign(difference) * Math.Min(0.5, Math.Abs(difference));
                }

                var deviation = observed - expected;
                statistic += deviation * deviation / expected;
            }
        }

        return new TestResult(statistic, SpecialDistributions.Clamp01(SpecialDistributions.ChiSquaredSf(statistic, df)), df);
    }

    /// <summary>
    /// Fisher's exact test for the 2×2 table [[<paramref name="a"/>, <paramref name="b"/>], [<paramref name="c"/>, <paramref name="d"/>]],
    /// as scipy's <c>fisher_exact(table, alternative)</c>.
    /// </summary>
    /// <remarks>
    /// <para>Under the null, <paramref name="a"/> is hypergeometric with the margins fixed. Less: P(X &lt;= a); greater:
    /// P(X &gt;= a); two-sided: the total probability of the tables no more likely than the observed one, where
    /// "no more likely" means P(x) &lt;= P(a)·(1 + 10⁻⁷). That relative tolerance is R's; scipy 1.10 uses 1 + 10⁻¹⁴.
    /// Both pick the same tables except when two distinct probabilities agree to within 10⁻⁷ relative; the wider
    /// tolerance keeps exactly tied tables (e.g. mirror images in symmetric margins) together despite rounding.</para>
    /// <para>The hypergeometric probabilities are computed by the ratio recursion from the mode and normalized by
    /// their sum, so the tails keep their relative precision.</para>
    /// <para>When a row or a column of the table is all zero the result is, as in scipy, odds ratio NaN and p-value 1.</para>
    /// </remarks>
    /// <param name="a">Row 1, column 1 (e.g. model A pass, condition 1); non-negative.</param>
    /// <param name="b">Row 1, column 2; non-negative.</param>
    /// <param name="c">Row 2, column 1; non-negative.</param>
    /// <param name="d">Row 2, column 2; non-negative.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means the odds ratio exceeds 1.</param>
    /// <returns>The sample odds ratio a·d/(b·c) and the p-value.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or <paramref name="alternative"/> is not a defined value.</exception>
    public static FisherExactResult FisherExact(int a, int b, int c, int d, Alternative alternative = Alternative.TwoSided)
    {
        ValidateAlternative(alternative);
        ArgumentOutOfRangeException.ThrowIfNegative(a);
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfNegative(d);
        if (a + b == 0 || c + d == 0 || a + c == 0 || b + d == 0)
        {
            return new FisherExactResult(double.NaN, 1);
        }

        var oddsRatio = b > 0 && c > 0 ? (double)a * d / ((double)b * c) : double.PositiveInfinity;

        // X = count in cell a: hypergeometric with row-1 total r1, column-1 total k, grand total N.
        long r1 = (long)a + b, r2 = (long)c + d, k = (long)a + c;
        var low = (int)Math.Max(0, k - r2);
        var high = (int)Math.Min(k, r1);
        var weights = HypergeometricWeights(r1, r2, k, low, high, out var sum);
        var observed = weights[a - low];
        double tail = 0;
        switch (alternative)
        {
            case Alternative.Less:
                for (var x = low; x <= a; x++)
                {
                    tail += weights[x - low];
                }

                break;
            case Alternative.Greater:
                for (var x = high; x >= a; x--)
                {
                    tail += weights[x - low];
                }

                break;
            default:
                var threshold = observed * (1 + FisherRelativeTolerance);
                var all = true;
                // Sum from both ends inward (small terms first).
                for (int lo = low, hi = high; lo <= hi;)
                {
                    double wl = weights[lo - low], wh = weights[hi - low];
                    if (wl <= wh)
                    {
                        if (wl <= threshold)
                        {
                            tail += wl;
                        }
                        else
                        {
                            all = false;
                        }

                        lo++;
                    }
                    else
                    {
                        if (wh <= threshold)
                        {
                            tail += wh;
                        }
                        else
                        {
                            all = false;
                        }

                        hi--;
                    }
                }

                if (all)
                {
                    return new FisherExactResult(oddsRatio, 1);
                }

                break;
        }

        return new FisherExactResult(oddsRatio, SpecialDistributions.Clamp01(tail / sum));
    }

    /// <summary>Unnormalized hypergeometric probabilities over [low, high], 1 at the mode, and their sum.</summary>
    private static double[] HypergeometricWeights(long r1, long r2, long k, int low, int high, out double sum)
    {
        var weights = new double[high - low + 1];
        var mode = (int)Math.Floor((k + 1.0) * (r1 + 1.0) / (r1 + r2 + 2.0));
        mode = Math.Clamp(mode, low, high);
        weights[mode - low] = 1;
        // P(x + 1) / P(x) = (r1 − x)(k − x) / ((x + 1)(r2 − k + x + 1)).
        for (long x = mode; x < high; x++)
        {
            weights[x + 1 - low] = weights[x - low] * ((r1 - x) * (double)(k - x) / ((x + 1) * (double)(r2 - k + x + 1)));
        }

        for (long x = mode; x > low; x--)
        {
            // P(x − 1) / P(x) = x (r2 − k + x) / ((r1 − x + 1)(k − x + 1)).
            weights[x - 1 - low] = weights[x - low] * (x * (double)(r2 - k + x) / ((r1 - x + 1) * (double)(k - x + 1)));
        }

        // Sum smallest first for accuracy.
        sum = 0;
        for (int lo = low, hi = high; lo <= hi;)
        {
            if (weights[lo - low] <= weights[hi - low])
            {
                sum += weights[lo++ - low];
            }
            else
            {
                sum += weights[hi-- - low];
            }
        }

        return weights;
    }

    /// <summary>
    /// McNemar's test for paired binary outcomes from the discordant counts, as statsmodels'
    /// <c>mcnemar([[·, b], [c, ·]], exact, correction)</c>.
    /// </summary>
    /// <param name="b">Pairs where the first condition succeeded and the second failed; non-negative.</param>
    /// <param name="c">Pairs where the first condition failed and the second succeeded; non-negative.</param>
    /// <param name="method">The test: exact binomial (default, statsmodels' default), mid-p, or the continuity-corrected chi-squared.</param>
    /// <returns>
    /// For <see cref="McNemarMethod.Exact"/> and <see cref="McNemarMethod.MidP"/>: statistic min(b, c), no degrees of freedom.
    /// For <see cref="McNemarMethod.ChiSquareCorrected"/>: statistic (|b − c| − 1)²/(b + c) with 1 degree of freedom.
    /// When b + c = 0 every method returns statistic 0 and p-value 1 (statsmodels' exact test does the same; its
    /// chi-squared form would divide by zero).
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or <paramref name="method"/> is not a defined value.</exception>
    public static TestResult McNemar(int b, int c, McNemarMethod method = McNemarMethod.Exact)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(b);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        var n = checked(b + c);
        switch (method)
        {
            case McNemarMethod.Exact:
            case McNemarMethod.MidP:
                var smaller = Math.Min(b, c);
                var p = 2 * SpecialDistributions.BinomialCdf(smaller, n, 0.5);
                if (method == McNemarMethod.MidP)
                {
                    p -= SpecialDistributions.BinomialPmf(smaller, n, 0.5);
                }

                return new TestResult(smaller, SpecialDistributions.Clamp01(p));
            case McNemarMethod.ChiSquareCorrected:
                if (n == 0)
                {
                    return new TestResult(0, 1, 1);
                }

                var excess = Math.Abs(b - c) - 1.0;
                var statistic = excess * excess / n;
                return new TestResult(statistic, SpecialDistributions.Clamp01(SpecialDistributions.ChiSquaredSf(statistic, 1)), 1);
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown McNemar method.");
        }
    }
}
