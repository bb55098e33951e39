using MathNet.Numerics;

namespace EvalKit.Statistics;

/// <summary>
/// Tail probabilities computed directly from the regularized incomplete beta and gamma functions and <c>erfc</c>,
/// so that small p-values keep their relative precision (never <c>1 - CDF</c> where the CDF is near 1).
/// </summary>
internal static class SpecialDistributions
{
    /// <summary>Standard normal lower tail P(Z &lt;= z).</summary>
    public static double NormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Math.Sqrt(2));

    /// <summary>Standard normal upper tail P(Z &gt; z).</summary>
    public static double NormalSf(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));

    /// <summary>Student t upper tail P(T &gt; t) with <paramref name="df"/> degrees of freedom.</summary>
    public static double StudentTSf(double t, double df)
    {
        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }

        if (double.IsNegativeInfinity(t))
        {
            return 1;
        }

        // P(|T| > |t|) = I_{df/(df+t^2)}(df/2, 1/2); each tail is half of it.
        var half = 0.5 * StudentTTwoTailed(t, df);
        return t >= 0 ? half : 1 - half;
    }

    /// <summary>Student t lower tail P(T &lt;= t).</summary>
    public static double StudentTCdf(double t, double df) => StudentTSf(-t, df);

    /// <summary>Two-tailed Student t probability P(|T| &gt;= |t|).</summary>
    public static double StudentTTwoTailed(double t, double df)
    {
        if (double.IsInfinity(t))
        {
            return 0;
        }

        var t2 = t * t;
        // df / (df + t^2), written to stay accurate when t^2 dominates.
        var x = df / (df + t2);
        return SpecialFunctions.BetaRegularized(df / 2, 0.5, x);
    }

    /// <summary>P-value of a Student t statistic for the given alternative (greater: P(T &gt;= t); less: P(T &lt;= t)).</summary>
    public static double StudentTPValue(double t, double df, Alternative alternative) => alternative switch
    {
        Alternative.Less => StudentTCdf(t, df),
        Alternative.Greater => StudentTSf(t, df),
        _ => StudentTTwoTailed(t, df),
    };

    /// <summary>P-value of a standard normal statistic for the given alternative.</summary>
    public static double NormalPValue(double z, Alternative alternative) => alternative switch
    {
        Alternative.Less => NormalCdf(z),
        Alternative.Greater => NormalSf(z),
        _ => 2 * NormalSf(Math.Abs(z)),
    };

    /// <summary>Chi-squared upper tail P(X &gt; x) with <paramref name="df"/> degrees of freedom.</summary>
    public static double ChiSquaredSf(double x, double df)
    {
        if (x <= 0)
        {
            return 1;
        }

        return double.IsPositiveInfinity(x) ? 0 : SpecialFunctions.GammaUpperRegularized(df / 2, x / 2);
    }

    /// <summary>Binomial lower tail P(X &lt;= k) for X ~ Binomial(n, p), from the regularized incomplete beta function.</summary>
    public static double BinomialCdf(int k, int n, double p)
    {
        if (k < 0)
        {
            return 0;
        }

        return k >= n ? 1 : SpecialFunctions.BetaRegularized(n - k, k + 1.0, 1 - p);
    }

    /// <summary>Binomial probability P(X = k) for X ~ Binomial(n, p).</summary>
    public static double BinomialPmf(int k, int n, double p)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        return Math.Exp(SpecialFunctions.BinomialLn(n, k) + (k * Math.Log(p)) + ((n - k) * Math.Log(1 - p)));
    }

    /// <summary>Clamps a probability into [0, 1] (NaN is left as is for callers to reject).</summary>
    public static double Clamp01(double p) => p < 0 ? 0 : p > 1 ? 1 : p;
}
