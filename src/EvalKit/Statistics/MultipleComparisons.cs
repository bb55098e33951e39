namespace EvalKit.Statistics;

/// <summary>Adjusted p-values for a family of tests, identical to statsmodels' <c>multipletests</c>.</summary>
/// <remarks>Each method returns the adjusted p-values in the input order, capped at 1. An empty family gives an empty array.</remarks>
public static class MultipleComparisons
{
    /// <summary>
    /// Holm's step-down adjustment (family-wise error rate), statsmodels <c>method="holm"</c>: with p sorted ascending
    /// and m tests, p̃_(i) = min(1, max_{j &lt;= i} (m − j + 1)·p_(j)).
    /// </summary>
    /// <param name="pValues">The unadjusted p-values, each in [0, 1].</param>
    /// <returns>The adjusted p-values, in the input order.</returns>
    /// <exception cref="ArgumentException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] Holm(ReadOnlySpan<double> pValues)
    {
        var order = SortedOrder(pValues);
        var m = order.Length;
        var adjusted = new double[m];
        double running = 0;
        for (var i = 0; i < m; i++)
        {
            running = Math.Max(running, pValues[order[i]] * (m - i));
            adjusted[order[i]] = Math.Min(1, running);
        }

        return adjusted;
    }

    /// <summary>
    /// The Benjamini–Hochberg step-up adjustment (false discovery rate), statsmodels <c>method="fdr_bh"</c>: with p sorted
    /// ascending and m tests, p̃_(i) = min(1, min_{j &gt;= i} p_(j) / (j/m)).
    /// </summary>
    /// <param name="pValues">The unadjusted p-values, each in [0, 1].</param>
    /// <returns>The adjusted p-values, in the input order.</returns>
    /// <exception cref="ArgumentException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] BenjaminiHochberg(ReadOnlySpan<double> pValues)
    {
        var order = SortedOrder(pValues);
        var m = order.Length;
        var adjusted = new double[m];
        var running = double.PositiveInfinity;
        for (var i = m - 1; i >= 0; i--)
        {
            running = Math.Min(running, pValues[order[i]] / ((i + 1.0) / m));
            adjusted[order[i]] = Math.Min(1, running);
        }

        return adjusted;
    }

    /// <summary>The Bonferroni adjustment, statsmodels <c>method="bonferroni"</c>: p̃ = min(1, m·p).</summary>
    /// <param name="pValues">The unadjusted p-values, each in [0, 1].</param>
    /// <returns>The adjusted p-values, in the input order.</returns>
    /// <exception cref="ArgumentException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] Bonferroni(ReadOnlySpan<double> pValues)
    {
        Validate(pValues);
        var adjusted = new double[pValues.Length];
        for (var i = 0; i < adjusted.Length; i++)
        {
            adjusted[i] = Math.Min(1, pValues[i] * pValues.Length);
        }

        return adjusted;
    }

    private static int[] SortedOrder(ReadOnlySpan<double> pValues)
    {
        Validate(pValues);
        var keys = pValues.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    private static void Validate(ReadOnlySpan<double> pValues)
    {
        for (var i = 0; i < pValues.Length; i++)
        {
            var p = pValues[i];
            if (!(p >= 0 && p <= 1))
            {
                throw new ArgumentException($"The p-value at index {i} ({p}) is not in [0, 1].", nameof(pValues));
            }
        }
    }
}
