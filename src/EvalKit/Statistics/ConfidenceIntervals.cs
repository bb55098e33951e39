namespace EvalKit.Statistics;

/// <summary>
/// Confidence intervals for means and proportions, with the definitions of scipy (<c>scipy.stats.t.interval</c>)
/// and statsmodels (<c>proportion_confint</c>).
/// </summary>
/// <remarks>
/// For pass/fail scores on fewer than a few hundred items prefer <see cref="Wilson"/> or <see cref="ClopperPearson"/>
/// to CLT intervals (Bowyer, Aitchison and Ivanova, 2025): the normal interval under-covers and can leave [0, 1].
/// </remarks>
public static class ConfidenceIntervals
{
    /// <summary>
    /// The Student-t interval for a mean: <c>mean ± t(n-1, (1+c)/2) · s/√n</c>, as
    /// <c>scipy.stats.t.interval(confidence, n - 1, loc=mean, scale=sem)</c>.
    /// </summary>
    /// <param name="x">The sample; at least two values, all finite.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval. When every value is equal the interval is the single point [mean, mean] (scipy gives NaN).</returns>
    /// <exception cref="ArgumentException"><paramref name="x"/> has fewer than two values or contains NaN or an infinity.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public static Interval MeanT(ReadOnlySpan<double> x, double confidence = 0.95)
    {
        Descriptive.Validate(x, 2, nameof(x));
        ConfidenceIntervalsDistributions.ValidateFinite(x, nameof(x));
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var mean = Descriptive.Mean(x);
        var se = Descriptive.StandardDeviation(x) / Math.Sqrt(x.Length);
        return StudentT(mean, se, x.Length - 1, confidence);
    }

    /// <summary>
    /// The t interval <c>estimate ± t(df, (1+c)/2) · standardError</c> for an estimate with a known standard error,
    /// as <c>scipy.stats.t.interval(confidence, df, loc=estimate, scale=standardError)</c>.
    /// </summary>
    /// <param name="estimate">The point estimate; finite.</param>
    /// <param name="standardError">Its standard error; finite and non-negative (zero gives a single point).</param>
    /// <param name="degreesOfFreedom">The degrees of freedom; positive (may be fractional, as Welch's).</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval StudentT(double estimate, double standardError, double degreesOfFreedom, double confidence = 0.95)
    {
        ValidateEstimate(estimate, standardError);
        if (!(degreesOfFreedom > 0) || double.IsPositiveInfinity(degreesOfFreedom))
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "The degrees of freedom must be positive and finite.");
        }

        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        if (standardError == 0)
        {
            return new Interval(estimate, estimate);
        }

        var q1 = (1.0 - confidence) / 2;
        var q2 = (1.0 + confidence) / 2;
        return new Interval(
            estimate + (standardError * ConfidenceIntervalsDistributions.StudentTQuantile(q1, degreesOfFreedom)),
            estimate + (standardError * ConfidenceIntervalsDistributions.StudentTQuantile(q2, degreesOfFreedom)));
    }

    /// <summary>
    /// The normal (z) interval <c>estimate ± z((1+c)/2) · standardError</c>, as
    /// <c>scipy.stats.norm.interval(confidence, loc=estimate, scale=standardError)</c>. This is Miller's (2024) CLT interval.
    /// </summary>
    /// <param name="estimate">The point estimate; finite.</param>
    /// <param name="standardError">Its standard error; finite and non-negative (zero gives a single point).</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval Normal(double estimate, double standardError, double confidence = 0.95)
    {
        ValidateEstimate(estimate, standardError);
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var q1 = (1.0 - confidence) / 2;
        var q2 = (1.0 + confidence) / 2;
        return new Interval(
            estimate + (standardError * ConfidenceIntervalsDistributions.NormalQuantile(q1)),
            estimate + (standardError * ConfidenceIntervalsDistributions.NormalQuantile(q2)));
    }

    /// <summary>
    /// The Wilson score interval for a proportion (statsmodels <c>proportion_confint(method="wilson")</c>):
    /// centre <c>(p̂ + z²/2n)/(1 + z²/n)</c>, half-width <c>z/(1 + z²/n) · √(p̂(1-p̂)/n + z²/4n²)</c>.
    /// </summary>
    /// <param name="successes">The number of successes, in [0, <paramref name="n"/>].</param>
    /// <param name="n">The number of trials; at least 1.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval, inside [0, 1] (exactly 0 at k = 0 and 1 at k = n).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval Wilson(int successes, int n, double confidence = 0.95)
    {
        ValidateCounts(successes, n);
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var z = ConfidenceIntervalsDistributions.NormalUpperQuantile((1 - confidence) / 2);
        var p = (double)successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2.0 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4.0 * n * (double)n))) / denominator;

        // At k = 0 (k = n) the bound is exactly 0 (1); the formula leaves a rounding residue of about 1e-17 there.
        return new Interval(successes == 0 ? 0 : centre - half, successes == n ? 1 : centre + half);
    }

    /// <summary>
    /// The Clopper–Pearson ("exact") interval for a proportion (statsmodels <c>proportion_confint(method="beta")</c>):
    /// <c>[Beta⁻¹(α/2; k, n-k+1), Beta⁻¹(1-α/2; k+1, n-k)]</c>, with the lower bound 0 when k = 0 and the upper bound 1
    /// when k = n.
    /// </summary>
    /// <param name="successes">The number of successes, in [0, <paramref name="n"/>].</param>
    /// <param name="n">The number of trials; at least 1.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval, inside [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval ClopperPearson(int successes, int n, double confidence = 0.95)
    {
        ValidateCounts(successes, n);
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var half = (1 - confidence) / 2;
        var lower = successes == 0 ? 0 : ConfidenceIntervalsDistributions.BetaQuantile(half, successes, n - successes + 1);
        var upper = successes == n ? 1 : ConfidenceIntervalsDistributions.BetaUpperQuantile(half, successes + 1, n - successes);
        return new Interval(lower, upper);
    }

    /// <summary>
    /// The Jeffreys interval for a proportion (statsmodels <c>proportion_confint(method="jeffreys")</c>): the equal-tailed
    /// interval of the Beta(k + ½, n - k + ½) posterior.
    /// </summary>
    /// <param name="successes">The number of successes, in [0, <paramref name="n"/>].</param>
    /// <param name="n">The number of trials; at least 1.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval, inside [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval Jeffreys(int successes, int n, double confidence = 0.95)
    {
        ValidateCounts(successes, n);
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var half = (1 - confidence) / 2;
        return new Interval(
            ConfidenceIntervalsDistributions.BetaQuantile(half, successes + 0.5, n - successes + 0.5),
            ConfidenceIntervalsDistributions.BetaUpperQuantile(half, successes + 0.5, n - successes + 0.5));
    }

    /// <summary>
    /// The Wald (normal-approximation) interval for a proportion, <c>p̂ ± z·√(p̂(1-p̂)/n)</c> clipped to [0, 1]
    /// (statsmodels <c>proportion_confint(method="normal")</c>). Prefer <see cref="Wilson"/> for small n.
    /// </summary>
    /// <param name="successes">The number of successes, in [0, <paramref name="n"/>].</param>
    /// <param name="n">The number of trials; at least 1.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval, clipped to [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval Wald(int successes, int n, double confidence = 0.95)
    {
        ValidateCounts(successes, n);
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var p = (double)successes / n;
        var half = ConfidenceIntervalsDistributions.NormalUpperQuantile((1 - confidence) / 2) * Math.Sqrt(p * (1 - p) / n);
        return new Interval(Math.Clamp(p - half, 0, 1), Math.Clamp(p + half, 0, 1));
    }

    /// <summary>
    /// A cluster-robust interval for a mean (Miller 2024, Rec. 2): <c>mean ± t(C-1, (1+c)/2) · SE_CR1</c>, where SE_CR1 is
    /// <see cref="StandardErrors.Clustered(ReadOnlySpan{double}, ReadOnlySpan{int}, ClusteredStandardErrorMethod)"/> with
    /// the CR1 factor and C the number of clusters (as the evaluatellm package does).
    /// </summary>
    /// <param name="x">The item scores; finite.</param>
    /// <param name="clusterIds">The cluster of each item; same length as <paramref name="x"/>.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <returns>The interval.</returns>
    /// <exception cref="ArgumentException">The samples are empty, differ in length, contain NaN, or have fewer than two clusters.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is not in (0, 1).</exception>
    public static Interval Clustered(ReadOnlySpan<double> x, ReadOnlySpan<int> clusterIds, double confidence = 0.95)
    {
        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        var se = StandardErrors.Clustered(x, clusterIds, ClusteredStandardErrorMethod.CR1);
        var clusters = StandardErrors.CountClusters(clusterIds);
        return StudentT(Descriptive.Mean(x), se, clusters - 1, confidence);
    }

    private static void ValidateEstimate(double estimate, double standardError)
    {
        if (!double.IsFinite(estimate))
        {
            throw new ArgumentOutOfRangeException(nameof(estimate), estimate, "The estimate must be finite.");
        }

        if (!(standardError >= 0) || double.IsPositiveInfinity(standardError))
        {
            throw new ArgumentOutOfRangeException(nameof(standardError), standardError, "The standard error must be finite and non-negative.");
        }
    }

    private static void ValidateCounts(int successes, int n)
    {
        if (n < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(n), n, "The number of trials must be at least 1.");
        }

        if (successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"The number of successes must lie in [0, {n}].");
        }
    }
}
