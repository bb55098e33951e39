namespace EvalKit.Statistics;

/// <summary>
/// Sample size, minimum detectable effect and power for comparing models, z-based as in Miller (2024), Eq. 9:
/// <c>n = (z_{α/2} + z_β)² · σ² / δ²</c> and <c>δ_min = (z_{α/2} + z_β) · σ / √n</c>, where <c>z_p</c> is the
/// upper-p standard normal quantile, β = 1 - power, σ² the variance of one item's (paired) difference and δ the effect.
/// One-sided designs use <c>z_α</c> in place of <c>z_{α/2}</c>. Like the paper, the formulas ignore the (negligible)
/// probability of rejecting in the wrong direction.
/// </summary>
public static class Power
{
    /// <summary>
    /// The number of items needed to detect <paramref name="minimumDetectableEffect"/>:
    /// <c>⌈(z_{α/2} + z_β)² σ² / δ²⌉</c> (Miller Eq. 9). For a paired comparison σ is the standard deviation of the
    /// per-item differences (use <see cref="DifferenceVariance"/> for repeated samples); for one model's score, the
    /// standard deviation of its item scores.
    /// </summary>
    /// <param name="minimumDetectableEffect">The effect δ to detect; non-zero and finite (its sign is ignored).</param>
    /// <param name="standardDeviation">σ; positive and finite.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The power 1 - β, in (0, 1).</param>
    /// <param name="alternative">Two-sided uses z_{α/2}; <see cref="Alternative.Less"/> or <see cref="Alternative.Greater"/> use z_α.</param>
    /// <returns>The sample size, rounded up (at least 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range, or the size exceeds <see cref="int.MaxValue"/>.</exception>
    public static int RequiredSampleSize(double minimumDetectableEffect, double standardDeviation, double alpha = 0.05, double power = 0.8, Alternative alternative = Alternative.TwoSided)
    {
        ValidateEffect(minimumDetectableEffect, nameof(minimumDetectableEffect));
        ValidatePositive(standardDeviation, nameof(standardDeviation));
        var z = CriticalSum(alpha, power, alternative);
        var n = z * z * standardDeviation * standardDeviation / (minimumDetectableEffect * minimumDetectableEffect);
        return RoundUp(n, nameof(minimumDetectableEffect));
    }

    /// <summary>The smallest effect detectable with <paramref name="n"/> items: <c>(z_{α/2} + z_β) · σ / √n</c>.</summary>
    /// <param name="n">The number of items (pairs); at least 1.</param>
    /// <param name="standardDeviation">σ, as for <see cref="RequiredSampleSize"/>; positive and finite.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The power 1 - β, in (0, 1).</param>
    /// <param name="alternative">Two-sided uses z_{α/2}; one-sided uses z_α.</param>
    /// <returns>The minimum detectable effect, positive.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double MinimumDetectableEffect(int n, double standardDeviation, double alpha = 0.05, double power = 0.8, Alternative alternative = Alternative.TwoSided)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ValidatePositive(standardDeviation, nameof(standardDeviation));
        return CriticalSum(alpha, power, alternative) * standardDeviation / Math.Sqrt(n);
    }

    /// <summary>
    /// The power of the z test to detect <paramref name="effect"/> with <paramref name="n"/> items. Two-sided:
    /// <c>Φ(δ√n/σ - z_{α/2}) + Φ(-δ√n/σ - z_{α/2})</c> (both rejection regions, as GrowthBook computes it);
    /// <see cref="Alternative.Greater"/>: <c>Φ(δ√n/σ - z_α)</c>; <see cref="Alternative.Less"/>: <c>Φ(-δ√n/σ - z_α)</c>.
    /// </summary>
    /// <param name="effect">The true effect δ; finite.</param>
    /// <param name="standardDeviation">σ; positive and finite.</param>
    /// <param name="n">The number of items; at least 1.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="alternative">The alternative of the test.</param>
    /// <returns>The power, in [0, 1].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double Achieved(double effect, double standardDeviation, int n, double alpha = 0.05, Alternative alternative = Alternative.TwoSided)
    {
        if (!double.IsFinite(effect))
        {
            throw new ArgumentOutOfRangeException(nameof(effect), effect, "The effect must be finite.");
        }

        ValidatePositive(standardDeviation, nameof(standardDeviation));
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        var shift = effect * Math.Sqrt(n) / standardDeviation;
        return alternative switch
        {
            Alternative.TwoSided => ConfidenceIntervalsDistributions.NormalCdf(shift - ConfidenceIntervalsDistributions.NormalUpperQuantile(alpha / 2))
                                    + ConfidenceIntervalsDistributions.NormalCdf(-shift - ConfidenceIntervalsDistributions.NormalUpperQuantile(alpha / 2)),
            Alternative.Greater => ConfidenceIntervalsDistributions.NormalCdf(shift - ConfidenceIntervalsDistributions.NormalUpperQuantile(alpha)),
            Alternative.Less => ConfidenceIntervalsDistributions.NormalCdf(-shift - ConfidenceIntervalsDistributions.NormalUpperQuantile(alpha)),
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative."),
        };
    }

    /// <summary>
    /// The variance of one item's difference score in Miller's Eq. 9: <c>ω² + σ²_A/K_A + σ²_B/K_B</c>, where ω² is the
    /// variance of the true per-item differences, σ² the mean within-item variance of each model and K the samples per
    /// item. Pass its square root as the standard deviation to <see cref="RequiredSampleSize"/>.
    /// </summary>
    /// <param name="omegaSquared">ω², non-negative.</param>
    /// <param name="withinVarianceA">σ²_A, non-negative.</param>
    /// <param name="samplesPerItemA">K_A, at least 1.</param>
    /// <param name="withinVarianceB">σ²_B, non-negative.</param>
    /// <param name="samplesPerItemB">K_B, at least 1.</param>
    /// <returns>The variance.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static double DifferenceVariance(double omegaSquared, double withinVarianceA, int samplesPerItemA, double withinVarianceB, int samplesPerItemB)
    {
        ValidateNonNegative(omegaSquared, nameof(omegaSquared));
        ValidateNonNegative(withinVarianceA, nameof(withinVarianceA));
        ValidateNonNegative(withinVarianceB, nameof(withinVarianceB));
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerItemA, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerItemB, 1);
        return omegaSquared + (withinVarianceA / samplesPerItemA) + (withinVarianceB / samplesPerItemB);
    }

    /// <summary>
    /// The number of items needed to detect a difference in pass rate between two models graded pass/fail on the same
    /// items (McNemar design, Connor 1987): <c>⌈(z_{α/2}√ψ + z_β√(ψ - δ²))² / δ²⌉</c> with ψ = p10 + p01 the discordance
    /// and δ = p10 - p01.
    /// </summary>
    /// <param name="onlyAPasses">p10, the probability that A passes an item and B fails it; in [0, 1].</param>
    /// <param name="onlyBPasses">p01, the probability that B passes and A fails; in [0, 1], with p10 + p01 ≤ 1 and p10 ≠ p01.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The power, in (0, 1).</param>
    /// <param name="alternative">Two-sided uses z_{α/2}; one-sided uses z_α.</param>
    /// <returns>The number of items, rounded up.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static int RequiredSampleSizePairedProportions(double onlyAPasses, double onlyBPasses, double alpha = 0.05, double power = 0.8, Alternative alternative = Alternative.TwoSided)
    {
        ValidateProbability(onlyAPasses, nameof(onlyAPasses));
        ValidateProbability(onlyBPasses, nameof(onlyBPasses));
        var psi = onlyAPasses + onlyBPasses;
        if (psi > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(onlyBPasses), onlyBPasses, "The two discordant probabilities must sum to at most 1.");
        }

        var delta = onlyAPasses - onlyBPasses;
        if (delta == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(onlyBPasses), onlyBPasses, "The discordant probabilities are equal: there is no effect to detect.");
        }

        var (za, zb) = Criticals(alpha, power, alternative);
        var root = (za * Math.Sqrt(psi)) + (zb * Math.Sqrt(psi - (delta * delta)));
        return RoundUp(root * root / (delta * delta), nameof(onlyAPasses));
    }

    /// <summary>
    /// The number of items per group needed to detect a difference between two independent pass rates (two-proportion
    /// z test without continuity correction): <c>⌈(z_{α/2}√(2p̄(1-p̄)) + z_β√(p1(1-p1) + p2(1-p2)))² / (p1 - p2)²⌉</c>,
    /// p̄ = (p1 + p2)/2. For two models on the same items use <see cref="RequiredSampleSizePairedProportions"/>.
    /// </summary>
    /// <param name="p1">The first pass rate, in [0, 1].</param>
    /// <param name="p2">The second pass rate, in [0, 1], different from <paramref name="p1"/>.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="power">The power, in (0, 1).</param>
    /// <param name="alternative">Two-sided uses z_{α/2}; one-sided uses z_α.</param>
    /// <returns>The number of items in each group, rounded up.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public static int RequiredSampleSizeProportions(double p1, double p2, double alpha = 0.05, double power = 0.8, Alternative alternative = Alternative.TwoSided)
    {
        ValidateProbability(p1, nameof(p1));
        ValidateProbability(p2, nameof(p2));
        if (p1 == p2)
        {
            throw new ArgumentOutOfRangeException(nameof(p2), p2, "The two pass rates are equal: there is no effect to detect.");
        }

        var (za, zb) = Criticals(alpha, power, alternative);
        var pBar = (p1 + p2) / 2;
        var root = (za * Math.Sqrt(2 * pBar * (1 - pBar))) + (zb * Math.Sqrt((p1 * (1 - p1)) + (p2 * (1 - p2))));
        var delta = p1 - p2;
        return RoundUp(root * root / (delta * delta), nameof(p1));
    }

    private static double CriticalSum(double alpha, double power, Alternative alternative)
    {
        var (za, zb) = Criticals(alpha, power, alternative);
        return za + zb;
    }

    private static (double Alpha, double Beta) Criticals(double alpha, double power, Alternative alternative)
    {
        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        if (!(power > 0 && power < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(power), power, "The power must lie strictly between 0 and 1.");
        }

        var tail = alternative switch
        {
            Alternative.TwoSided => alpha / 2,
            Alternative.Less or Alternative.Greater => alpha,
            _ => throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative."),
        };
        return (ConfidenceIntervalsDistributions.NormalUpperQuantile(tail), ConfidenceIntervalsDistributions.NormalUpperQuantile(1 - power));
    }

    private static int RoundUp(double n, string name)
    {
        // A relative slack of 1e-12 keeps an exact integer (up to rounding) from being bumped to the next one.
        var rounded = Math.Ceiling(n * (1 - 1e-12));
        if (!(rounded <= int.MaxValue))
        {
            throw new ArgumentOutOfRangeException(name, "The required sample size exceeds Int32.MaxValue: the effect is too small to detect.");
        }

        return Math.Max(1, (int)rounded);
    }

    private static void ValidateEffect(double value, string name)
    {
        if (!double.IsFinite(value) || value == 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The effect must be finite and non-zero.");
        }
    }

    private static void ValidatePositive(double value, string name)
    {
        if (!(value > 0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be positive and finite.");
        }
    }

    private static void ValidateNonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsPositiveInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be non-negative and finite.");
        }
    }

    private static void ValidateProbability(double value, string name)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, "The probability must lie in [0, 1].");
        }
    }
}
