namespace EvalKit.Statistics;

/// <summary>
/// A running mSPRT for a mean paired difference (e.g. model A's score minus model B's on the same item), safe to look at
/// after every item. Each observation updates the mean and variance (Welford), the mixture likelihood ratio Λ of
/// <see cref="Sequential.MixtureLikelihoodRatio"/> with <c>V = s²/n</c>, the always-valid p-value (running minimum of
/// 1/Λ, so it never increases) and the confidence sequence (running intersection).
/// </summary>
/// <remarks>
/// The variance is estimated from the data (a plug-in), which is only approximately valid for small n; the monitor
/// therefore ignores evidence before <see cref="MinimumCount"/> observations (default 20). Observations that leave the
/// sample variance at zero (all differences equal) carry no update. Not thread-safe.
/// </remarks>
public sealed class SequentialMonitor
{
    private double _mean;
    private double _m2;
    private double _pValue = 1;
    private double _lower = double.NegativeInfinity;
    private double _upper = double.PositiveInfinity;
    private double _likelihoodRatio = 1;

    /// <summary>Creates a monitor.</summary>
    /// <param name="mixingVariance">τ², fixed in advance (see <see cref="Sequential.MixingVariance"/>); positive and finite.</param>
    /// <param name="alpha">The significance level, in (0, 1).</param>
    /// <param name="nullValue">θ0, the mean difference under the null hypothesis; finite.</param>
    /// <param name="minimumCount">The number of observations before evidence counts; at least 2.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its documented range.</exception>
    public SequentialMonitor(double mixingVariance, double alpha = 0.05, double nullValue = 0, int minimumCount = 20)
    {
        if (!(mixingVariance > 0) || double.IsPositiveInfinity(mixingVariance))
        {
            throw new ArgumentOutOfRangeException(nameof(mixingVariance), mixingVariance, "The mixing variance must be positive and finite.");
        }

        ConfidenceIntervalsDistributions.ValidateAlpha(alpha, nameof(alpha));
        if (!double.IsFinite(nullValue))
        {
            throw new ArgumentOutOfRangeException(nameof(nullValue), nullValue, "The null value must be finite.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(minimumCount, 2);
        MixingVariance = mixingVariance;
        Alpha = alpha;
        NullValue = nullValue;
        MinimumCount = minimumCount;
    }

    /// <summary>Gets τ², the mixing variance.</summary>
    public double MixingVariance { get; }

    /// <summary>Gets the significance level α.</summary>
    public double Alpha { get; }

    /// <summary>Gets θ0, the mean difference under the null hypothesis.</summary>
    public double NullValue { get; }

    /// <summary>Gets the number of observations before evidence counts.</summary>
    public int MinimumCount { get; }

    /// <summary>Gets the number of observations so far.</summary>
    public int Count { get; private set; }

    /// <summary>Gets the always-valid p-value so far (non-increasing; 1 before any evidence).</summary>
    public double PValue => _pValue;

    /// <summary>Gets the current state.</summary>
    public SequentialLook Current => new(
        Count,
        Count == 0 ? 0 : _mean,
        Count < 2 ? double.PositiveInfinity : Math.Sqrt(_m2 / (Count - 1) / Count),
        _likelihoodRatio,
        _pValue,
        new Interval(_lower, _upper),
        _pValue <= Alpha);

    /// <summary>Adds one paired observation as its difference <c>a - b</c>.</summary>
    /// <param name="a">The first arm's score on the item; finite.</param>
    /// <param name="b">The second arm's score on the same item; finite.</param>
    /// <returns>The state after the observation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A score is NaN or infinite.</exception>
    public SequentialLook Add(double a, double b)
    {
        if (!double.IsFinite(a))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "The score must be finite.");
        }

        if (!double.IsFinite(b))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "The score must be finite.");
        }

        return Add(a - b);
    }

    /// <summary>Adds one observation of the difference.</summary>
    /// <param name="difference">The difference; finite.</param>
    /// <returns>The state after the observation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="difference"/> is NaN or infinite.</exception>
    public SequentialLook Add(double difference)
    {
        if (!double.IsFinite(difference))
        {
            throw new ArgumentOutOfRangeException(nameof(difference), difference, "The difference must be finite.");
        }

        Count++;
        var delta = difference - _mean;
        _mean += delta / Count;
        _m2 += delta * (difference - _mean);
        if (Count >= MinimumCount && _m2 > 0)
        {
            var se = Math.Sqrt(_m2 / (Count - 1) / Count);
            var logLambda = Sequential.LogMixtureLikelihoodRatio(_mean, se, MixingVariance, NullValue);
            _likelihoodRatio = Math.Exp(logLambda);
            if (logLambda > 0)
            {
                _pValue = Math.Min(_pValue, Math.Exp(-logLambda));
            }

            var interval = Sequential.MixtureConfidenceSequence(_mean, se, MixingVariance, Alpha);
            var lower = Math.Max(_lower, interval.Lower);
            var upper = Math.Min(_upper, interval.Upper);
            if (lower <= upper)
            {
                (_lower, _upper) = (lower, upper);
            }
            else
            {
                // Only possible when the model's assumptions fail; report the latest interval rather than an empty set.
                (_lower, _upper) = (interval.Lower, interval.Upper);
            }
        }

        return Current;
    }

    /// <summary>Adds observations of the difference in order.</summary>
    /// <param name="differences">The differences; all finite.</param>
    /// <returns>The state after the last observation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A difference is NaN or infinite (those before it were added).</exception>
    public SequentialLook AddRange(ReadOnlySpan<double> differences)
    {
        foreach (var d in differences)
        {
            Add(d);
        }

        return Current;
    }
}
