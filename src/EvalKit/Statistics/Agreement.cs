namespace EvalKit.Statistics;

/// <summary>Inter-rater agreement: Cohen's kappa for two raters and Krippendorff's alpha for any number of raters with missing ratings.</summary>
public static class Agreement
{
    /// <summary>
    /// Cohen's kappa of two raters' labels, κ = 1 − Σ w·O / Σ w·E, with O the observed and E the chance confusion
    /// matrix (scikit-learn's <c>cohen_kappa_score</c>). Weights use the positions of the sorted distinct labels of both raters.
    /// </summary>
    /// <param name="ratingsA">The first rater's labels.</param>
    /// <param name="ratingsB">The second rater's labels, item by item.</param>
    /// <param name="weighting">The disagreement weights.</param>
    /// <returns>Kappa, at most 1; <see cref="double.NaN"/> when chance disagreement is zero (both raters always give the same single label).</returns>
    /// <exception cref="ArgumentException">The spans differ in length or are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weighting"/> is not defined.</exception>
    public static double CohensKappa(ReadOnlySpan<int> ratingsA, ReadOnlySpan<int> ratingsB, AgreementWeighting weighting = AgreementWeighting.None)
    {
        if (ratingsA.Length != ratingsB.Length)
        {
            throw new ArgumentException("Both raters must rate the same items.", nameof(ratingsB));
        }

        if (ratingsA.IsEmpty)
        {
            throw new ArgumentException("At least one item is required.", nameof(ratingsA));
        }

        if (!Enum.IsDefined(weighting))
        {
            throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown weighting.");
        }

        var labels = new SortedSet<int>();
        foreach (var r in ratingsA)
        {
            labels.Add(r);
        }

        foreach (var r in ratingsB)
        {
            labels.Add(r);
        }

        var index = new Dictionary<int, int>(labels.Count);
        foreach (var label in labels)
        {
            index[label] = index.Count;
        }

        var k = labels.Count;
        var observed = new double[k, k];
        var rows = new double[k];
        var columns = new double[k];
        for (var i = 0; i < ratingsA.Length; i++)
        {
            int a = index[ratingsA[i]], b = index[ratingsB[i]];
            observed[a, b]++;
            rows[a]++;
            columns[b]++;
        }

        double n = ratingsA.Length, weightedObserved = 0, weightedExpected = 0;
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++)
            {
                var w = weighting switch
                {
                    AgreementWeighting.None => i == j ? 0.0 : 1.0,
                    AgreementWeighting.Linear => Math.Abs(i - j),
                    _ => (double)(i - j) * (i - j),
                };
                weightedObserved += w * observed[i, j];
                weightedExpected += w * rows[i] * columns[j] / n;
            }
        }

        return weightedExpected == 0 ? double.NaN : 1 - (weightedObserved / weightedExpected);
    }

    /// <summary>
    /// Krippendorff's alpha, α = 1 − D<sub>o</sub> / D<sub>e</sub>, from the coincidence matrix of the pairable values
    /// (Krippendorff 2011, "Computing Krippendorff's alpha-reliability"); the same as the <c>krippendorff</c> Python package.
    /// </summary>
    /// <param name="reliabilityData">The ratings, one row per rater and one column per unit (item); <see cref="double.NaN"/> marks a missing rating. Units with fewer than two ratings are left out.</param>
    /// <param name="level">The level of measurement.</param>
    /// <returns>Alpha, at most 1; <see cref="double.NaN"/> when no unit has two ratings or all pairable values are equal (no expected disagreement).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="reliabilityData"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A rating is infinite, or a ratio-level rating is negative.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not defined.</exception>
    public static double KrippendorffAlpha(double[,] reliabilityData, AgreementLevel level)
    {
        ArgumentNullException.ThrowIfNull(reliabilityData);
        if (!Enum.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown level of measurement.");
        }

        int raters = reliabilityData.GetLength(0), units = reliabilityData.GetLength(1);
        var values = new SortedSet<double>();
        foreach (var v in reliabilityData)
        {
            if (double.IsInfinity(v) || (level == AgreementLevel.Ratio && v < 0))
            {
                throw new ArgumentException("Ratings must be finite (and non-negative at the ratio level); use NaN for a missing rating.", nameof(reliabilityData));
            }

            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        var sorted = values.ToArray();
        var index = new Dictionary<double, int>(sorted.Length);
        for (var i = 0; i < sorted.Length; i++)
        {
            index[sorted[i]] = i;
        }

        var v2 = sorted.Length;
        var coincidences = new double[v2, v2];
        var counts = new int[v2];
        for (var u = 0; u < units; u++)
        {
            Array.Clear(counts);
            var m = 0;
            for (var r = 0; r < raters; r++)
            {
                var value = reliabilityData[r, u];
                if (!double.IsNaN(value))
                {
                    counts[index[value]]++;
                    m++;
                }
            }

            if (m < 2)
            {
                continue;
            }

            for (var c = 0; c < v2; c++)
            {
                if (counts[c] == 0)
                {
                    continue;
                }

                for (var k = 0; k < v2; k++)
                {
                    var pairs = c == k ? counts[c] * (counts[c] - 1.0) : (double)counts[c] * counts[k];
                    coincidences[c, k] += pairs / (m - 1);
                }
            }
        }

        var marginals = new double[v2];
        double n = 0;
        for (var c = 0; c < v2; c++)
        {
            for (var k = 0; k < v2; k++)
            {
                marginals[c] += coincidences[c, k];
            }

            n += marginals[c];
        }

        if (n < 2)
        {
            return double.NaN;
        }

        double observed = 0, expected = 0;
        for (var c = 0; c < v2; c++)
        {
            for (var k = 0; k < v2; k++)
            {
                if (c == k)
                {
                    continue;
                }

                var d = Distance(level, sorted, marginals, c, k);
                observed += coincidences[c, k] * d;
                expected += marginals[c] * marginals[k] * d;
            }
        }

        return expected == 0 ? double.NaN : 1 - ((n - 1) * observed / expected);
    }

    private static double Distance(AgreementLevel level, double[] values, double[] marginals, int c, int k)
    {
        switch (level)
        {
            case AgreementLevel.Nominal:
                return 1;
            case AgreementLevel.Interval:
                return (values[c] - values[k]) * (values[c] - values[k]);
            case AgreementLevel.Ratio:
                var sum = values[c] + values[k];
                return sum == 0 ? 0 : Math.Pow((values[c] - values[k]) / sum, 2);
            default:
                int lo = Math.Min(c, k), hi = Math.Max(c, k);
                double between = 0;
                for (var g = lo; g <= hi; g++)
                {
                    between += marginals[g];
                }

                between -= (marginals[c] + marginals[k]) / 2;
                return between * between;
        }
    }
}
