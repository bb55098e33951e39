namespace EvalKit.Statistics;

/// <summary>
/// Always-valid ("peeking-safe") inference for evaluations watched while they run: the mixture sequential probability
/// ratio test (mSPRT; Johari, Koomen, Pekelis and Walsh) and the normal-mixture confidence sequence of Howard et al.
/// (2021) as GrowthBook implements it (Waudby-Smith et al., eqs. 9, 155 and 161). For a running monitor use
/// <see cref="SequentialMonitor"/>.
/// </summary>
/// <remarks>
/// mSPRT with a normal mixing prior θ ~ N(θ0, τ²) on the effect, an estimate Δ̂ with variance V = SE²:
/// <c>Λ = √(V/(V + τ²)) · exp(τ²(Δ̂ - θ0)² / (2V(V + τ²)))</c>; reject when Λ ≥ 1/α; always-valid p-value
/// <c>p_n = min(p_{n-1}, 1/Λ_n)</c>, p_0 = 1; confidence sequence <c>Δ̂ ± √(V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V)))</c>.
/// Validity holds for any τ fixed before seeing the data; choose it with <see cref="MixingVariance"/>, never from the data.
/// </remarks>
public static class Sequential
{
    /// <summary>The mSPRT mixture likelihood ratio Λ for an estimate with standard error <paramref name="standardError"/>.</summary>
    /// <param name="estimate">The current estimate Δ̂ (e.g. a mean paired difference); finite.</param>
    /// <param name="standardError">Its standard error √V; positive and finite.</param>
    /// <param name="mixingVariance">τ², the variance of the normal mixing distribution; positive and finite.</param>
    /// <param name="nullValue">θ0, the effect under the null hypothesis.</param>
    /// <returns>Λ, positive (may be +∞ for overwhelming evidence).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double MixtureLikelihoodRatio(double estimate, double standardError, double mixingVariance, double nullValue = 0)
        => Math.Exp(LogMixtureLikelihoodRatio(estimate, standardError, mixingVariance, nullValue));

    /// <summary>
    /// The mSPRT p-value of one look, <c>min(1, 1/Λ)</c>. Over a sequence of looks the always-valid p-value is the running
    /// minimum of these (see <see cref="SequentialMonitor"/>). Computed in log space, so tiny values keep their precision.
    /// </summary>
    /// <param name="estimate">The current estimate Δ̂; finite.</param>
    /// <param name="standardError">Its standard error; positive and finite.</param>
    /// <param name="mixingVariance">τ²; positive and finite.</param>
    /// <param name="nullValue">θ0.</param>
    /// <returns>The p-value, in (0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double MixturePValue(double estimate, double standardError, double mixingVariance, double nullValue = 0)
    {
        var log = LogMixtureLikelihoodRatio(estimate, standardError, mixingVariance, nullValue);
        return log <= 0 ? 1 : Math.Exp(-log);
    }

    /// <summary>
    /// The mSPRT confidence sequence at one look (the set of θ0 not rejected at level α):
    /// <c>Δ̂ ± √(V(V + τ²)/τ² · (2 ln(1/α) + ln((V + τ²)/V)))</c>.
    /// </summary>
    /// <param name="estimate">The current estimate Δ̂; finite.</param>
    /// <param name="standardError">Its standard error; positive and finite.</param>
    /// <param name="mixingVariance">τ²; positive and finite.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <returns>The interval at this look; intersect over looks for a running sequence.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval MixtureConfidenceSequence(double estimate, double standardError, double mixingVariance, double alpha = 0.05)
    {
        ValidateLook(estimate, standardError, mixingVariance);
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        var v = standardError * standardError;
        var half = Math.Sqrt(v * (v + mixingVariance) / mixingVariance * ((2 * Math.Log(1 / alpha)) + Math.Log((v + mixingVariance) / v)));
        return new Interval(estimate - half, estimate + half);
    }

    /// <summary>
    /// The mixing variance τ² of the reference mSPRT implementation (mixtureSPRT), tuned for a planned horizon:
    /// <c>b = 2 ln(1/α) / √(M σ²)</c>, <c>τ² = σ² Φ(-b) / (φ(b)/b - Φ(-b))</c>.
    /// </summary>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="variance">σ², the per-observation variance (of one paired difference) expected from a pilot; positive.</param>
    /// <param name="horizon">M, the planned maximum number of observations; at least 1.</param>
    /// <returns>τ², positive.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double MixingVariance(double alpha, double variance, int horizon)
    {
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        if (!(variance > 0) || double.IsPositiveInfinity(variance))
        {
            throw new ArgumentOutOfRangeException(nameof(variance), variance, "The variance must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var b = 2 * Math.Log(1 / alpha) / Math.Sqrt(horizon * variance);
        var tail = ConfidenceIntervalsDistributions.NormalCdf(-b);
        return variance * tail / ((ConfidenceIntervalsDistributions.NormalPdf(b) / b) - tail);
    }

    /// <summary>
    /// GrowthBook's mixing parameter of the normal-mixture confidence sequence (Waudby-Smith et al. eq. 161):
    /// <c>ρ = √((-2 ln α + ln(1 - 2 ln α)) / N*)</c>.
    /// </summary>
    /// <param name="alpha">The significance level, in (0, 1) (pass 2α for a one-sided sequence).</param>
    /// <param name="tuningSampleSize">N*, the total sample size at which the sequence should be tightest; positive.</param>
    /// <returns>ρ.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double ConfidenceSequenceRho(double alpha, double tuningSampleSize = 5000)
    {
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        if (!(tuningSampleSize > 0) || double.IsPositiveInfinity(tuningSampleSize))
        {
            throw new ArgumentOutOfRangeException(nameof(tuningSampleSize), tuningSampleSize, "The tuning sample size must be positive and finite.");
        }

        var logAlpha = Math.Log(alpha);
        return Math.Sqrt(((-2 * logAlpha) + Math.Log(1 - (2 * logAlpha))) / tuningSampleSize);
    }

    /// <summary>
    /// The always-valid confidence sequence of GrowthBook's sequential engine (Howard et al. normal mixture). Two-sided
    /// half-width <c>σ̂_Δ √N · √(2(Nρ² + 1)/(N²ρ²) · ln(√(Nρ² + 1)/α))</c>; one-sided: ρ computed with 2α and the
    /// logarithm <c>ln(1 + √(Nρ² + 1)/(2α))</c>, with the other bound infinite.
    /// </summary>
    /// <param name="estimate">The effect estimate Δ̂ (e.g. a difference of means); finite.</param>
    /// <param name="standardError">σ̂_Δ, the standard error of the estimate; positive and finite.</param>
    /// <param name="sampleSize">N, the total number of observations behind the estimate (n_A + n_B for two arms); at least 1.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="tuningSampleSize">N* (GrowthBook's default 5000); keep it fixed over the experiment.</param>
    /// <param name="alternative">
    /// <see cref="Alternative.TwoSided"/>; <see cref="Alternative.Greater"/> gives [Δ̂ - h, +∞);
    /// <see cref="Alternative.Less"/> gives (-∞, Δ̂ + h].
    /// </param>
    /// <returns>The interval at this look.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static Interval ConfidenceSequence(double estimate, double standardError, long sampleSize, double alpha = 0.05, double tuningSampleSize = 5000, Alternative alternative = Alternative.TwoSided)
    {
        ValidateGrowthBook(estimate, standardError, sampleSize);
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        var n = (double)sampleSize;
        switch (alternative)
        {
            case Alternative.TwoSided:
            {
                var rho = ConfidenceSequenceRho(alpha, tuningSampleSize);
                var k = (n * rho * rho) + 1;
                var half = standardError * Math.Sqrt(n) * Math.Sqrt(2 * k / (n * n * rho * rho) * Math.Log(Math.Sqrt(k) / alpha));
                return new Interval(estimate - half, estimate + half);
            }

            case Alternative.Greater:
            case Alternative.Less:
            {
                if (!(2 * alpha < 1))
                {
                    throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "A one-sided sequence needs alpha below 0.5.");
                }

                var rho = ConfidenceSequenceRho(2 * alpha, tuningSampleSize);
                var k = (n * rho * rho) + 1;
                var half = standardError * Math.Sqrt(n) * Math.Sqrt(2 * k / (n * n * rho * rho) * Math.Log(1 + (Math.Sqrt(k) / (2 * alpha))));
                return alternative == Alternative.Greater
                    ? new Interval(estimate - half, double.PositiveInfinity)
                    : new Interval(double.NegativeInfinity, estimate + half);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative.");
        }
    }

    /// <summary>
    /// GrowthBook's two-sided always-valid p-value (Waudby-Smith et al. eq. 155): <c>S = N(Δ̂ - θ0)²/σ̂²_Δ</c>,
    /// <c>E = exp(ρ²S / (2(Nρ² + 1))) / √(Nρ² + 1)</c>, <c>p = min(1, 1/E)</c>, computed in log space.
    /// </summary>
    /// <param name="estimate">The effect estimate Δ̂; finite.</param>
    /// <param name="standardError">σ̂_Δ; positive and finite.</param>
    /// <param name="sampleSize">N, the total number of observations; at least 1.</param>
    /// <param name="alpha">The significance level used to derive ρ, in (0, 1).</param>
    /// <param name="tuningSampleSize">N*.</param>
    /// <param name="nullValue">θ0.</param>
    /// <returns>The p-value, in (0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double ConfidenceSequencePValue(double estimate, double standardError, long sampleSize, double alpha = 0.05, double tuningSampleSize = 5000, double nullValue = 0)
    {
        ValidateGrowthBook(estimate, standardError, sampleSize);
        var rho = ConfidenceSequenceRho(alpha, tuningSampleSize);
        var n = (double)sampleSize;
        var deviation = estimate - nullValue;
        var s = n * deviation * deviation / (standardError * standardError);
        var k = (n * rho * rho) + 1;
        var logE = (rho * rho * s / (2 * k)) - (0.5 * Math.Log(k));
        return logE <= 0 ? 1 : Math.Exp(-logE);
    }

    internal static double LogMixtureLikelihoodRatio(double estimate, double standardError, double mixingVariance, double nullValue)
    {
        ValidateLook(estimate, standardError, mixingVariance);
        if (!double.IsFinite(nullValue))
        {
            throw new ArgumentOutOfRangeException(nameof(nullValue), nullValue, "The null value must be finite.");
        }

        var v = standardError * standardError;
        var deviation = estimate - nullValue;
        return (0.5 * Math.Log(v / (v + mixingVariance))) + (mixingVariance * deviation * deviation / (2 * v * (v + mixingVariance)));
    }

    private static void ValidateLook(double estimate, double standardError, double mixingVariance)
    {
        if (!double.IsFinite(estimate))
        {
            throw new ArgumentOutOfRangeException(nameof(estimate), estimate, "The estimate must be finite.");
        }

        if (!(standardError > 0) || double.IsPositiveInfinity(standardError))
        {
            throw new ArgumentOutOfRangeException(nameof(standardError), standardError, "The standard error must be positive and finite.");
        }

        if (!(mixingVariance > 0) || double.IsPositiveInfinity(mixingVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(mixingVariance), mixingVariance, "The mixing variance must be positive and finite.");
        }
    }

    private static void ValidateGrowthBook(double estimate, double standardError, long sampleSize)
    {
        if (!double.IsFinite(estimate))
        {
            throw new ArgumentOutOfRangeException(nameof(estimate), estimate, "The estimate must be finite.");
        }

        if (!(standardError > 0) || double.IsPositiveInfinity(standardError))
        {
            throw new ArgumentOutOfRangeException(nameof(standardError), standardError, "The standard error must be positive and finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(sampleSize, 1);
    }
}
