namespace EvalKit.Statistics;

/// <summary>Exact null distributions of the rank statistics, computed with arrays of probabilities.</summary>
internal static class ExactDistributions
{
    /// <summary>The largest amount of work (array cell updates) an exact computation may take before it is refused.</summary>
    internal const double MaxWork = 5e9;

    /// <summary>
    /// P(U &lt;= k) for the Mann–Whitney U statistic of samples of sizes <paramref name="n1"/> and <paramref name="n2"/>
    /// without ties, for every k from 0 to floor(n1·n2/2) (the lower half; the distribution is symmetric about n1·n2/2).
    /// </summary>
    /// <remarks>
    /// The counts are the coefficients of the Gaussian binomial coefficient [n1+n2 choose m]_q, built as
    /// Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i) with m = min(n1, n2), n = max(n1, n2), kept normalized to probabilities.
    /// Coefficient k depends only on coefficients ≤ k, so only the lower half is computed: it holds the small
    /// probabilities and stays accurate.
    /// </remarks>
    public static double[] MannWhitneyLowerCdf(int n1, int n2)
    {
        var m = Math.Min(n1, n2);
        var n = Math.Max(n1, n2);
        var half = (int)((long)m * n / 2);
        var p = new double[half + 1];
        p[0] = 1;
        for (var i = 1; i <= m; i++)
        {
            var top = Math.Min(half, i * n);
            var s = n + i;

            // Multiply by (1 - q^s): descending, so p[k - s] is still the previous polynomial's coefficient.
            for (var k = top; k >= s; k--)
            {
                p[k] -= p[k - s];
            }

            // Divide by (1 - q^i): running sums with stride i.
            for (var k = i; k <= top; k++)
            {
                p[k] += p[k - i];
            }

            // The coefficients now sum to C(n+i, i) times the previous normalization; rescale by i / (n + i).
            var scale = (double)i / s;
            for (var k = 0; k <= top; k++)
            {
                p[k] *= scale;
            }
        }

        for (var k = 1; k <= half; k++)
        {
            p[k] += p[k - 1];
        }

        return p;
    }

    /// <summary>P(U &gt;= u) for the no-ties Mann–Whitney null distribution (u an integer).</summary>
    public static double MannWhitneySf(long u, int n1, int n2)
    {
        long total = (long)n1 * n2;
        if (u <= 0)
        {
            return 1;
        }

        if (u > total)
        {
            return 0;
        }

        var cdf = MannWhitneyLowerCdf(n1, n2);
        var half = cdf.Length - 1;

        // P(U >= u) = P(U <= total - u) by symmetry.
        var k = total - u;
        if (k <= half)
        {
            return cdf[k];
        }

        // Otherwise P(U >= u) = 1 - P(U <= u - 1), with u - 1 in the lower half (the result is >= 1/2).
        return 1 - cdf[u - 1];
    }

    /// <summary>
    /// The exact sign-flip null distribution of S = Σ w_i·[sign_i = +], each sign + or − with probability 1/2,
    /// for non-negative integer weights (twice the average ranks). Returns P(S &lt;= k) for k = 0..floor(W/2),
    /// W = Σ w_i; the distribution is symmetric about W/2.
    /// </summary>
    public static double[] SignedRankLowerCdf(ReadOnlySpan<int> weights, out long totalWeight)
    {
        long total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        totalWeight = total;
        var half = (int)(total / 2);
        var p = new double[half + 1];
        p[0] = 1;
        long reach = 0;
        foreach (var w in weights)
        {
            reach = Math.Min(half, reach + w);
            // p_new[k] = (p[k] + p[k - w]) / 2, descending so p[k - w] is the old value. Halving is exact in binary.
            for (var k = (int)reach; k >= 0; k--)
            {
                var shifted = k >= w ? p[k - w] : 0;
                p[k] = 0.5 * (p[k] + shifted);
            }
        }

        for (var k = 1; k <= half; k++)
        {
            p[k] += p[k - 1];
        }

        return p;
    }

    /// <summary>P(S &lt;= k) from the lower-half CDF of a distribution symmetric about total/2.</summary>
    public static double SymmetricCdf(double[] lowerCdf, long total, long k)
    {
        if (k < 0)
        {
            return 0;
        }

        if (k >= total)
        {
            return 1;
        }

        var half = lowerCdf.Length - 1;
        if (k <= half)
        {
            return lowerCdf[k];
        }

        // P(S <= k) = 1 - P(S >= k + 1) = 1 - P(S <= total - k - 1), with total - k - 1 in the lower half.
        return 1 - lowerCdf[total - k - 1];
    }
}
