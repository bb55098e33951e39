using MathNet.Numerics;

namespace EvalKit.Statistics;

/// <summary>Correlation coefficients with the p-values of scipy's <c>pearsonr</c> and <c>spearmanr</c>.</summary>
public static class Correlation
{
    /// <summary>
    /// Pearson's product-moment correlation and the p-value of the test of no correlation, as scipy's <c>pearsonr(x, y, alternative)</c>.
    /// </summary>
    /// <remarks>
    /// Under the null, r follows a Beta(n/2 − 1, n/2 − 1) distribution on [−1, 1]; the p-value is its exact tail,
    /// computed from the regularized incomplete beta function. With two points r is ±1 and the p-value is 1, as scipy.
    /// </remarks>
    /// <param name="x">The first variable; at least two finite values, not all equal.</param>
    /// <param name="y">The second variable; same length as <paramref name="x"/>, not all equal.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means a positive correlation.</param>
    /// <returns>The coefficient r and its p-value.</returns>
    /// <exception cref="ArgumentException">The variables differ in length, have fewer than two values, contain NaN or
    /// infinity, or one of them is constant (scipy returns NaN there).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> is not a defined value.</exception>
    public static CorrelationResult Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Alternative alternative = Alternative.TwoSided)
    {
        Validate(x, y, 2, alternative);
        var n = x.Length;
        if (n == 2)
        {
            // Two distinct points lie on a line: r is exactly ±1 (as scipy), and there is no evidence either way.
            return new CorrelationResult(Math.Sign(x[1] - x[0]) * Math.Sign(y[1] - y[0]), 1);
        }

        var r = Coefficient(x, y);

        var ab = (n / 2.0) - 1;
        // The null density is symmetric: P(R >= r) = I_{(1 - r)/2}(ab, ab), P(R <= r) = I_{(1 + r)/2}(ab, ab).
        double p = alternative switch
        {
            Alternative.Less => SpecialFunctions.BetaRegularized(ab, ab, (1 + r) / 2),
            Alternative.Greater => SpecialFunctions.BetaRegularized(ab, ab, (1 - r) / 2),
            _ => 2 * SpecialFunctions.BetaRegularized(ab, ab, (1 - Math.Abs(r)) / 2),
        };
        return new CorrelationResult(r, SpecialDistributions.Clamp01(p));
    }

    /// <summary>
    /// Spearman's rank correlation and the p-value of the test of no correlation, as scipy's <c>spearmanr(x, y, alternative)</c>.
    /// </summary>
    /// <remarks>
    /// The coefficient is Pearson's r of the average ranks (ties share their mean rank). The p-value is scipy's:
    /// <c>t = ρ·sqrt((n − 2)/((1 + ρ)(1 − ρ)))</c> with a Student t distribution on n − 2 degrees of freedom.
    /// </remarks>
    /// <param name="x">The first variable; at least three finite values, not all equal.</param>
    /// <param name="y">The second variable; same length as <paramref name="x"/>, not all equal.</param>
    /// <param name="alternative">The alternative: <see cref="Alternative.Greater"/> means a positive correlation.</param>
    /// <returns>The coefficient ρ and its p-value.</returns>
    /// <exception cref="ArgumentException">The variables differ in length, have fewer than three values, contain NaN or
    /// infinity, or one of them is constant (scipy returns NaN there).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alternative"/> is not a defined value.</exception>
    public static CorrelationResult Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y, Alternative alternative = Alternative.TwoSided)
    {
        Validate(x, y, 3, alternative);
        var rho = Coefficient(Ranking.Average(x), Ranking.Average(y));
        double df = x.Length - 2;
        var t = rho * Math.Sqrt(Math.Max(0, df / ((rho + 1) * (1 - rho))));
        return new CorrelationResult(rho, SpecialDistributions.Clamp01(SpecialDistributions.StudentTPValue(t, df, alternative)));
    }

    private static void Validate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int minimum, Alternative alternative)
    {
        if (alternative is not (Alternative.TwoSided or Alternative.Less or Alternative.Greater))
        {
            throw new ArgumentOutOfRangeException(nameof(alternative), alternative, "Unknown alternative hypothesis.");
        }

        if (x.Length != y.Length)
        {
            throw new ArgumentException($"x has {x.Length} value(s) and y has {y.Length}; they must have the same length.", nameof(y));
        }

        Check(x, minimum, nameof(x));
        Check(y, minimum, nameof(y));

        static void Check(ReadOnlySpan<double> values, int minimum, string name)
        {
            Descriptive.Validate(values, minimum, name);
            for (var i = 0; i < values.Length; i++)
            {
                if (double.IsInfinity(values[i]))
                {
                    throw new ArgumentException($"The sample contains an infinite value at index {i}.", name);
                }
            }

            if (HypothesisTests.IsConstant(values))
            {
                throw new ArgumentException("The values are all equal: the correlation is undefined.", name);
            }
        }
    }

    /// <summary>r = Σ (x − x̄)/‖x − x̄‖ · (y − ȳ)/‖y − ȳ‖, clipped to [−1, 1] (scipy's formulation).</summary>
    private static double Coefficient(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var meanX = Descriptive.Mean(x);
        var meanY = Descriptive.Mean(y);
        double sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxx += dx * dx;
            syy += dy * dy;
        }

        double normX = Math.Sqrt(sxx), normY = Math.Sqrt(syy), r = 0;
        for (var i = 0; i < x.Length; i++)
        {
            r += (x[i] - meanX) / normX * ((y[i] - meanY) / normY);
        }

        return Math.Clamp(r, -1, 1);
    }
}
