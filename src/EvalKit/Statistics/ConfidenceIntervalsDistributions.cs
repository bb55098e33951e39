using MathNet.Numerics;

namespace EvalKit.Statistics;

/// <summary>
/// Precise quantiles and tails used by the interval, power and sequential code. MathNet's
/// <c>StudentT.InvCDF</c> and <c>Beta.InvCDF</c> are bracketed root searches of limited accuracy, so the
/// quantiles here are safeguarded Newton iterations on the logarithm of the lower tail, which keeps full
/// relative precision far into the tails.
/// </summary>
internal static class ConfidenceIntervalsDistributions
{
    private const int MaxIterations = 400;

    /// <summary>The standard normal quantile Φ⁻¹(p).</summary>
    public static double NormalQuantile(double p)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return double.PositiveInfinity;
        }

        // Φ⁻¹(p) = -√2 erfc⁻¹(2p); for p > 1/2 use symmetry so the small tail keeps its precision.
        return p <= 0.5
            ? -Constants.Sqrt2 * SpecialFunctions.ErfcInv(2 * p)
            : Constants.Sqrt2 * SpecialFunctions.ErfcInv(2 * (1 - p));
    }

    /// <summary>The upper-tail standard normal quantile z with Φ(z) = 1 - p, computed from p directly.</summary>
    public static double NormalUpperQuantile(double p) => -NormalQuantile(p);

    /// <summary>The standard normal CDF Φ(z), computed with erfc so both tails keep relative precision.</summary>
    public static double NormalCdf(double z) => 0.5 * SpecialFunctions.Erfc(-z / Constants.Sqrt2);

    /// <summary>The standard normal density φ(z).</summary>
    public static double NormalPdf(double z) => Math.Exp(-0.5 * z * z) / Constants.Sqrt2Pi;

    /// <summary>The lower tail of Student's t with <paramref name="df"/> degrees of freedom, for t ≤ 0.</summary>
    private static double StudentTLowerTailNegative(double t, double df)
        => 0.5 * SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + (t * t)));

    private static double StudentTLogPdf(double t, double df)
        => SpecialFunctions.GammaLn((df + 1) / 2) - SpecialFunctions.GammaLn(df / 2)
           - (0.5 * Math.Log(df * Math.PI)) - ((df + 1) / 2 * Math.Log(1 + (t * t / df)));

    /// <summary>The quantile of Student's t distribution, <c>scipy.stats.t.ppf(p, df)</c>.</summary>
    public static double StudentTQuantile(double p, double df)
    {
        if (p <= 0)
        {
            return double.NegativeInfinity;
        }

        if (p >= 1)
        {
            return double.PositiveInfinity;
        }

        if (p == 0.5)
        {
            return 0;
        }

        if (p > 0.5)
        {
            return -StudentTQuantile(1 - p, df);
        }

        // Solve ln F(t) = ln p for t < 0 by Newton's method, kept inside a shrinking bracket.
        var target = Math.Log(p);
        double lo = double.NegativeInfinity, hi = 0;
        var t = Math.Min(NormalQuantile(p), -1e-3);
        for (var i = 0; i < MaxIterations; i++)
        {
            var cdf = StudentTLowerTailNegative(t, df);
            var h = Math.Log(cdf) - target;
            if (h == 0)
            {
                return t;
            }

            if (h > 0)
            {
                hi = t;
            }
            else
            {
                lo = t;
            }

            var slope = Math.Exp(StudentTLogPdf(t, df)) / cdf;
            var next = t - (h / slope);
            if (!(next >= lo && next <= hi && next < 0))
            {
                next = double.IsNegativeInfinity(lo) ? Math.Min(2 * hi, hi - 1) : 0.5 * (lo + hi);
            }

            if (Math.Abs(next - t) <= 4e-16 * Math.Abs(t))
            {
                return next;
            }

            t = next;
        }

        return t;
    }

    /// <summary>
    /// The quantile x of the Beta(a, b) distribution with I_x(a, b) = p, for p in (0, 1). For p above one half the
    /// complementary problem is solved so the result keeps its precision near 1.
    /// </summary>
    public static double BetaQuantile(double p, double a, double b)
    {
        if (p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        return p <= 0.5 ? BetaLowerQuantile(p, a, b) : 1 - BetaLowerQuantile(1 - p, b, a);
    }

    /// <summary>The upper-tail quantile x with 1 - I_x(a, b) = q (<c>scipy.stats.beta.isf(q, a, b)</c>).</summary>
    public static double BetaUpperQuantile(double q, double a, double b) => 1 - BetaQuantile(q, b, a);

    private static double BetaLowerQuantile(double p, double a, double b)
    {
        var logBeta = SpecialFunctions.BetaLn(a, b);
        var target = Math.Log(p);

        // Near 0, I_x(a, b) ≈ x^a / (a B(a, b)); that gives a good start in the lower tail.
        var x = Math.Exp((target + Math.Log(a) + logBeta) / a);
        if (!(x > 0 && x < 1))
        {
            x = a / (a + b);
        }

        double lo = 0, hi = 1;
        for (var i = 0; i < MaxIterations; i++)
        {
            var cdf = SpecialFunctions.BetaRegularized(a, b, x);
            var h = Math.Log(cdf) - target;
            if (h == 0)
            {
                return x;
            }

            if (h > 0)
            {
                hi = x;
            }
            else
            {
                lo = x;
            }

            var logPdf = ((a - 1) * Math.Log(x)) + ((b - 1) * Log1P(-x)) - logBeta;
            var slope = Math.Exp(logPdf) / cdf;
            var next = x - (h / slope);
            if (!(next >= lo && next <= hi) || next == 0)
            {
                next = lo == 0 ? hi * 1e-3 : (hi / lo > 4 ? Math.Sqrt(lo * hi) : 0.5 * (lo + hi));
            }

            if (Math.Abs(next - x) <= 4e-16 * x || hi - lo <= 4e-16 * hi)
            {
                return next;
            }

            x = next;
        }

        return x;
    }

    /// <summary>ln(1 + x), accurate for small x (Goldberg's correction; .NET's LogP1 is ln(x + 1) as written).</summary>
    public static double Log1P(double x)
    {
        var u = 1 + x;
        return u == 1 ? x : Math.Log(u) * x / (u - 1);
    }

    /// <summary>Validates a confidence level in the open interval (0, 1).</summary>
    public static void ValidateConfidence(double confidence, string name)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(name, confidence, "The confidence level must lie strictly between 0 and 1.");
        }
    }

    /// <summary>Validates a significance level in the open interval (0, 1).</summary>
    public static void ValidateAlpha(double alpha, string name)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(name, alpha, "The significance level must lie strictly between 0 and 1.");
        }
    }

    /// <summary>Validates that two samples have the same, sufficient length and contain no NaN.</summary>
    public static void ValidatePaired(ReadOnlySpan<double> a, ReadOnlySpan<double> b, int minimum, string nameA, string nameB)
    {
        Descriptive.Validate(a, minimum, nameA);
        Descriptive.Validate(b, minimum, nameB);
        if (a.Length != b.Length)
        {
            throw new ArgumentException(
                $"Paired samples must have the same length: {nameA} has {a.Length} value(s), {nameB} has {b.Length}.", nameB);
        }
    }

    /// <summary>Validates that no value is infinite (NaN is checked by <see cref="Descriptive.Validate"/>).</summary>
    public static void ValidateFinite(ReadOnlySpan<double> values, string name)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                throw new ArgumentException($"The sample contains a non-finite value at index {i}.", name);
            }
        }
    }
}
