using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace EvalKit.Metrics;

/// <summary>
/// The thresholds of the anomaly detection methods. The defaults favour few false alarms: on windows of 168 independent normal
/// observations (a week of hourly buckets), with the centre and σ estimated from each window, about 13% of the windows get a
/// false robust z-score alarm, 11% a false EWMA alarm and 6% a false CUSUM change point, while CUSUM finds a 2σ shift in
/// 99.6% of them, about 5 observations after it starts (docs/metrics.md).
/// </summary>
public sealed class AnomalyDetectionOptions
{
    /// <summary>Gets or sets the robust z-score above which (in absolute value) a value is an outlier (Iglewicz and Hoaglin's 3.5).</summary>
    /// <value>The default value is 3.5.</value>
    [Range(double.Epsilon, double.MaxValue)]
    public double RobustZThreshold { get; set; } = 3.5;

    /// <summary>Gets or sets the EWMA smoothing weight λ of the newest observation, in (0, 1].</summary>
    /// <value>The default value is 0.2.</value>
    [Range(double.Epsilon, 1.0)]
    public double EwmaLambda { get; set; } = 0.2;

    /// <summary>Gets or sets the width L of the EWMA control limits, in standard deviations of the EWMA.</summary>
    /// <value>The default value is 3.5.</value>
    [Range(double.Epsilon, double.MaxValue)]
    public double EwmaLimit { get; set; } = 3.5;

    /// <summary>Gets or sets the CUSUM allowance k in units of σ: shifts smaller than k·σ do not accumulate (k = δ/2 detects a shift of δ·σ fastest).</summary>
    /// <value>The default value is 0.5.</value>
    [Range(0.0, double.MaxValue)]
    public double CusumAllowance { get; set; } = 0.5;

    /// <summary>Gets or sets the CUSUM decision threshold h in units of σ.</summary>
    /// <value>The default value is 8.</value>
    [Range(double.Epsilon, double.MaxValue)]
    public double CusumThreshold { get; set; } = 8;

    /// <summary>
    /// Gets or sets where EWMA and CUSUM clip each standardized deviation (x − μ₀)/σ, in units of σ: they look for sustained
    /// changes, and clipping keeps one outlier (the robust z-score's job) from passing for a shift. Use
    /// <see cref="double.PositiveInfinity"/> to turn clipping off.
    /// </summary>
    /// <value>The default value is 4.</value>
    [Range(double.Epsilon, double.PositiveInfinity)]
    public double ClipAt { get; set; } = 4;

    /// <summary>Gets or sets the share of the window, from its start, whose median is the baseline level of EWMA and CUSUM.</summary>
    /// <value>The default value is 0.5.</value>
    [Range(double.Epsilon, 1.0)]
    public double BaselineFraction { get; set; } = 0.5;

    /// <summary>Gets or sets the fewest observations a method needs; with fewer it is skipped (and says so).</summary>
    /// <value>The default value is 10.</value>
    [Range(3, int.MaxValue)]
    public int MinimumObservations { get; set; } = 10;

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is outside its range.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Positive(RobustZThreshold, nameof(RobustZThreshold), problems);
        if (!(EwmaLambda > 0 && EwmaLambda <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(EwmaLambda)} must lie in (0, 1] (was {EwmaLambda})."));
        }

        Positive(EwmaLimit, nameof(EwmaLimit), problems);
        if (!(CusumAllowance >= 0 && double.IsFinite(CusumAllowance)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(CusumAllowance)} must be finite and not negative (was {CusumAllowance})."));
        }

        Positive(CusumThreshold, nameof(CusumThreshold), problems);
        if (!(ClipAt > 0))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(ClipAt)} must be positive (was {ClipAt})."));
        }

        if (!(BaselineFraction > 0 && BaselineFraction <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(BaselineFraction)} must lie in (0, 1] (was {BaselineFraction})."));
        }

        if (MinimumObservations < 3)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(MinimumObservations)} must be at least 3 (was {MinimumObservations})."));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid anomaly detection options: " + string.Join(" ", problems));
        }
    }

    private static void Positive(double value, string name, List<string> problems)
    {
        if (!(value > 0 && double.IsFinite(value)))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive and finite (was {value})."));
        }
    }
}
