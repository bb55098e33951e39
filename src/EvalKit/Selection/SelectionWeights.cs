namespace EvalKit.Selection;

/// <summary>
/// The weights of the four selection criteria. Only their ratios matter: a score divides by their sum. A weight of 0
/// leaves its criterion out of the score (and out of the Pareto comparison).
/// </summary>
/// <param name="Quality">The weight of quality (the evaluation metric).</param>
/// <param name="Cost">The weight of cost (per 1,000 requests, on a logarithmic scale).</param>
/// <param name="Latency">The weight of the p95 latency (on a logarithmic scale).</param>
/// <param name="Reliability">The weight of reliability (the error rate, on a logarithmic scale).</param>
public readonly record struct SelectionWeights(double Quality, double Cost, double Latency, double Reliability)
{
    /// <summary>Gets the default weights: quality 0.5, cost 0.2, latency 0.15, reliability 0.15.</summary>
    public static SelectionWeights Default { get; } = new(0.5, 0.2, 0.15, 0.15);

    /// <summary>Gets the sum of the weights.</summary>
    public double Total => Quality + Cost + Latency + Reliability;

    /// <summary>Gets the weight of a criterion.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <returns>Its weight.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="criterion"/> is not a defined criterion.</exception>
    public double this[SelectionCriterion criterion] => criterion switch
    {
        SelectionCriterion.Quality => Quality,
        SelectionCriterion.Cost => Cost,
        SelectionCriterion.Latency => Latency,
        SelectionCriterion.Reliability => Reliability,
        _ => throw new ArgumentOutOfRangeException(nameof(criterion), criterion, "Unknown selection criterion."),
    };
}
