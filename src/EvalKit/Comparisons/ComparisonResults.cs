namespace EvalKit.Comparisons;

/// <summary>
/// The pairwise statistical comparison of two or more models on one dataset and metric. It is the result of
/// <see cref="IAbTestService.CompareModelsAsync"/>; <see cref="AbTestResults"/> derives from it and adds the test's identity,
/// so both are analysed and reported the same way.
/// </summary>
public record ComparisonResults
{
    /// <summary>Gets the dataset the models were evaluated on.</summary>
    public required string DatasetId { get; init; }

    /// <summary>Gets the compared metric.</summary>
    public required string Metric { get; init; }

    /// <summary>Gets the design.</summary>
    public AbTestDesign Design { get; init; }

    /// <summary>Gets the multiplicity correction.</summary>
    public PValueCorrection Correction { get; init; }

    /// <summary>Gets the significance level.</summary>
    public double Alpha { get; init; }

    /// <summary>Gets each model's summary, in the order the models were given.</summary>
    public required IReadOnlyList<ArmSummary> Models { get; init; }

    /// <summary>Gets every pair (i &lt; j in model order), A being the earlier model.</summary>
    public required IReadOnlyList<PairComparison> Pairs { get; init; }

    /// <summary>
    /// Gets the winner: with two models, the better one when their difference is significant after correction; with more,
    /// the model that significantly beats every other one. <see langword="null"/> otherwise.
    /// </summary>
    public string? Winner { get; init; }

    /// <summary>Gets the verdict in words ("... is significantly better ..." or "no significant difference ...").</summary>
    public required string Verdict { get; init; }

    /// <summary>
    /// Gets, when there is no winner, the sample size needed to detect the observed difference between the two best models
    /// with 80% power (McNemar/Connor for pass/fail, normal approximation otherwise); <see langword="null"/> when there is a
    /// winner or that difference is zero.
    /// </summary>
    public int? RequiredSampleSize { get; init; }

    /// <summary>Gets the comparison of two models in the orientation asked: when stored as (B, A) it is mirrored.</summary>
    /// <param name="modelA">The first model.</param>
    /// <param name="modelB">The second model.</param>
    /// <returns>The comparison with <paramref name="modelA"/> as A.</returns>
    /// <exception cref="KeyNotFoundException">The pair was not compared.</exception>
    public PairComparison GetPair(string modelA, string modelB)
    {
        foreach (var pair in Pairs)
        {
            if (pair.ModelA == modelA && pair.ModelB == modelB)
            {
                return pair;
            }

            if (pair.ModelA == modelB && pair.ModelB == modelA)
            {
                return ComparisonAnalyzer.Mirror(pair);
            }
        }

        throw new KeyNotFoundException($"Models '{modelA}' and '{modelB}' were not compared.");
    }

    /// <summary>Renders a readable report: the per-model table, the pairwise table, latency and cost, and the verdict.</summary>
    /// <returns>The report.</returns>
    public string ToText() => ComparisonReport.Render(this, Title);

    /// <summary>Gets the report's first line.</summary>
    protected virtual string Title => $"Comparison on dataset '{DatasetId}'";
}
