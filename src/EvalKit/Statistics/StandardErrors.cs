namespace EvalKit.Statistics;

/// <summary>
/// Standard errors of evaluation scores after Miller (2024), "Adding Error Bars to Evals": CLT, clustered, paired
/// and the within/between decomposition for repeated samples.
/// </summary>
public static class StandardErrors
{
    /// <summary>The CLT standard error of a mean, <c>s/√n</c> with the n - 1 sample standard deviation (Miller Eq. 1).</summary>
    /// <param name="x">The scores; at least two values, all finite.</param>
    /// <returns>The standard error (zero when every value is equal).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer than two values or contains NaN or an infinity.</exception>
    public static double Mean(ReadOnlySpan<double> x)
    {
        Descriptive.Validate(x, 2, nameof(x));
        ConfidenceIntervalsDistributions.ValidateFinite(x, nameof(x));
        return Descriptive.StandardDeviation(x) / Math.Sqrt(x.Length);
    }

    /// <summary>The Bernoulli standard error of a pass rate, <c>√(p̂(1 - p̂)/n)</c> (Miller Rec. 1, binary scores).</summary>
    /// <param name="successes">The number of passes, in [0, <paramref name="n"/>].</param>
    /// <param name="n">The number of items; at least 1.</param>
    /// <returns>The standard error.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double Proportion(int successes, int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"The number of successes must lie in [0, {n}].");
        }

        var p = (double)successes / n;
        return Math.Sqrt(p * (1 - p) / n);
    }

    /// <summary>
    /// The cluster-robust standard error of a mean when items come in groups (Miller Rec. 2); see
    /// <see cref="ClusteredStandardErrorMethod"/> for the formulas. Items with the same id form one cluster.
    /// </summary>
    /// <param name="x">The item scores; at least one value, all finite.</param>
    /// <param name="clusterIds">The cluster id of each item; same length as <paramref name="x"/>.</param>
    /// <param name="method">The variant; the default CR1 needs at least two clusters.</param>
    /// <returns>The standard error.</returns>
    /// <exception cref="ArgumentException">
    /// The samples are empty, differ in length or contain NaN; CR1 with fewer than two clusters; MillerAppendix with fewer than two items.
    /// </exception>
    public static double Clustered(ReadOnlySpan<double> x, ReadOnlySpan<int> clusterIds, ClusteredStandardErrorMethod method = ClusteredStandardErrorMethod.CR1)
    {
        Descriptive.Validate(x, 1, nameof(x));
        ConfidenceIntervalsDistributions.ValidateFinite(x, nameof(x));
        if (clusterIds.Length != x.Length)
        {
            throw new ArgumentException($"There are {clusterIds.Length} cluster id(s) for {x.Length} score(s).", nameof(clusterIds));
        }

        var mean = Descriptive.Mean(x);
        var sums = new Dictionary<int, double>();
        double squares = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var u = x[i] - mean;
            squares += u * u;
            sums[clusterIds[i]] = sums.GetValueOrDefault(clusterIds[i]) + u;
        }

        double between = 0;
        foreach (var s in sums.Values)
        {
            between += s * s;
        }

        var n = (double)x.Length;
        var clusters = sums.Count;
        switch (method)
        {
            case ClusteredStandardErrorMethod.CR1:
                if (clusters < 2)
                {
                    throw new ArgumentException("The CR1 clustered standard error needs at least two clusters.", nameof(clusterIds));
                }

                return Math.Sqrt(between * clusters / (clusters - 1)) / n;
            case ClusteredStandardErrorMethod.Compact:
                return Math.Sqrt(between) / n;
            case ClusteredStandardErrorMethod.MillerAppendix:
                if (x.Length < 2)
                {
                    throw new ArgumentException("The Miller appendix form needs at least two scores.", nameof(x));
                }

                // Σ_c Σ_{i≠j} u_i u_j = Σ_c (Σ_i u_i)² - Σ_i u_i².
                var clt = squares / (n - 1) / n;
                return Math.Sqrt(Math.Max(0, clt + ((between - squares) / (n * n))));
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown clustered standard error method.");
        }
    }

    /// <summary>The cluster-robust standard error with string cluster ids (compared ordinally); see the integer overload.</summary>
    /// <param name="x">The item scores; at least one value, all finite.</param>
    /// <param name="clusterIds">The cluster id of each item (not null); same length as <paramref name="x"/>.</param>
    /// <param name="method">The variant; the default CR1 needs at least two clusters.</param>
    /// <returns>The standard error.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="clusterIds"/> or one of its ids is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">See <see cref="Clustered(ReadOnlySpan{double}, ReadOnlySpan{int}, ClusteredStandardErrorMethod)"/>.</exception>
    public static double Clustered(ReadOnlySpan<double> x, IReadOnlyList<string> clusterIds, ClusteredStandardErrorMethod method = ClusteredStandardErrorMethod.CR1)
        => Clustered(x, ToIntegerIds(clusterIds), method);

    /// <summary>
    /// The standard error of the mean paired difference of two models scored on the same items (Miller Eq. 6–7):
    /// <c>sd(a_i - b_i)/√n</c>, which equals <c>√((var_a + var_b - 2 cov_ab)/n)</c>.
    /// </summary>
    /// <param name="a">The first model's item scores; at least two, finite.</param>
    /// <param name="b">The second model's scores on the same items, in the same order.</param>
    /// <returns>The standard error of <c>mean(a) - mean(b)</c>.</returns>
    /// <exception cref="ArgumentException">The samples have fewer than two values, differ in length, or contain NaN or an infinity.</exception>
    public static double Paired(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ConfidenceIntervalsDistributions.ValidatePaired(a, b, 2, nameof(a), nameof(b));
        ConfidenceIntervalsDistributions.ValidateFinite(a, nameof(a));
        ConfidenceIntervalsDistributions.ValidateFinite(b, nameof(b));
        var d = new double[a.Length];
        for (var i = 0; i < d.Length; i++)
        {
            d[i] = a[i] - b[i];
        }

        return Descriptive.StandardDeviation(d) / Math.Sqrt(d.Length);
    }

    /// <summary>
    /// The standard error of a difference of means of independent samples, <c>√(SE_a² + SE_b²)</c> (Miller's unpaired
    /// fallback, Welch's form).
    /// </summary>
    /// <param name="a">The first sample; at least two values, finite.</param>
    /// <param name="b">The second sample; at least two values, finite.</param>
    /// <returns>The standard error of <c>mean(a) - mean(b)</c>.</returns>
    /// <exception cref="ArgumentException">A sample has fewer than two values or contains NaN or an infinity.</exception>
    public static double Unpaired(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var seA = Mean(a);
        var seB = Mean(b);
        return Math.Sqrt((seA * seA) + (seB * seB));
    }

    /// <summary>
    /// Decomposes the variance of scores sampled K times per case (Miller Rec. 3): the per-case mean is the case score,
    /// the standard error is <c>sd(s̄_i)/√n</c>, and <c>Var(x) = max(0, var(s̄_i) - mean(σ̂_i²/K_i))</c>.
    /// </summary>
    /// <param name="samplesPerCase">For each case, its K_i ≥ 2 sampled scores (K may differ between cases); at least two cases.</param>
    /// <returns>The decomposition.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="samplesPerCase"/> or one of its lists is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Fewer than two cases, a case with fewer than two samples, or a NaN or infinite score.</exception>
    public static VarianceDecomposition Repeated(IReadOnlyList<IReadOnlyList<double>> samplesPerCase)
    {
        ArgumentNullException.ThrowIfNull(samplesPerCase);
        if (samplesPerCase.Count < 2)
        {
            throw new ArgumentException($"There are {samplesPerCase.Count} case(s); at least two are needed.", nameof(samplesPerCase));
        }

        var means = new double[samplesPerCase.Count];
        double withinSum = 0, withinOverK = 0;
        var total = 0;
        for (var i = 0; i < means.Length; i++)
        {
            var samples = samplesPerCase[i] ?? throw new ArgumentNullException(nameof(samplesPerCase), $"Case {i} is null.");
            if (samples.Count < 2)
            {
                throw new ArgumentException($"Case {i} has {samples.Count} sample(s); at least two are needed to estimate within-case variance.", nameof(samplesPerCase));
            }

            var values = new double[samples.Count];
            for (var k = 0; k < values.Length; k++)
            {
                values[k] = samples[k];
                if (!double.IsFinite(values[k]))
                {
                    throw new ArgumentException($"Case {i} has a NaN or infinite score at position {k}.", nameof(samplesPerCase));
                }
            }

            means[i] = Descriptive.Mean(values);
            var variance = Descriptive.Variance(values);
            withinSum += variance;
            withinOverK += variance / values.Length;
            total += values.Length;
        }

        var n = means.Length;
        var perCaseMeanVariance = Descriptive.Variance(means);
        return new VarianceDecomposition(
            Cases: n,
            TotalSamples: total,
            MeanSamplesPerCase: (double)total / n,
            Mean: Descriptive.Mean(means),
            StandardError: Math.Sqrt(perCaseMeanVariance / n),
            PerCaseMeanVariance: perCaseMeanVariance,
            BetweenCaseVariance: Math.Max(0, perCaseMeanVariance - (withinOverK / n)),
            WithinCaseVariance: withinSum / n);
    }

    internal static int CountClusters(ReadOnlySpan<int> clusterIds)
    {
        var set = new HashSet<int>();
        foreach (var id in clusterIds)
        {
            set.Add(id);
        }

        return set.Count;
    }

    internal static int[] ToIntegerIds(IReadOnlyList<string> clusterIds)
    {
        ArgumentNullException.ThrowIfNull(clusterIds);
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new int[clusterIds.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            var id = clusterIds[i] ?? throw new ArgumentNullException(nameof(clusterIds), $"The cluster id at index {i} is null.");
            if (!map.TryGetValue(id, out var value))
            {
                value = map.Count;
                map[id] = value;
            }

            ids[i] = value;
        }

        return ids;
    }
}
