namespace EvalKit.Statistics;

public static partial class HypothesisTests
{
    /// <summary>
    /// The Mann–Whitney U test (Wilcoxon rank-sum test) for two independent samples, as scipy's
    /// <c>mannwhitneyu(a, b, use_continuity, alternative, method)</c>.
    /// </summary>
    /// <remarks>
    /// <para>U of <paramref name="a"/> is <c>R_a − n_a(n_a + 1)/2</c> with R_a the sum of a's average ranks in the pooled sample.</para>
    /// <para>Exact: the no-ties null distribution of U (a probability array built from the Gaussian binomial coefficient);
    /// two-sided p = 2·P(U &gt;= max(U_a, U_b)), greater: P(U &gt;= U_a), less: P(U &gt;= U_b) (the statistic is
    /// truncated to an integer, as scipy). Its cost grows as min(n_a, n_b)·n_a·n_b / 2.</para>
    /// <para>Asymptotic: <c>z = (U − n_a·n_b/2 − 0.5·cc) / σ</c> with the tie-corrected
    /// <c>σ² = n_a·n_b/12 · ((n + 1) − Σ(t³ − t)/(n(n − 1)))</c>, U chosen as for the exact test.</para>
    /// </remarks>
    /// <param name="a">The first sample; at least one finite value.</param>
    /// <param name="b">The second sample; at least one finite value.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means a is stochastically greater than b.</param>
    /// <param name="method">The p-value method; <see cref="MannWhitneyMethod.Auto"/> follows scipy's rule (exact when
    /// either sample has at most 8 values and there are no ties).</param>
    /// <param name="continuityCorrection">Whether the asymptotic method applies the 0.5 continuity correction (scipy's default: yes).</param>
    /// <returns>U of <paramref name="a"/> and the p-value.</returns>
    /// <exception cref="ArgumentException">A sample is empty or contains NaN or infinity; the asymptotic method was
    /// chosen and every pooled value is equal (zero variance); or the exact method is too large to compute.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> or <paramref name="method"/> is not a defined value.</exception>
    public static TestResult MannWhitneyU(
        ReadOnlySpan<double> a,
        ReadOnlySpan<double> b,
        Alternative alternative = Alternative.TwoSided,
        MannWhitneyMethod method = MannWhitneyMethod.Auto,
        bool continuityCorrection = true)
    {
        ValidateAlternative(alternative);
        if (method is not (MannWhitneyMethod.Auto or MannWhitneyMethod.Exact or MannWhitneyMethod.Asymptotic))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown Mann-Whitney method.");
        }

        ValidateFinite(a, 1, nameof(a));
        ValidateFinite(b, 1, nameof(b));
        int n1 = a.Length, n2 = b.Length;
        var pooled = new double[n1 + n2];
        a.CopyTo(pooled);
        b.CopyTo(pooled.AsSpan(n1));
        var ranks = Ranking.Average(pooled, out var tieTerm);
        double r1 = 0;
        for (var i = 0; i < n1; i++)
        {
            r1 += ranks[i];
        }

        var u1 = r1 - (n1 * (n1 + 1.0) / 2);
        var u2 = ((double)n1 * n2) - u1;

        if (method == MannWhitneyMethod.Auto)
        {
            method = (n1 > 8 && n2 > 8) || tieTerm > 0 ? MannWhitneyMethod.Asymptotic : MannWhitneyMethod.Exact;
        }

        var (u, factor) = alternative switch
        {
            Alternative.Greater => (u1, 1.0),
            Alternative.Less => (u2, 1.0),
            _ => (Math.Max(u1, u2), 2.0),
        };

        double p;
        if (method == MannWhitneyMethod.Exact)
        {
            if ((double)Math.Min(n1, n2) * n1 * n2 / 2 > ExactDistributions.MaxWork)
            {
                throw new ArgumentException(
                    $"The exact Mann-Whitney distribution for sizes {n1} and {n2} is too large to compute; use the asymptotic method.",
                    nameof(method));
            }

            p = factor * ExactDistributions.MannWhitneySf((long)Math.Floor(u), n1, n2);
        }
        else
        {
            double n = n1 + n2;
            var variance = (double)n1 * n2 / 12 * ((n + 1) - (tieTerm / (n * (n - 1))));
            if (!(variance > 0))
            {
                throw new ArgumentException("Every pooled value is equal: the asymptotic Mann-Whitney variance is zero.", nameof(b));
            }

            var numerator = u - ((double)n1 * n2 / 2);
            if (continuityCorrection)
            {
                numerator -= 0.5;
            }

            p = factor * SpecialDistributions.NormalSf(numerator / Math.Sqrt(variance));
        }

        return new TestResult(u1, SpecialDistributions.Clamp01(p));
    }

    /// <summary>
    /// The Wilcoxon signed-rank test on the paired differences <c>a[i] − b[i]</c>, as scipy's
    /// <c>wilcoxon(a, b, zero_method, correction, alternative, method)</c>.
    /// </summary>
    /// <remarks>See <see cref="Wilcoxon(ReadOnlySpan{double}, Alternative, WilcoxonZeroMethod, bool, WilcoxonMethod)"/>.</remarks>
    /// <param name="a">The first measurements; at least one finite value.</param>
    /// <param name="b">The paired second measurements; same length as <paramref name="a"/>.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means the differences a − b are shifted above zero.</param>
    /// <param name="zeroMethod">How zero differences are treated (scipy's default: <see cref="WilcoxonZeroMethod.Wilcox"/>).</param>
    /// <param name="continuityCorrection">Whether the normal approximation applies the 0.5 continuity correction (scipy's default: no).</param>
    /// <param name="method">The p-value method; see <see cref="WilcoxonMethod.Auto"/> for the automatic rule.</param>
    /// <returns>The statistic as scipy reports it (two-sided: min(R+, R−); one-sided: R+) and the p-value.</returns>
    /// <exception cref="ArgumentException">The samples differ in length, are empty or contain NaN or infinity; all
    /// differences are zero under <see cref="WilcoxonZeroMethod.Wilcox"/> or <see cref="WilcoxonZeroMethod.Pratt"/>;
    /// or the exact distribution is too large to compute.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An enum argument is not a defined value.</exception>
    public static TestResult Wilcoxon(
        ReadOnlySpan<double> a,
        ReadOnlySpan<double> b,
        Alternative alternative = Alternative.TwoSided,
        WilcoxonZeroMethod zeroMethod = WilcoxonZeroMethod.Wilcox,
        bool continuityCorrection = false,
        WilcoxonMethod method = WilcoxonMethod.Auto)
    {
        ValidatePaired(a, b, 1);
        return WilcoxonCore(Differences(a, b), alternative, zeroMethod, continuityCorrection, method, nameof(b));
    }

    /// <summary>
    /// The one-sample Wilcoxon signed-rank test of whether <paramref name="differences"/> are symmetric about zero,
    /// as scipy's <c>wilcoxon(d, zero_method=..., correction=..., alternative=..., method=...)</c>.
    /// </summary>
    /// <remarks>
    /// <para>Ranks are average ranks of |d|. Wilcox drops zeros before ranking; Pratt ranks zeros then drops their
    /// ranks; Zsplit ranks zeros and adds half their rank sum to each of R+ and R−.</para>
    /// <para>Approximate: <c>μ = n(n+1)/4</c>, <c>σ² = (n(n+1)(2n+1) − Σ(t³ − t)/2)/24</c> over tie groups (n counts the
    /// zeros for Pratt and Zsplit; Pratt subtracts <c>n0(n0+1)/4</c> from μ and <c>n0(n0+1)(2n0+1)/24</c> from σ² and leaves
    /// the zeros out of the tie term); <c>z = (T − μ − c)/σ</c> with c = 0.5·sign(T − μ) (two-sided), +0.5 (greater) or −0.5
    /// (less) when <paramref name="continuityCorrection"/> is set.</para>
    /// <para>Exact: the sign-flip distribution of R+ given the observed ranks (see <see cref="WilcoxonMethod.Exact"/>),
    /// two-sided p = min(1, 2·min(P(R+ &lt;= r+), P(R+ &gt;= r+))).</para>
    /// <para>All-zero differences under <see cref="WilcoxonZeroMethod.Zsplit"/> are defined as in scipy: R+ = R− = n(n+1)/4,
    /// and the p-value is 1 (two-sided, or exact) or the normal tail at z = 0 with the correction (one-sided approximate).</para>
    /// </remarks>
    /// <param name="differences">The paired differences (or one sample tested against zero); at least one finite value.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means the differences are shifted above zero.</param>
    /// <param name="zeroMethod">How zero differences are treated (scipy's default: <see cref="WilcoxonZeroMethod.Wilcox"/>).</param>
    /// <param name="continuityCorrection">Whether the normal approximation applies the 0.5 continuity correction (scipy's default: no).</param>
    /// <param name="method">The p-value method; see <see cref="WilcoxonMethod.Auto"/> for the automatic rule.</param>
    /// <returns>The statistic as scipy reports it (two-sided: min(R+, R−); one-sided: R+) and the p-value.</returns>
    /// <exception cref="ArgumentException"><paramref name="differences"/> is empty or contains NaN or infinity; all
    /// differences are zero under <see cref="WilcoxonZeroMethod.Wilcox"/> or <see cref="WilcoxonZeroMethod.Pratt"/>;
    /// or the exact distribution is too large to compute.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An enum argument is not a defined value.</exception>
    public static TestResult Wilcoxon(
        ReadOnlySpan<double> differences,
        Alternative alternative = Alternative.TwoSided,
        WilcoxonZeroMethod zeroMethod = WilcoxonZeroMethod.Wilcox,
        bool continuityCorrection = false,
        WilcoxonMethod method = WilcoxonMethod.Auto)
    {
        ValidateFinite(differences, 1, nameof(differences));
        return WilcoxonCore(differences.ToArray(), alternative, zeroMethod, continuityCorrection, method, nameof(differences));
    }

    private static TestResult WilcoxonCore(
        double[] d,
        Alternative alternative,
        WilcoxonZeroMethod zeroMethod,
        bool continuityCorrection,
        WilcoxonMethod method,
        string parameter)
    {
        ValidateAlternative(alternative);
        if (zeroMethod is not (WilcoxonZeroMethod.Wilcox or WilcoxonZeroMethod.Pratt or WilcoxonZeroMethod.Zsplit))
        {
            throw new ArgumentOutOfRangeException(nameof(zeroMethod), zeroMethod, "Unknown zero method.");
        }

        if (method is not (WilcoxonMethod.Auto or WilcoxonMethod.Exact or WilcoxonMethod.Approximate))
        {
            throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown Wilcoxon method.");
        }

        var nZero = 0;
        foreach (var x in d)
        {
            if (x == 0)
            {
                nZero++;
            }
        }

        if (nZero == d.Length && zeroMethod != WilcoxonZeroMethod.Zsplit)
        {
            throw new ArgumentException(
                $"All differences are zero: the signed-rank test is undefined with zero method {zeroMethod} (Zsplit defines it).",
                parameter);
        }

        // Wilcox drops the zeros before ranking.
        var values = zeroMethod == WilcoxonZeroMethod.Wilcox ? Array.FindAll(d, x => x != 0) : d;
        var absolute = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            absolute[i] = Math.Abs(values[i]);
        }

        var ranks = Ranking.Average(absolute, out var tieTerm);
        double rPlus = 0, rMinus = 0, rZero = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] > 0)
            {
                rPlus += ranks[i];
            }
            else if (values[i] < 0)
            {
                rMinus += ranks[i];
            }
            else
            {
                rZero += ranks[i];
            }
        }

        // Zeros (for Pratt and Zsplit) form one tie group: the smallest |d|.
        double zeros = zeroMethod == WilcoxonZeroMethod.Wilcox ? 0 : nZero;
        var zeroTie = (zeros * zeros * zeros) - zeros;
        var hasTies = tieTerm - zeroTie > 0;

        if (method == WilcoxonMethod.Auto)
        {
            method = d.Length <= 50 && nZero == 0 && !hasTies ? WilcoxonMethod.Exact : WilcoxonMethod.Approximate;
        }

        var randomPlus = rPlus;
        if (zeroMethod == WilcoxonZeroMethod.Zsplit)
        {
            rPlus += rZero / 2;
            rMinus += rZero / 2;
        }

        var statistic = alternative == Alternative.TwoSided ? Math.Min(rPlus, rMinus) : rPlus;
        double p;
        if (method == WilcoxonMethod.Approximate)
        {
            double count = values.Length;
            var mean = count * (count + 1) * 0.25;
            var variance = count * (count + 1) * ((2 * count) + 1);
            if (zeroMethod == WilcoxonZeroMethod.Pratt)
            {
                mean -= zeros * (zeros + 1) * 0.25;
                variance -= zeros * (zeros + 1) * ((2 * zeros) + 1);
                tieTerm -= zeroTie;
            }

            variance -= 0.5 * tieTerm;
            var se = Math.Sqrt(variance / 24);
            double correction = 0;
            if (continuityCorrection)
            {
                correction = alternative switch
                {
                    Alternative.Greater => 0.5,
                    Alternative.Less => -0.5,
                    _ => 0.5 * Math.Sign(statistic - mean),
                };
            }

            var z = (statistic - mean - correction) / se;
            p = SpecialDistributions.NormalPValue(z, alternative);
        }
        else
        {
            p = WilcoxonExactP(values, ranks, randomPlus, alternative, parameter);
        }

        return new TestResult(statistic, SpecialDistributions.Clamp01(p));
    }

    private static double WilcoxonExactP(double[] values, double[] ranks, double randomPlus, Alternative alternative, string parameter)
    {
        // Weights are twice the average ranks of the non-zero differences (integers); zeros never change sign.
        var weights = new List<int>(values.Length);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != 0)
            {
                weights.Add((int)Math.Round(2 * ranks[i]));
            }
        }

        double total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        if (weights.Count * total / 2 > ExactDistributions.MaxWork)
        {
            throw new ArgumentException(
                $"The exact signed-rank distribution for {weights.Count} non-zero differences is too large to compute; use the approximate method.",
                parameter);
        }

        var lowerCdf = ExactDistributions.SignedRankLowerCdf(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(weights), out var totalWeight);
        var observed = (long)Math.Round(2 * randomPlus);
        var pLess = ExactDistributions.SymmetricCdf(lowerCdf, totalWeight, observed);

        // P(S >= k) = P(S <= W - k) by symmetry: the lower-half form keeps small tails accurate.
        var pGreater = ExactDistributions.SymmetricCdf(lowerCdf, totalWeight, totalWeight - observed);
        return alternative switch
        {
            Alternative.Less => pLess,
            Alternative.Greater => pGreater,
            _ => Math.Min(1, 2 * Math.Min(pLess, pGreater)),
        };
    }
}
