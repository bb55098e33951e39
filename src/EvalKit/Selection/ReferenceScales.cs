using System.Globalization;

namespace EvalKit.Selection;

/// <summary>
/// The fixed scales that map each criterion's raw value onto a score in [0, 1]. Because the scales are fixed (not the
/// minimum and maximum of the current candidates), a model's score depends only on its own evidence: adding or removing a
/// candidate never reorders the others, and a cached decision stays explainable.
/// </summary>
/// <remarks>
/// Cost, latency and error rate use a logarithmic scale between a "good" and a "bad" reference: a value at or better than the
/// good reference scores 1, at or worse than the bad reference 0, and each factor of ten in between is worth the same.
/// Quality uses the request's <see cref="SelectionRequest.QualityRange"/>, linearly.
/// </remarks>
public sealed class ReferenceScales
{
    /// <summary>Gets or sets the cost per 1,000 requests that scores 1.</summary>
    /// <value>The default value is 0.01 (one cent per 1,000 requests).</value>
    public double CostPer1kRequestsGood { get; set; } = 0.01;

    /// <summary>Gets or sets the cost per 1,000 requests that scores 0.</summary>
    /// <value>The default value is 100.</value>
    public double CostPer1kRequestsBad { get; set; } = 100;

    /// <summary>Gets or sets the p95 latency that scores 1.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan LatencyGood { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the p95 latency that scores 0.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan LatencyBad { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the error rate (1 − success rate) that scores 1.</summary>
    /// <value>The default value is 0.001 (99.9% success).</value>
    public double ErrorRateGood { get; set; } = 0.001;

    /// <summary>Gets or sets the error rate that scores 0.</summary>
    /// <value>The default value is 0.2 (80% success).</value>
    public double ErrorRateBad { get; set; } = 0.2;

    /// <summary>Maps a cost per 1,000 requests onto [0, 1].</summary>
    /// <param name="costPer1kRequests">The cost.</param>
    /// <returns>The score.</returns>
    public double ScoreCost(double costPer1kRequests) => LogScore(costPer1kRequests, CostPer1kRequestsGood, CostPer1kRequestsBad);

    /// <summary>Maps a p95 latency in milliseconds onto [0, 1].</summary>
    /// <param name="milliseconds">The latency.</param>
    /// <returns>The score.</returns>
    public double ScoreLatency(double milliseconds) => LogScore(milliseconds, LatencyGood.TotalMilliseconds, LatencyBad.TotalMilliseconds);

    /// <summary>Maps a success rate onto [0, 1] through its error rate.</summary>
    /// <param name="successRate">The success rate, in [0, 1].</param>
    /// <returns>The score.</returns>
    public double ScoreReliability(double successRate) => LogScore(1 - successRate, ErrorRateGood, ErrorRateBad);

    /// <summary>Checks the scales and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">A scale is invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Check(problems, CostPer1kRequestsGood, CostPer1kRequestsBad, nameof(CostPer1kRequestsGood), nameof(CostPer1kRequestsBad));
        Check(problems, LatencyGood.TotalMilliseconds, LatencyBad.TotalMilliseconds, nameof(LatencyGood), nameof(LatencyBad));
        Check(problems, ErrorRateGood, ErrorRateBad, nameof(ErrorRateGood), nameof(ErrorRateBad));
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid reference scales: " + string.Join(" ", problems));
        }
    }

    /// <summary>Copies the scales, so that later changes to these options do not reach an engine built from them.</summary>
    internal ReferenceScales Copy() => (ReferenceScales)MemberwiseClone();

    private static void Check(List<string> problems, double good, double bad, string goodName, string badName)
    {
        if (!(double.IsFinite(good) && good > 0 && double.IsFinite(bad) && bad > good))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{goodName} must be positive and below {badName} (were {good} and {bad})."));
        }
    }

    private static double LogScore(double value, double good, double bad)
    {
        if (!(value > good))
        {
            return 1; // also NaN-safe for values at or below the good reference (and 0)
        }

        if (value >= bad)
        {
            return 0;
        }

        return (Math.Log(bad) - Math.Log(value)) / (Math.Log(bad) - Math.Log(good));
    }
}
