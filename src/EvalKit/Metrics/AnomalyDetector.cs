using System.Globalization;
using EvalKit.Statistics;

namespace EvalKit.Metrics;

/// <summary>
/// Finds anomalies in a time series with three deterministic methods. Pure: no I/O, no clock, no randomness; the same
/// series and options always give the same report.
/// </summary>
/// <remarks>
/// <para>Notation: x₁…xₙ the observations in time order; med the median; MAD(x) = med|x − med(x)|.</para>
/// <para><b>Robust z-score</b> (point outliers) over the whole window: m = med(x), s = 1.4826·MAD(x) (consistent with σ for
/// normal data); when MAD is 0, s = 1.2533·mean|x − m| (also consistent with σ); z = (x − m)/s. A value with |z| &gt; t
/// (<see cref="AnomalyDetectionOptions.RobustZThreshold"/>) is an anomaly; its expected range is m ± t·s.</para>
/// <para><b>Baseline of EWMA and CUSUM</b>: μ₀ = the median of the first ⌈f·n⌉ observations
/// (<see cref="AnomalyDetectionOptions.BaselineFraction"/>); σ = med|xᵢ − xᵢ₋₁| / 0.95387 over the whole window (the
/// median moving range, consistent with σ for independent normal data and barely moved by spikes or level shifts); when
/// that is 0, σ = mean|xᵢ − xᵢ₋₁| / 1.12838.</para>
/// <para>EWMA and CUSUM look for sustained changes: they use each observation clipped to μ₀ ± c·σ
/// (<see cref="AnomalyDetectionOptions.ClipAt"/>), so that a single outlier does not pass for a shift.</para>
/// <para><b>EWMA</b> (drifts, small sustained shifts): z₀ = μ₀, zᵢ = λxᵢ + (1 − λ)zᵢ₋₁, with control limits
/// μ₀ ± L·σ·√(λ/(2 − λ)·(1 − (1 − λ)^(2i))). Each observation whose zᵢ lies outside the limits is an anomaly.</para>
/// <para><b>CUSUM</b> (change points), two-sided and tabular on yᵢ = (xᵢ − μ₀)/σ: Cᵢ⁺ = max(0, Cᵢ₋₁⁺ + yᵢ − k),
/// Cᵢ⁻ = max(0, Cᵢ₋₁⁻ − yᵢ − k). When C⁺ (or C⁻) exceeds h at observation t, a change point is reported at the τ of the
/// current excursion (the observations since the sum last left 0) that maximises (Σ_{τ ≤ i ≤ t} dᵢ)² / (t − τ + 1), with
/// d = y (or −y): the likelihood-ratio estimate of where a mean shift began. Its value is the mean of the observations from τ
/// to t (the new level). The sum is then capped at h, so a sustained shift is reported once; the next change point in that
/// direction needs the sum to return to 0 first.</para>
/// <para>A window whose values are all equal (scale 0) has no anomaly. A method needs
/// <see cref="AnomalyDetectionOptions.MinimumObservations"/> observations; with fewer it is skipped and says why.</para>
/// </remarks>
public static class AnomalyDetector
{
    /// <summary>1.4826: the factor that makes the MAD a consistent estimator of σ for normal data (1 / Φ⁻¹(0.75)).</summary>
    public const double MadScale = 1.482602218505602;

    /// <summary>√(π/2): the factor that makes the mean absolute deviation a consistent estimator of σ for normal data.</summary>
    private const double MeanAbsoluteDeviationScale = 1.2533141373155003;

    /// <summary>√2 · Φ⁻¹(0.75): the median of |X₁ − X₂| for independent standard normal X₁, X₂.</summary>
    private const double MedianMovingRange = 0.9538725524089185;

    /// <summary>2/√π: the mean of |X₁ − X₂| for independent standard normal X₁, X₂ (d₂ for n = 2).</summary>
    private const double MeanMovingRange = 1.1283791670955126;

    private static readonly AnomalyMethod[] AllMethods = [AnomalyMethod.RobustZScore, AnomalyMethod.Ewma, AnomalyMethod.Cusum];

    /// <summary>Finds the anomalies of a series.</summary>
    /// <param name="series">The observations in non-decreasing time order; finite values.</param>
    /// <param name="options">The thresholds; the defaults when <see langword="null"/>.</param>
    /// <param name="methods">The methods to run, each once; all three when <see langword="null"/>.</param>
    /// <returns>The anomalies ordered by time, then method, and a summary per method.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="series"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The series is out of time order or has a value that is not finite; the options
    /// are invalid; or a method is unknown or repeated.</exception>
    public static AnomalyReport Detect(IReadOnlyList<TimeSeriesValue> series, AnomalyDetectionOptions? options = null, IReadOnlyList<AnomalyMethod>? methods = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        options ??= new AnomalyDetectionOptions();
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(options), e);
        }

        methods ??= AllMethods;
        ValidateMethods(methods, nameof(methods));
        var values = new double[series.Count];
        for (var i = 0; i < series.Count; i++)
        {
            if (!double.IsFinite(series[i].Value))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Observation {i} has the value {series[i].Value}; values must be finite."), nameof(series));
            }

            if (i > 0 && series[i].Timestamp < series[i - 1].Timestamp)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Observation {i} ({series[i].Timestamp:O}) is earlier than the one before it; the series must be in time order."), nameof(series));
            }

            values[i] = series[i].Value;
        }

        var anomalies = new List<MetricAnomaly>();
        var summaries = new List<AnomalyMethodSummary>();
        foreach (var method in methods)
        {
            if (values.Length < options.MinimumObservations)
            {
                summaries.Add(new AnomalyMethodSummary
                {
                    Method = method,
                    SkippedReason = string.Create(CultureInfo.InvariantCulture, $"The window has {values.Length} observation(s); the method needs at least {options.MinimumObservations}."),
                });
                continue;
            }

            var before = anomalies.Count;
            var (center, scale) = method switch
            {
                AnomalyMethod.RobustZScore => RobustZScore(series, values, options, anomalies),
                AnomalyMethod.Ewma => Ewma(series, values, options, anomalies),
                _ => Cusum(series, values, options, anomalies),
            };
            summaries.Add(new AnomalyMethodSummary { Method = method, Center = center, Scale = scale, Count = anomalies.Count - before });
        }

        // Stable: equal times keep the order of the requested methods.
        var ordered = anomalies.OrderBy(a => a.Timestamp).ToList();
        return new AnomalyReport { Observations = values.Length, Anomalies = ordered, Methods = summaries };
    }

    internal static void ValidateMethods(IReadOnlyList<AnomalyMethod> methods, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(methods, parameterName);
        if (methods.Count == 0)
        {
            throw new ArgumentException("No anomaly detection method is requested.", parameterName);
        }

        var seen = new HashSet<AnomalyMethod>();
        foreach (var method in methods)
        {
            if (!Enum.IsDefined(method))
            {
                throw new ArgumentException($"Unknown anomaly detection method '{method}'.", parameterName);
            }

            if (!seen.Add(method))
            {
                throw new ArgumentException($"The anomaly detection method '{method}' is requested twice.", parameterName);
            }
        }
    }

    private static (double Center, double Scale) RobustZScore(IReadOnlyList<TimeSeriesValue> series, double[] values, AnomalyDetectionOptions options, List<MetricAnomaly> anomalies)
    {
        var center = Median(values);
        var deviations = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            deviations[i] = Math.Abs(values[i] - center);
        }

        var scale = MadScale * Median(deviations);
        if (scale == 0)
        {
            scale = MeanAbsoluteDeviationScale * deviations.Average();
        }

        if (scale == 0)
        {
            return (center, 0);
        }

        var t = options.RobustZThreshold;
        var expected = new Interval(center - (t * scale), center + (t * scale));
        for (var i = 0; i < values.Length; i++)
        {
            var z = (values[i] - center) / scale;
            if (Math.Abs(z) > t)
            {
                var direction = z > 0 ? AnomalyDirection.Above : AnomalyDirection.Below;
                anomalies.Add(new MetricAnomaly
                {
                    Timestamp = series[i].Timestamp,
                    DetectedAt = series[i].Timestamp,
                    Method = AnomalyMethod.RobustZScore,
                    Direction = direction,
                    Value = values[i],
                    Expected = expected,
                    Baseline = center,
                    Score = z,
                    Threshold = t,
                    Description = Format(
                        $"Robust z-score {z:0.##} (|z| > {t:0.##}): {values[i]:G6} is {Side(direction)} the expected range [{expected.Lower:G6}, {expected.Upper:G6}] (median {center:G6}, scale {scale:G4})."),
                });
            }
        }

        return (center, scale);
    }

    private static (double Center, double Scale) Ewma(IReadOnlyList<TimeSeriesValue> series, double[] values, AnomalyDetectionOptions options, List<MetricAnomaly> anomalies)
    {
        var (center, sigma) = Baseline(values, options);
        if (sigma == 0)
        {
            return (center, 0);
        }

        var lambda = options.EwmaLambda;
        var width = options.EwmaLimit;
        var smoothed = center;
        var decay = 1.0;
        for (var i = 0; i < values.Length; i++)
        {
            var clipped = center + (Clip((values[i] - center) / sigma, options.ClipAt) * sigma);
            smoothed = (lambda * clipped) + ((1 - lambda) * smoothed);
            decay *= (1 - lambda) * (1 - lambda);
            var sd = sigma * Math.Sqrt(lambda / (2 - lambda) * (1 - decay));
            var score = (smoothed - center) / sd;
            if (Math.Abs(score) > width)
            {
                var direction = score > 0 ? AnomalyDirection.Above : AnomalyDirection.Below;
                var limits = new Interval(center - (width * sd), center + (width * sd));
                anomalies.Add(new MetricAnomaly
                {
                    Timestamp = series[i].Timestamp,
                    DetectedAt = series[i].Timestamp,
                    Method = AnomalyMethod.Ewma,
                    Direction = direction,
                    Value = values[i],
                    Expected = limits,
                    Baseline = center,
                    Score = score,
                    Threshold = width,
                    Smoothed = smoothed,
                    Description = Format(
                        $"EWMA {smoothed:G6} is {Side(direction)} its control limits [{limits.Lower:G6}, {limits.Upper:G6}] (baseline {center:G6}, σ {sigma:G4}); the value was {values[i]:G6}."),
                });
            }
        }

        return (center, sigma);
    }

    private static (double Center, double Scale) Cusum(IReadOnlyList<TimeSeriesValue> series, double[] values, AnomalyDetectionOptions options, List<MetricAnomaly> anomalies)
    {
        var (center, sigma) = Baseline(values, options);
        if (sigma == 0)
        {
            return (center, 0);
        }

        var k = options.CusumAllowance;
        var h = options.CusumThreshold;
        var band = new Interval(center - (k * sigma), center + (k * sigma));
        var up = new Excursion(k, h);
        var down = new Excursion(k, h);
        for (var i = 0; i < values.Length; i++)
        {
            var y = Clip((values[i] - center) / sigma, options.ClipAt);
            if (up.Step(y, i) is { } upStart)
            {
                anomalies.Add(ChangePoint(series, values, i, upStart, up.PeakSum, AnomalyDirection.Above, center, sigma, band, h));
            }

            if (down.Step(-y, i) is { } downStart)
            {
                anomalies.Add(ChangePoint(series, values, i, downStart, -down.PeakSum, AnomalyDirection.Below, center, sigma, band, h));
            }
        }

        return (center, sigma);
    }

    private static MetricAnomaly ChangePoint(
        IReadOnlyList<TimeSeriesValue> series, double[] values, int detected, int start, double score, AnomalyDirection direction, double center, double sigma, Interval band, double h)
    {
        var level = values.AsSpan(start, detected - start + 1).ToArray().Average();
        return new MetricAnomaly
        {
            Timestamp = series[start].Timestamp,
            DetectedAt = series[detected].Timestamp,
            Method = AnomalyMethod.Cusum,
            Direction = direction,
            Value = level,
            Expected = band,
            Baseline = center,
            Score = score,
            Threshold = h,
            Description = Format(
                $"Level shift {(direction == AnomalyDirection.Above ? "up" : "down")} from {series[start].Timestamp:O} (detected at {series[detected].Timestamp:O}): mean {level:G6} since then against the baseline {center:G6} (allowance band [{band.Lower:G6}, {band.Upper:G6}], σ {sigma:G4})."),
        };
    }

    /// <summary>The EWMA and CUSUM baseline: the median of the leading observations and σ from the median moving range.</summary>
    private static (double Center, double Sigma) Baseline(double[] values, AnomalyDetectionOptions options)
    {
        var count = Math.Clamp((int)Math.Ceiling(options.BaselineFraction * values.Length), 1, values.Length);
        var center = Median(values.AsSpan(0, count));
        var ranges = new double[values.Length - 1];
        for (var i = 1; i < values.Length; i++)
        {
            ranges[i - 1] = Math.Abs(values[i] - values[i - 1]);
        }

        var sigma = Median(ranges) / MedianMovingRange;
        if (sigma == 0)
        {
            sigma = ranges.Average() / MeanMovingRange;
        }

        return (center, sigma);
    }

    /// <summary>The median of a copy of the values (the observations themselves stay in time order).</summary>
    private static double Median(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Descriptive.PercentileOfSorted(sorted, 50);
    }

    private static double Clip(double deviation, double limit) => Math.Clamp(deviation, -limit, limit);

    private static string Side(AnomalyDirection direction) => direction == AnomalyDirection.Above ? "above" : "below";

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One side of the tabular CUSUM over standardized deviations d (y for the upper side, −y for the lower): the sum, the
    /// deviations since it last left 0, and whether this excursion was reported.
    /// </summary>
    private sealed class Excursion(double allowance, double threshold)
    {
        private readonly List<double> _deviations = [];
        private double _sum;
        private int _start;
        private bool _reported;

        public double PeakSum { get; private set; }

        /// <summary>Adds one deviation; returns the estimated start of the shift when this step first crosses the threshold.</summary>
        public int? Step(double deviation, int index)
        {
            var next = Math.Max(0, _sum + deviation - allowance);
            if (next == 0)
            {
                _sum = 0;
                _reported = false;
                _deviations.Clear();
                return null;
            }

            if (_sum == 0)
            {
                _start = index;
            }

            _sum = next;
            if (!_reported)
            {
                _deviations.Add(deviation);
            }

            if (_sum <= threshold)
            {
                return null;
            }

            PeakSum = _sum;
            // Capped, so that a sustained shift is one change point and the sum can come back to 0 once the shift ends.
            _sum = threshold;
            if (_reported)
            {
                return null;
            }

            _reported = true;
            return _start + ShiftStart();
        }

        /// <summary>
        /// The offset τ in the excursion that maximises (Σ_{j ≥ τ} d_j)² / (m − τ) over positive suffix sums: the likelihood-ratio
        /// estimate of where a mean shift of unknown size began (the excursion can start a few observations early by chance).
        /// </summary>
        private int ShiftStart()
        {
            double suffix = 0, best = double.NegativeInfinity;
            var estimate = 0;
            for (var j = _deviations.Count - 1; j >= 0; j--)
            {
                suffix += _deviations[j];
                if (suffix > 0 && suffix * suffix / (_deviations.Count - j) >= best)
                {
                    best = suffix * suffix / (_deviations.Count - j);
                    estimate = j;
                }
            }

            return estimate;
        }
    }
}
