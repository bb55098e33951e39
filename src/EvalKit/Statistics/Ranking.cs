namespace EvalKit.Statistics;

/// <summary>Ranking helpers shared by the rank-based tests (average ranks for ties, as scipy's <c>rankdata</c>).</summary>
internal static class Ranking
{
    /// <summary>Ranks values from 1 to n; tied values get the average of the ranks they span (scipy's <c>rankdata(method="average")</c>).</summary>
    /// <param name="values">The values; NaN is not allowed (callers validate).</param>
    /// <returns>The ranks, in the input order.</returns>
    public static double[] Average(ReadOnlySpan<double> values) => Average(values, out _);

    /// <summary>Ranks values like <see cref="Average(ReadOnlySpan{double})"/> and also returns the tie term <c>Σ (t³ − t)</c> over the tie groups.</summary>
    /// <param name="values">The values; NaN is not allowed (callers validate).</param>
    /// <param name="tieTerm">The sum of <c>t³ − t</c> over groups of <c>t</c> equal values (0 when there are no ties).</param>
    /// <returns>The ranks, in the input order.</returns>
    public static double[] Average(ReadOnlySpan<double> values, out double tieTerm)
    {
        var n = values.Length;
        var order = new int[n];
        var keys = values.ToArray();
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        var ranks = new double[n];
        tieTerm = 0;
        var start = 0;
        while (start < n)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            // Positions start..end-1 (0-based) hold equal values: ranks start+1..end, average (start + 1 + end) / 2.
            var rank = (start + 1 + end) / 2.0;
            for (var k = start; k < end; k++)
            {
                ranks[order[k]] = rank;
            }

            double t = end - start;
            tieTerm += (t * t * t) - t;
            start = end;
        }

        return ranks;
    }
}
